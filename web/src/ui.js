// What every screen uses: the closed lists, the message area, a title, a
// table, and dates and instants as the server and the inputs write them.
// Screens live in screens.js and screens/*.js; each imports from here.
import {ApiError} from './api.js';
import {h, clear} from './dom.js';
import {t} from './i18n.js';

export const CLASSES = ['light_truck', 'medium_truck', 'heavy_truck', 'tractor', 'pickup', 'construction',
  'muck_truck', 'concrete_mixer', 'hazmat_tanker', 'special'];
export const TYPES = ['construction', 'urban_delivery', 'oversize', 'hazmat', 'temporary'];

// A message area: the server's problem detail as it is, and each field error.
export function say(el, kind, text, errors) {
  clear(el);
  el.className = `msg ${kind}`;
  el.setAttribute('role', kind === 'error' ? 'alert' : 'status');
  el.append(h('p', null, text));
  if (errors && errors.length) {
    el.append(h('ul', null, errors.map(e => h('li', null, h('code', null, e.pointer || '/'), ' ', e.message))));
  }
}
export function sayError(el, err) {
  if (err instanceof ApiError) say(el, 'error', err.problem.detail || `${t('error')} (${err.status})`, err.problem.errors);
  else say(el, 'error', t('networkError'));
}

export function title(main, key) {
  main.append(h('h1', null, t(key)));
  document.title = `${t(key)} · haulpass`;
}

export function table(headers, rows) {
  // Each cell knows its column's name, so a phone can show rows as cards (app.css).
  for (const tr of [rows].flat()) {
    if (tr && tr.children) [...tr.children].forEach((td, i) => { if (headers[i]) td.dataset.label = headers[i]; });
  }
  return h('table', null,
    h('thead', null, h('tr', null, headers.map(x => h('th', {scope: 'col'}, x)))),
    h('tbody', null, rows));
}

// RFC 3339 of a datetime-local value, in the browser's own offset.
export function rfc3339(local) {
  const d = new Date(local);
  const off = -d.getTimezoneOffset();
  const pad = n => String(Math.floor(Math.abs(n))).padStart(2, '0');
  return `${local.length === 16 ? `${local}:00` : local}${off >= 0 ? '+' : '-'}${pad(off / 60)}:${pad(off % 60)}`;
}
export function localNow(addMinutes = 0) {
  const d = new Date(Date.now() + addMinutes * 60000 - new Date().getTimezoneOffset() * 60000);
  return d.toISOString().slice(0, 16);
}
// An instant as the server wrote it (HAULPASS_TZ), shown to the minute:
// "2026-12-02 13:41". The server's local time is the city's, whatever the
// browser's own zone.
export function when(s) {
  return s ? `${s.slice(0, 10)} ${s.slice(11, 16)}` : '—';
}
// The local date (the browser's, which is the city's) days from now:
// toISOString would give the UTC date, a day behind in Linyi before 08:00.
export const today = (days = 0) => {
  const d = new Date(Date.now() + days * 86400000);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
};

// The non-blank lines of a textarea.
export const lines = el => el.value.split('\n').map(x => x.trim()).filter(Boolean);
