// The public API, with the session token kept in sessionStorage only
// (never a cookie, never the URL).
import {currentLang} from './i18n.js';

const KEY = 'haulpass.session';

export class ApiError extends Error {
  constructor(status, problem, retryAfter) {
    super((problem && problem.detail) || `HTTP ${status}`);
    this.status = status;
    this.problem = problem || {};
    this.retryAfter = Number(retryAfter) || 0; // seconds, from Retry-After
  }
  get code() { return (this.problem.type || '').replace('urn:haulpass:problem:', ''); }
}

export function session() {
  try { return JSON.parse(sessionStorage.getItem(KEY)); } catch { return null; }
}
export function setSession(s) {
  if (s) sessionStorage.setItem(KEY, JSON.stringify(s));
  else sessionStorage.removeItem(KEY);
}

let onExpired = () => {};
export function whenExpired(fn) { onExpired = fn; }

export async function api(method, path, body, opts = {}) {
  // The console's own language, not the browser's: the reasons of a check
  // come in it.
  const headers = {Accept: opts.accept || 'application/json', 'Accept-Language': currentLang() === 'zh' ? 'zh-CN' : 'en'};
  const s = session();
  if (s && s.token && !opts.anonymous) headers.Authorization = `Bearer ${s.token}`;
  Object.assign(headers, opts.headers || {}); // If-Match, for instance
  let payload;
  if (body !== undefined) {
    headers['Content-Type'] = opts.contentType || 'application/json';
    payload = typeof body === 'string' ? body : JSON.stringify(body);
  }
  // opts.signal: a caller that cannot wait long (the roadside verifier) aborts.
  const r = await fetch(path, {method, headers, body: payload, cache: 'no-store', signal: opts.signal});
  const text = await r.text();
  let json = null;
  try { json = text ? JSON.parse(text) : null; } catch { json = null; }
  if (!r.ok) {
    if (r.status === 401 && s && !opts.anonymous) { setSession(null); onExpired(); }
    throw new ApiError(r.status, json, r.headers.get('Retry-After'));
  }
  return json;
}

// Every item of a collection, page by page (up to max).
export async function all(path, max = 2000) {
  const out = [];
  let cursor = null;
  do {
    const sep = path.includes('?') ? '&' : '?';
    const page = await api('GET', `${path}${sep}limit=500${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    out.push(...page.items);
    cursor = page.next_cursor;
  } while (cursor && out.length < max);
  return out;
}
