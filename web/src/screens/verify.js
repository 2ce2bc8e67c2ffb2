// The roadside check (/verify, open without signing in): an officer scans
// a pass's QR code with the phone's camera (or a photo of it, or pastes the
// text); the signature is checked here, in the browser, against the keys
// of GET /v1/keys kept in localStorage, so it works with no network. Online,
// POST /v1/verify tells the pass as it stands now; offline, the last signed
// revocation list (GET /v1/passes/revocations) tells what it knew at its
// as_of. The code's layout: docs/pass-code.md; the checks: ../passcode.js.
import jsQR from 'jsqr';
import {api, ApiError} from '../api.js';
import {h, clear} from '../dom.js';
import {addStrings, t, tv} from '../i18n.js';
import {verifyCode, revocationsValid, revokedIn} from '../passcode.js';
import {title, today, when} from '../ui.js';

addStrings({
  zh: {
    verify_nav: '核验通行证', verify_title: '核验通行证',
    verify_help: '用手机摄像头扫描通行证上的二维码，或粘贴通行码文字（以 HP1: 开头）。',
    verify_code: '通行码文字', verify_check: '核验', verify_camera: '扫码', verify_stop: '停止扫码',
    verify_photo: '拍照识别二维码', verify_noQr: '照片里没有识别到二维码，请靠近些、对准后再拍。',
    verify_cameraFailed: '无法打开摄像头（{why}）。可以改用“拍照识别二维码”。',
    verify_empty: '请先扫码或粘贴通行码。',
    verify_valid: '有效', verify_invalid: '无效', verify_unknown: '签名有效，状态未知',
    verify_sigOk: '签名有效', verify_statusNow: '已联网核验（{at}）', verify_statusIs: '当前状态：{status}',
    verify_asOf: '签名有效；状态截至 {at}', verify_noList: '签名有效；本机没有吊销名单，无法确认是否已吊销',
    verify_notYet: '尚未生效', verify_superseded: '已被新版本取代', verify_plate: '车牌', verify_code_: '通行证号',
    verify_dates: '有效期', verify_hours: '通行时段', verify_zones: '通行区域', verify_corridor: '含专用路线',
    verify_documentsDue: '补交材料期限', verify_revision: '版本',
    verify_keys: '本机保存了 {n} 个公钥（{at} 更新）', verify_noKeys: '本机还没有公钥：请联网打开本页一次，之后离线也能核验。',
    verify_list: '吊销名单：{n} 条，截至 {at}', verify_listBad: '吊销名单签名不符，未采用。',
    verify_offline: '离线：使用本机保存的公钥和吊销名单。',
    verify_r_not_a_pass_code: '这不是通行码（应以 HP1: 开头）。', verify_r_not_base45: '通行码含有无效字符。',
    verify_r_truncated: '通行码不完整（被截断）。', verify_r_too_long: '通行码过长，多出了内容。',
    verify_r_unknown_version: '通行码版本无法识别。', verify_r_malformed: '通行码内容格式错误。',
    verify_r_unknown_key: '签名密钥不属于本系统：不是本市签发的通行证。',
    verify_r_bad_signature: '签名不符：通行码被改动过或伪造。',
    verify_r_key_retired: '签名密钥已停用，且通行证已过期。', verify_r_unknown_pass: '签名属实，但系统中查无此证。',
  },
  en: {
    verify_nav: 'Check a pass', verify_title: 'Check a pass',
    verify_help: 'Scan the QR code on the pass with the phone\'s camera, or paste the code\'s text (it starts with HP1:).',
    verify_code: 'Code text', verify_check: 'Check', verify_camera: 'Scan', verify_stop: 'Stop scanning',
    verify_photo: 'Take a photo of the QR', verify_noQr: 'No QR code found in the photo: come closer, centre it and try again.',
    verify_cameraFailed: 'The camera cannot be opened ({why}). Use "Take a photo of the QR" instead.',
    verify_empty: 'Scan a QR code or paste a code first.',
    verify_valid: 'VALID', verify_invalid: 'INVALID', verify_unknown: 'SIGNATURE VALID, STATUS UNKNOWN',
    verify_sigOk: 'signature valid', verify_statusNow: 'checked online ({at})', verify_statusIs: 'status now: {status}',
    verify_asOf: 'signature valid; status as of {at}', verify_noList: 'signature valid; no revocation list on this phone, so a revocation cannot be ruled out',
    verify_notYet: 'not yet valid', verify_superseded: 'replaced by a newer revision', verify_plate: 'Plate', verify_code_: 'Pass',
    verify_dates: 'Valid', verify_hours: 'Hours', verify_zones: 'Zones', verify_corridor: 'with a corridor',
    verify_documentsDue: 'Documents due', verify_revision: 'Revision',
    verify_keys: '{n} public keys saved on this phone (updated {at})', verify_noKeys: 'No keys on this phone yet: open this page once with a network, then it checks offline too.',
    verify_list: 'Revocation list: {n} entries, as of {at}', verify_listBad: 'The revocation list\'s signature does not hold: not used.',
    verify_offline: 'Offline: using the keys and the revocation list saved on this phone.',
    verify_r_not_a_pass_code: 'This is not a pass code (it should start with HP1:).', verify_r_not_base45: 'The code has characters a pass code never has.',
    verify_r_truncated: 'The code is incomplete (cut short).', verify_r_too_long: 'The code is too long: something was added.',
    verify_r_unknown_version: 'Unknown pass code version.', verify_r_malformed: 'The code\'s content is malformed.',
    verify_r_unknown_key: 'Signed with a key this service never published: not a pass of this city.',
    verify_r_bad_signature: 'The signature does not hold: the code was changed or forged.',
    verify_r_key_retired: 'Its key is retired and the pass has expired.', verify_r_unknown_pass: 'Signed by us, yet no such pass is on record.',
  },
});

const KEYS = 'haulpass.verify.keys';
const LIST = 'haulpass.verify.revocations';
const load = k => { try { return JSON.parse(localStorage.getItem(k)); } catch { return null; } };
const store = (k, v) => { try { localStorage.setItem(k, JSON.stringify(v)); } catch { /* full: keep the old */ } };
// Today in the phone's own calendar (the pass's dates are the city's).
const localIso = () => new Date(Date.now() - new Date().getTimezoneOffset() * 60000).toISOString();
const reasonText = r => t(`verify_r_${String(r).replace(/-/g, '_')}`);

// Fresh keys and revocation list from the service, kept for offline use;
// the saved ones stay when the network fails. The list comes in pages
// (at most 10,000 items each): every page's signature must hold and the
// last must say complete, else nothing is kept (a list cut short would pass
// the codes it misses). Its as_of is the first page's, the earliest.
async function refresh(note) {
  if (!navigator.onLine) return;
  try {
    const keys = await api('GET', '/v1/keys', undefined, {anonymous: true});
    store(KEYS, {...keys, saved_at: localIso()});
    let first = null, last = null, since = null;
    const items = [];
    for (let page = 0; page < 100 && !(last && last.complete); page++) {
      const q = since ? `?since=${encodeURIComponent(since)}` : '';
      const list = await api('GET', `/v1/passes/revocations${q}`, undefined, {anonymous: true});
      if (!revocationsValid(list, keys)) { note.listBad = true; return; }
      first = first || list;
      last = list;
      items.push(...list.items);
      if (!list.items.length) break;
      since = list.items[list.items.length - 1].at;
    }
    if (last && last.complete) store(LIST, {...first, items, complete: true});
    else note.listBad = true;
  } catch { /* offline or refused: the saved copies serve */ }
}

// The verdict to show: {kind: ok|bad|warn, head, sub, pass, footer}.
export function judge(local, online, list, today) {
  if (online) {
    if (!online.valid) return {kind: 'bad', head: t('verify_invalid'), sub: reasonText(online.reason)};
    const p = online.pass;
    const good = p.status === 'active' || p.status === 'provisional';
    // The service says active from issue; the road is closed to it until valid_from.
    if (good && p.valid_from > today) {
      return {kind: 'bad', head: t('verify_invalid'), sub: t('verify_notYet'), pass: p,
        footer: t('verify_statusNow', {at: when(localIso())})};
    }
    return {kind: good ? 'ok' : 'bad', head: good ? t('verify_valid') : t('verify_invalid'),
      sub: t('verify_statusIs', {status: p.status === 'superseded' ? t('verify_superseded') : tv('pstatus', p.status)}), pass: p,
      footer: t('verify_statusNow', {at: when(localIso())})};
  }
  if (!local.valid) return {kind: 'bad', head: t('verify_invalid'), sub: reasonText(local.reason)};
  const c = local.claims;
  const pass = {...c, status: null};
  if (!list) return {kind: 'warn', head: t('verify_unknown'), sub: t('verify_sigOk'), pass, footer: t('verify_noList')};
  const footer = t('verify_asOf', {at: when(list.as_of)});
  const hit = revokedIn(list, c.code, c.revision);
  if (hit) return {kind: 'bad', head: t('verify_invalid'), sub: tv('pstatus', hit.status), pass, footer};
  if (c.valid_to < today) return {kind: 'bad', head: t('verify_invalid'), sub: tv('pstatus', 'expired'), pass, footer};
  if (c.valid_from > today) return {kind: 'bad', head: t('verify_invalid'), sub: t('verify_notYet'), pass, footer};
  return {kind: 'ok', head: t('verify_valid'), sub: t('verify_sigOk'), pass, footer};
}

function drawVerdict(el, v) {
  clear(el);
  el.className = `vf-verdict ${v.kind}`;
  el.append(h('p.vf-head', null, v.head), h('p.vf-sub', null, v.sub));
  const p = v.pass;
  if (p) {
    el.append(h('p.vf-plate', null, p.plate), h('dl', null,
      h('dt', null, t('verify_code_')), h('dd', null, `${p.code} · ${t('verify_revision')} ${p.revision}`),
      h('dt', null, t('type')), h('dd', null, tv('type', p.type)),
      h('dt', null, t('verify_dates')), h('dd', null, `${p.valid_from} – ${p.valid_to}`),
      p.hours !== undefined ? [h('dt', null, t('verify_hours')), h('dd', null, p.hours || '—')] : null,
      p.zone_names ? [h('dt', null, t('verify_zones')), h('dd', null,
        [p.zone_names.join('、') || '—', p.corridor ? ` · ${t('verify_corridor')}` : ''].join(''))] : null,
      p.documents_due ? [h('dt', null, t('verify_documentsDue')), h('dd', null, when(p.documents_due))] : null));
  }
  if (v.footer) el.append(h('p.vf-footer', null, v.footer));
}

// The text of the first QR code in an image (a video frame or a photo), or
// null: the browser's BarcodeDetector where it reads QR codes (Android's
// Chrome), else jsQR on the pixels.
let detector;
async function readQr(source, width, height) {
  if (detector === undefined) {
    detector = null;
    try {
      if ('BarcodeDetector' in window && (await window.BarcodeDetector.getSupportedFormats()).includes('qr_code')) {
        detector = new window.BarcodeDetector({formats: ['qr_code']});
      }
    } catch { detector = null; }
  }
  if (detector) {
    try {
      const found = await detector.detect(source);
      if (found.length) return found[0].rawValue;
    } catch { /* fall through to jsQR */ }
  }
  // Photos from a phone are large; jsQR needs far fewer pixels.
  const scale = Math.min(1, 1200 / Math.max(width, height));
  const w = Math.round(width * scale), hh = Math.round(height * scale);
  const canvas = document.createElement('canvas');
  canvas.width = w;
  canvas.height = hh;
  const g = canvas.getContext('2d', {willReadFrequently: true});
  g.drawImage(source, 0, 0, w, hh);
  const found = jsQR(g.getImageData(0, 0, w, hh).data, w, hh);
  return found ? found.data : null;
}

export async function verify(main) {
  title(main, 'verify_title');
  const verdict = h('section.vf-verdict', {'aria-live': 'polite'});
  const input = h('textarea', {name: 'code', rows: 3, spellcheck: 'false', autocapitalize: 'characters',
    autocomplete: 'off', placeholder: 'HP1:…', 'aria-label': t('verify_code')});
  const msg = h('div.msg');
  const state = h('div.vf-state');
  const note = {};

  function showState() {
    clear(state);
    const keys = load(KEYS), list = load(LIST);
    if (!navigator.onLine) state.append(h('p', null, t('verify_offline')));
    state.append(h('p', null, keys ? t('verify_keys', {n: (keys.keys || []).length, at: when(keys.saved_at)}) : t('verify_noKeys')));
    if (list) state.append(h('p', null, t('verify_list', {n: list.items.length, at: when(list.as_of)})));
    if (note.listBad) state.append(h('p', null, t('verify_listBad')));
  }

  // The phone's own verdict is drawn at once; the service's, when it comes
  // within a few seconds, replaces it (a weak signal must not keep an
  // officer waiting). seq: a later check's answer is never overwritten by
  // an earlier one's.
  let seq = 0;
  async function check(text) {
    const mine = ++seq;
    clear(msg);
    msg.className = 'msg';
    if (!text.trim()) { clear(verdict); verdict.className = 'vf-verdict'; msg.className = 'msg error'; msg.append(h('p', null, t('verify_empty'))); return; }
    const keys = load(KEYS);
    const local = keys ? verifyCode(text, keys, today()) : null;
    clear(verdict);
    verdict.className = 'vf-verdict';
    if (local) {
      drawVerdict(verdict, judge(local, null, load(LIST), today()));
      verdict.scrollIntoView({block: 'start'});
    }
    let online = null;
    if (navigator.onLine) {
      try {
        online = await api('POST', '/v1/verify', {code: text}, {anonymous: true, signal: AbortSignal.timeout(4000)});
      } catch (err) {
        // Refused (429: too many checks from here), unreachable or too
        // slow: the check on the phone stands; a 422 is the code's own.
        if (err instanceof ApiError && err.status === 422) online = {valid: false, reason: 'malformed'};
      }
      if (mine !== seq) return;
      // Keys rotated since they were saved: fetch them for next time.
      if (online && online.valid && local && local.reason === 'unknown-key') refresh(note).then(showState);
    }
    if (!online && !local) { clear(verdict); verdict.className = 'vf-verdict'; msg.className = 'msg error'; msg.append(h('p', null, t('verify_noKeys'))); return; }
    if (online) {
      drawVerdict(verdict, judge(local, online, load(LIST), today()));
      verdict.scrollIntoView({block: 'start'});
    }
    verdict.dataset.done = String(mine);
    showState();
  }

  // Reading a QR code: live from the camera where the browser allows it
  // (getUserMedia needs a secure context: https or localhost), else a
  // photo taken with the phone's camera app (a file input, allowed
  // anywhere).
  const video = h('video.vf-video', {playsinline: true, muted: true, hidden: true});
  let stream = null;
  function stop() {
    if (stream) stream.getTracks().forEach(x => x.stop());
    stream = null;
    video.hidden = true;
    if (camera) camera.textContent = t('verify_camera');
  }
  async function scanLoop() {
    // The screen was left (main.js cleared it): let the camera go.
    if (!stream) return;
    if (!video.isConnected) { stop(); return; }
    if (video.readyState >= 2) {
      const text = await readQr(video, video.videoWidth, video.videoHeight).catch(() => null);
      if (text && stream) { stop(); input.value = text; await check(text); return; }
    }
    setTimeout(scanLoop, 200);
  }
  const live = !!(navigator.mediaDevices && navigator.mediaDevices.getUserMedia);
  const camera = live ? h('button', {type: 'button', onclick: async () => {
    if (stream) { stop(); return; }
    try {
      stream = await navigator.mediaDevices.getUserMedia({video: {facingMode: 'environment'}, audio: false});
      video.srcObject = stream;
      video.hidden = false;
      camera.textContent = t('verify_stop');
      await video.play();
      scanLoop();
    } catch (err) {
      stop();
      msg.className = 'msg error';
      clear(msg).append(h('p', null, t('verify_cameraFailed', {why: err.name || err.message})));
    }
  }}, t('verify_camera')) : null;
  const photo = h('input', {type: 'file', name: 'photo', accept: 'image/*', capture: 'environment', class: 'vf-file',
    onchange: async () => {
      const file = photo.files && photo.files[0];
      photo.value = '';
      if (!file) return;
      let text = null;
      try {
        const img = await createImageBitmap(file);
        text = await readQr(img, img.width, img.height);
      } catch { text = null; }
      if (!text) { clear(verdict); verdict.className = 'vf-verdict'; msg.className = 'msg error'; clear(msg).append(h('p', null, t('verify_noQr'))); return; }
      input.value = text;
      await check(text);
    }});
  const photoLabel = h('label.button.secondary.vf-photo', {}, t('verify_photo'), photo);

  const form = h('form.card.vf-form', {onsubmit: async e => { e.preventDefault(); await check(input.value); }},
    h('p.help', null, t('verify_help')),
    h('div.vf-scan', null, camera, photoLabel), video,
    input, h('div.row', null, h('button.vf-check', {type: 'submit'}, t('verify_check'))), msg);
  main.append(verdict, form, state);
  showState();
  await refresh(note);
  showState();
}
