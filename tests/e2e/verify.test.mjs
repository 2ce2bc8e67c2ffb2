// The roadside check (/verify, web/src/screens/verify.js): open without
// signing in on a phone-sized page; once online (keys and revocation list
// saved), then with the network cut: a good code is valid "as of" the
// list, a changed or cut code is refused, all checked in the browser;
// online, a revoked pass shows revoked; a photo of the printed QR is read;
// the officer finds the page in the bar. Run by main.mjs.
import {execFileSync} from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {PASSWORDS, scenario, signIn, ready, text, snap, expect, navTo} from './harness.mjs';

async function token(srv, name) {
  const r = await fetch(`${srv.base}/v1/sessions`, {method: 'POST', headers: {'Content-Type': 'application/json'},
    body: JSON.stringify({name, password: PASSWORDS[name]})});
  return (await r.json()).token;
}

// A pass for plate over the core zone, filed by zhang and approved by li:
// {code, signed_code}.
async function issue(srv, data, plate) {
  const zhang = await token(srv, 'zhang'), li = await token(srv, 'li');
  await srv.call('POST', '/v1/vehicles', zhang, {plate, class: 'heavy_truck', gross_weight_kg: 31000});
  const today = new Date().toISOString().slice(0, 10);
  const later = new Date(Date.now() + 30 * 86400000).toISOString().slice(0, 10);
  const app = await srv.call('POST', '/v1/applications', zhang, {type: 'construction', plates: [plate],
    valid_from: today, valid_to: later, hours: 'Mo-Su 06:00-22:00', zone_ids: [data.core.id], documents: [{name: '施工许可 permit', provided: true}]});
  await srv.call('POST', '/v1/queue/claim', li);
  await srv.call('POST', `/v1/applications/${app.id}/decision`, li, {decision: 'approve', reason: '已核实 checked'});
  const pass = (await srv.call('GET', `/v1/passes?plate=${encodeURIComponent(plate)}`, li)).items[0];
  expect(pass && pass.signed_code && pass.signed_code.startsWith('HP1:'), 'a signed code on the pass');
  return {...pass, li};
}

// The code with one character of its signature changed (still base45).
function tamper(code) {
  const i = code.length - 10;
  return code.slice(0, i) + (code[i] === 'A' ? 'B' : 'A') + code.slice(i + 1);
}

// Checks code and waits for that check's final verdict (the page draws the
// phone's own verdict first and the service's when it comes; data-done
// marks the end), or for its error message.
async function check(page, code) {
  const before = await page.$eval('.vf-verdict', el => el.dataset.done || '');
  await page.$eval('textarea[name=code]', el => { el.value = ''; });
  await page.type('textarea[name=code]', code);
  await page.click('button.vf-check');
  await page.waitForFunction(b => {
    const v = document.querySelector('.vf-verdict');
    const e = document.querySelector('main .msg.error');
    return (v && (v.dataset.done || '') !== b) || (e && e.textContent);
  }, {}, before);
  const r = await page.$eval('main', m => ({kind: (m.querySelector('.vf-verdict') || {}).className || '', text: m.textContent}));
  return r;
}

export async function run(browser, all) {
  all.push(...await scenario(browser, 'the verify page checks a pass on a phone with no network, refuses a changed or cut code, and shows a revoked pass online', async (page, srv, data) => {
    const pass = await issue(srv, data, '鲁Q80001');
    await page.setViewport({width: 390, height: 844, isMobile: true, hasTouch: true});
    // Online once, without signing in: the keys and the list are saved.
    await page.goto(`${srv.base}/verify`);
    await ready(page, '/verify');
    await page.waitForFunction(() => !!localStorage.getItem('haulpass.verify.revocations'));
    expect(await page.$('input[name=password]') === null, 'no sign-in form on /verify');
    await snap(page, 'verify-page-phone');

    // The network cut.
    await page.setOfflineMode(true);
    let r = await check(page, pass.signed_code);
    expect(r.kind.includes('ok'), `valid offline (got ${r.kind}: ${r.text})`);
    expect(r.text.includes('签名有效；状态截至'), 'the "status as of" line');
    expect(r.text.includes('鲁Q80001') && r.text.includes(pass.code), 'the plate and the pass code from the signed code');
    await snap(page, 'verify-offline-valid');
    r = await check(page, tamper(pass.signed_code));
    expect(r.kind.includes('bad') && r.text.includes('签名不符'), `a changed code refused offline (got ${r.text})`);
    await snap(page, 'verify-offline-tampered');
    r = await check(page, pass.signed_code.slice(0, 120));
    expect(r.kind.includes('bad') && (r.text.includes('不完整') || r.text.includes('无效字符')), `a cut code refused (got ${r.text})`);
    r = await check(page, 'hello <b>world</b>');
    expect(r.kind.includes('bad') && r.text.includes('不是通行码'), 'garbage refused');
    // English, switched from the bar, still offline.
    await page.click('#bar button.lang');
    await ready(page, '/verify');
    r = await check(page, pass.signed_code);
    expect(r.text.includes('VALID') && r.text.includes('signature valid; status as of'), 'the English verdict');
    await page.click('#bar button.lang');
    await ready(page, '/verify');

    // Revoked while the phone is offline: the saved list does not know yet.
    await srv.call('POST', `/v1/passes/${encodeURIComponent(pass.code)}/revoke`, pass.li, {reason: '超载 overloaded'});
    r = await check(page, pass.signed_code);
    expect(r.kind.includes('ok'), 'still valid by the old list');

    // Back online: the service says revoked at once.
    await page.setOfflineMode(false);
    r = await check(page, pass.signed_code);
    expect(r.kind.includes('bad') && r.text.includes('已吊销'), `revoked online (got ${r.text})`);
    expect(r.text.includes('当前状态'), 'the status said to be the current one');
    await snap(page, 'verify-online-revoked');
    // The page reloaded online fetches the new list: offline it now says revoked.
    await page.reload();
    await ready(page, '/verify');
    await page.waitForFunction(code => (localStorage.getItem('haulpass.verify.revocations') || '').includes(code), {}, pass.code);
    await page.setOfflineMode(true);
    r = await check(page, pass.signed_code);
    expect(r.kind.includes('bad') && r.text.includes('已吊销') && r.text.includes('状态截至'), `revoked by the new list offline (got ${r.text})`);
    await snap(page, 'verify-offline-revoked');
    await page.setOfflineMode(false);
  }));

  all.push(...await scenario(browser, 'the verify page reads a photo of the printed QR code, and officers find it in the bar', async (page, srv, data) => {
    const pass = await issue(srv, data, '鲁Q80002');
    // The permit's QR as a photo would be: the service's SVG, rasterised.
    const svg = await (await fetch(`${srv.base}/v1/passes/${encodeURIComponent(pass.code)}/qr.svg`,
      {headers: {Authorization: `Bearer ${pass.li}`}})).text();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hp-e2e-qr-'));
    fs.writeFileSync(path.join(dir, 'qr.svg'), svg);
    execFileSync('rsvg-convert', ['-w', '600', '-b', 'white', '-o', path.join(dir, 'qr.png'), path.join(dir, 'qr.svg')]);
    expect(await signIn(page, srv.base, 'li', PASSWORDS.li) === 201, 'the officer signed in');
    await ready(page, '/officer/queue');
    await navTo(page, '/verify');
    await ready(page, '/verify');
    const input = await page.$('input[name=photo]');
    await Promise.all([page.waitForResponse(x => x.url().endsWith('/v1/verify')), input.uploadFile(path.join(dir, 'qr.png'))]);
    await page.waitForSelector('.vf-verdict.ok');
    expect((await page.$eval('textarea[name=code]', el => el.value)) === pass.signed_code, 'the code read from the photo');
    expect((await text(page, '.vf-verdict')).includes('有效') && (await text(page, '.vf-verdict')).includes('兰山核心区'), 'valid online, with the zone names');
    await snap(page, 'verify-photo-online-valid');
    fs.rmSync(dir, {recursive: true, force: true});
  }));
}
