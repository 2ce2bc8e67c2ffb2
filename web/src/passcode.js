// The signed pass code, read and checked in the browser (docs/pass-code.md):
// base45 (RFC 9285), the HP1 layout, its Ed25519 signature, and the signed
// text of a revocation list. Pure: no DOM, no network, no storage, so the
// verify screen and a test can both use it.
//
// Ed25519 comes from @noble/ed25519 (audited, no dependencies) with SHA-512
// from @noble/hashes, both synchronous JavaScript. Not WebCrypto: its
// Ed25519 (and crypto.subtle itself) exists only in a secure context
// (https or localhost), and an officer's phone reaching the service over
// http on the local network is not one; the check must work there too.
import * as ed from '@noble/ed25519';
import {sha512} from '@noble/hashes/sha2.js';

ed.hashes.sha512 = sha512;

const PREFIX = 'HP1:';
const VERSION = 1;
const PLATE_MAX = 36;
const FIXED = 96; // every byte of the layout but the plate's
const SIG = 64;
const TEXT_MAX = 4 + Math.ceil((FIXED + PLATE_MAX) / 2) * 3 + 64;
// Numbers are part of the layout (src/util/pass_token.c).
const TYPES = [null, 'construction', 'urban_delivery', 'oversize', 'hazmat', 'temporary', 'road_occupation'];
const B45 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:';
const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ*~$=U'; // the last five: check symbols only

// The bytes of base45 text s, or null when s is not base45.
export function base45Decode(s) {
  if (s.length % 3 === 1) return null;
  const out = new Uint8Array(Math.floor(s.length / 3) * 2 + (s.length % 3 ? 1 : 0));
  let o = 0;
  for (let i = 0; i < s.length; i += 3) {
    const c = B45.indexOf(s[i]), d = B45.indexOf(s[i + 1]);
    if (c < 0 || d < 0) return null;
    if (i + 2 < s.length) {
      const e = B45.indexOf(s[i + 2]);
      if (e < 0) return null;
      const v = c + d * 45 + e * 2025;
      if (v > 65535) return null;
      out[o++] = v >> 8;
      out[o++] = v & 255;
    } else {
      const v = c + d * 45;
      if (v > 255) return null;
      out[o++] = v;
    }
  }
  return out;
}

// "HP-2026-XXXXXXXXC" of the year and the 40-bit body (8 base32 digits).
function passCode(year, body) {
  let digits = '', v = body, check = 0n;
  for (let i = 0; i < 8; i++) { digits = CROCKFORD[Number(v & 31n)] + digits; v >>= 5n; }
  for (const ch of digits) check = check * 32n + BigInt(CROCKFORD.indexOf(ch));
  return `HP-${String(year).padStart(4, '0')}-${digits}${CROCKFORD[Number(check % 37n)]}`;
}

// Days since 1970-01-01 as "YYYY-MM-DD" (the deployment's local dates, read
// as plain calendar days: UTC arithmetic does no daylight-saving jumps).
function isoDay(days) {
  return new Date(days * 86400000).toISOString().slice(0, 10);
}

const hex = bytes => Array.from(bytes, b => b.toString(16).padStart(2, '0')).join('');
const u16 = (b, i) => b[i] << 8 | b[i + 1];
const u32 = (b, i) => (b[i] << 24 >>> 0) + (b[i + 1] << 16 | b[i + 2] << 8 | b[i + 3]);

// The claims of a code's text, before any signature is checked:
// {ok: true, claims: {kid, code, revision, plate, type, valid_from, valid_to,
// coverage, issued_at}, signed, sig} or {ok: false, reason} with the reasons
// of POST /v1/verify (not-a-pass-code, not-base45, truncated, too-long,
// unknown-version, malformed), in the order the service tells them.
export function parseCode(text) {
  const s = String(text).replace(/^[ \t\r\n]+|[ \t\r\n]+$/g, '');
  if (!s.startsWith(PREFIX)) return {ok: false, reason: 'not-a-pass-code'};
  if (s.length > TEXT_MAX) return {ok: false, reason: 'too-long'};
  const b = base45Decode(s.slice(PREFIX.length));
  if (!b) return {ok: false, reason: 'not-base45'};
  if (b.length < 1) return {ok: false, reason: 'truncated'};
  if (b[0] !== VERSION) return {ok: false, reason: 'unknown-version'};
  if (b.length < 15) return {ok: false, reason: 'truncated'};
  const n = b[14];
  if (b.length < FIXED + n) return {ok: false, reason: 'truncated'};
  if (n > PLATE_MAX) return {ok: false, reason: 'malformed'};
  if (b.length > FIXED + n) return {ok: false, reason: 'too-long'};
  const year = u16(b, 5);
  let body = 0n;
  for (let i = 7; i < 12; i++) body = body << 8n | BigInt(b[i]);
  const revision = u16(b, 12);
  let plate;
  try { plate = new TextDecoder('utf-8', {fatal: true}).decode(b.subarray(15, 15 + n)); } catch { plate = null; }
  const type = TYPES[b[15 + n]] || null;
  const from = u16(b, 16 + n), to = u16(b, 18 + n);
  if (year < 1000 || year > 9999 || !type || !revision || !n || !plate || plate.includes('\0') || from > to) {
    return {ok: false, reason: 'malformed'};
  }
  const end = 32 + n;
  return {
    ok: true,
    claims: {
      kid: hex(b.subarray(1, 5)), code: passCode(year, body), revision, plate, type,
      valid_from: isoDay(from), valid_to: isoDay(to), coverage: hex(b.subarray(20 + n, 28 + n)),
      issued_at: new Date(u32(b, 28 + n) * 1000).toISOString(),
    },
    signed: b.slice(0, end),
    sig: b.slice(end, end + SIG),
  };
}

// The 32 bytes of base64url text (no padding), or null.
export function base64url(s) {
  if (typeof s !== 'string' || !/^[A-Za-z0-9_-]*$/.test(s)) return null;
  try {
    const bin = atob(s.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - s.length % 4) % 4));
    return Uint8Array.from(bin, c => c.charCodeAt(0));
  } catch { return null; }
}

// Whether sig (64 bytes) is key's Ed25519 signature of msg; false for any
// malformed input rather than an exception.
export function ed25519Valid(sig, msg, publicKey) {
  if (!sig || sig.length !== SIG || !publicKey || publicKey.length !== 32) return false;
  try { return ed.verify(sig, msg, publicKey); } catch { return false; }
}

// The offline verdict of a code's text against the keys of GET /v1/keys
// ({keys: [...]}) on day today ("YYYY-MM-DD"): {valid: true, kid, claims} or
// {valid: false, reason, kid?}, reasons as POST /v1/verify gives them
// (unknown-key, bad-signature, key-retired and those of parseCode).
export function verifyCode(text, keys, today) {
  const p = parseCode(text);
  if (!p.ok) return {valid: false, reason: p.reason};
  const kid = p.claims.kid;
  const key = ((keys && keys.keys) || []).find(k => k.kid === kid && k.alg === 'Ed25519');
  if (!key) return {valid: false, reason: 'unknown-key', kid};
  if (!ed25519Valid(p.sig, p.signed, base64url(key.public_key))) return {valid: false, reason: 'bad-signature', kid};
  if (key.retired_at && p.claims.valid_to < today) return {valid: false, reason: 'key-retired', kid};
  return {valid: true, kid, claims: p.claims};
}

// The text a revocation list's signature covers (schemas/openapi.yaml,
// GET /v1/passes/revocations).
export function revocationsText(list) {
  let s = `haulpass-revocations-v1\n${list.as_of}\n${list.since}\n`;
  for (const it of list.items) s += `${it.code} ${it.revision} ${it.status} ${it.at}\n`;
  return new TextEncoder().encode(s);
}

// Whether list is signed by one of keys.
export function revocationsValid(list, keys) {
  if (!list || !Array.isArray(list.items) || !list.signature || !list.kid) return false;
  const key = ((keys && keys.keys) || []).find(k => k.kid === list.kid);
  return !!key && ed25519Valid(base64url(list.signature), revocationsText(list), base64url(key.public_key));
}

// What the list says of a code at revision: the last item naming it at
// that revision or a later one ({status, at}), or null.
export function revokedIn(list, code, revision) {
  let found = null;
  for (const it of (list && list.items) || []) {
    if (it.code === code && it.revision >= revision) found = it;
  }
  return found;
}
