// What every end-to-end scenario shares: a fresh database (cloned from the
// migrated template) and its own `haulpass serve` for each scenario, the
// small demo city seeded through the API, a watched page (a request to any
// other host, a console error, an uncaught exception or a dialog fails the
// scenario), signing in, waiting for a screen, screenshots into
// $HAULPASS_E2E_SHOTS, and the TAP-like tally. The scenarios are in
// *.test.mjs; main.mjs runs them.
import {execFileSync, spawn} from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

export const BIN = process.env.HAULPASS_BIN;
export const PG = process.env.HAULPASS_TEST_PG;
export const TEMPLATE = process.env.HAULPASS_TEST_TEMPLATE || 'haulpass_template';
export const SHOTS = process.env.HAULPASS_E2E_SHOTS || 'var/e2e';
export const LOGS = process.env.HAULPASS_TEST_LOGS || os.tmpdir();
export const PSQL = '/usr/lib/postgresql/15/bin/psql';
export const XSS = '<img src=x onerror=alert(1)>';
export const PASSWORDS = {admin: 'admin password 2026', zhang: 'zhang password 2026', li: 'officer li 2026', chen: 'site chen 2026'};

export const tally = {passed: 0, failed: 0};
export const ok = name => { tally.passed++; console.log(`ok - ${name}`); };
export const notOk = (name, why) => { tally.failed++; console.log(`not ok - ${name}`); for (const l of String(why).split('\n').slice(0, 12)) console.log(`    ${l}`); };

export function psql(sql, db = 'postgres') {
  execFileSync(PSQL, ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-d', `${PG} dbname=${db}`, '-c', sql], {stdio: ['ignore', 'ignore', 'inherit']});
}
export function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => { const {port} = s.address(); s.close(() => resolve(port)); });
    s.on('error', reject);
  });
}
export const sleep = ms => new Promise(r => setTimeout(r, ms));

let serial = 0;
// A fresh database and a server on it, with an admin who has a password.
export async function freshServer() {
  const db = `e2e_${process.pid}_${++serial}`;
  psql(`CREATE DATABASE ${db} TEMPLATE ${TEMPLATE}`);
  const conninfo = `${PG} dbname=${db}`;
  const admin = execFileSync(BIN, ['user', 'add', '--org', '市交警支队 City Traffic Police', '--kind', 'police', '--role', 'admin',
    '--name', 'admin', '--password-file', '-', '--db', conninfo], {input: `${PASSWORDS.admin}\n`}).toString().trim();
  const port = await freePort();
  const log = fs.openSync(path.join(LOGS, `e2e-server-${serial}.log`), 'w');
  const proc = spawn(BIN, ['serve'], {
    env: {...process.env, HAULPASS_DB: conninfo, HAULPASS_LISTEN: `127.0.0.1:${port}`, HAULPASS_THREADS: '2',
      HAULPASS_DB_POOL: '4', HAULPASS_LOG: 'warn'},
    stdio: ['ignore', 'ignore', log],
  });
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    try { if ((await fetch(`${base}/readyz`)).ok) break; } catch { /* not yet */ }
    if (i > 150 || proc.exitCode !== null) throw new Error(`haulpass serve did not start (log: ${LOGS}/e2e-server-${serial}.log)`);
    await sleep(100);
  }
  async function call(method, p, token, body) {
    const r = await fetch(base + p, {method, headers: {Authorization: `Bearer ${token}`, 'Content-Type': 'application/json'},
      body: body === undefined ? undefined : JSON.stringify(body)});
    const text = await r.text();
    if (!r.ok) throw new Error(`${method} ${p}: ${r.status} ${text}`);
    return text ? JSON.parse(text) : null;
  }
  return {
    base, admin, call, db,
    async stop() {
      proc.kill('SIGTERM');
      await new Promise(r => (proc.exitCode !== null ? r() : proc.once('exit', r)));
      fs.closeSync(log);
      psql(`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`);
    },
  };
}

// The demo city in small: a haulier with a password, a zone closed to heavy
// trucks at every hour (a construction pass lifts it), and a zone whose
// name is an HTML injection attempt.
export async function seed(srv) {
  const org = await srv.call('POST', '/v1/orgs', srv.admin, {name: '沂蒙物流 Yimeng Logistics', kind: 'haulier'});
  await srv.call('POST', '/v1/users', srv.admin, {org_id: org.id, name: 'zhang', role: 'haulier', password: PASSWORDS.zhang});
  const police = (await srv.call('GET', '/v1/orgs', srv.admin)).items.find(o => o.kind === 'police');
  const li = await srv.call('POST', '/v1/users', srv.admin, {org_id: police.id, name: 'li', role: 'officer', password: PASSWORDS.li});
  const siteOrg = await srv.call('POST', '/v1/orgs', srv.admin, {name: '北站建设指挥部 North station site', kind: 'site'});
  await srv.call('POST', '/v1/users', srv.admin, {org_id: siteOrg.id, name: 'chen', role: 'site', password: PASSWORDS.chen});
  await srv.call('POST', '/v1/projects', srv.admin, {name: '临沂北站枢纽 North station hub', level: 'provincial', site_org_id: siteOrg.id,
    liaison_officer_id: li.id, location: {type: 'Point', coordinates: [118.36, 35.12]}, valid_to: '2027-12-31'});
  const square = (w, s, e, n) => ({type: 'Polygon', coordinates: [[[w, s], [e, s], [e, n], [w, n], [w, s]]]});
  const core = await srv.call('POST', '/v1/zones', srv.admin, {name: '兰山核心区 Lanshan core', geometry: square(118.30, 35.03, 118.40, 35.09),
    rules: [{vehicle_classes: ['heavy_truck'], liftable_by: ['construction']}]});
  await srv.call('POST', '/v1/zones', srv.admin, {name: XSS, geometry: square(118.33, 35.10, 118.37, 35.12), rules: []});
  return {core};
}

export const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync', '--lang=zh-CN',
  '--disable-dev-shm-usage'];

let shot = 0;
export async function snap(page, name) {
  shot++;
  await page.screenshot({path: path.join(SHOTS, `${String(shot).padStart(2, '0')}-${name}.png`)});
  // What a person would see as a slip of the code: a text that is only
  // "null", "undefined", "NaN" or "[object Object]" (DOM append() writes
  // null as the word). Every screenshot taken is looked at for them.
  const slips = await page.evaluate(() => {
    const found = [], walk = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let n; (n = walk.nextNode());) {
      if (/^\s*(null|undefined|NaN|\[object Object\])\s*$/.test(n.data)) found.push(`${n.parentElement.outerHTML.slice(0, 120)}`);
    }
    return found;
  });
  if (slips.length) throw new Error(`the screen ${name} shows a slip of the code: ${slips.join(' | ')}`);
}

// A page in a fresh browser context (its own sessionStorage), watched.
export async function watchedPage(browser, srv, problems) {
  const ctx = await browser.createBrowserContext();
  const page = await ctx.newPage();
  // A screen draws after its data arrives: clicking, typing into or
  // choosing in an element waits for it to exist first (as a person
  // would), instead of failing when the page is a moment behind the test.
  for (const m of ['click', 'type', 'select']) {
    const direct = page[m].bind(page);
    page[m] = async (selector, ...rest) => { await page.waitForSelector(selector); return direct(selector, ...rest); };
  }
  await page.setViewport({width: 1280, height: 860});
  // The browser of a dispatcher in Linyi: Chinese (navigator.language).
  const cdp = await page.createCDPSession();
  await cdp.send('Emulation.setLocaleOverride', {locale: 'zh-CN'});
  await page.emulateTimezone('Asia/Shanghai');
  await page.evaluateOnNewDocument(() => {
    Object.defineProperty(navigator, 'language', {get: () => 'zh-CN'});
  });
  page.setDefaultTimeout(15000);
  const origin = new URL(srv.base).origin;
  page.on('request', r => {
    const u = r.url();
    if (!u.startsWith('data:') && new URL(u).origin !== origin) problems.push(`request to another host: ${u}`);
  });
  // Chromium logs every 4xx answer as "Failed to load resource"; the API's
  // are expected (a wrong password is a 401), so those are judged by the
  // answers themselves: any failure outside /v1/ (the page, a bundle) is one.
  page.on('console', m => {
    if (m.type() === 'error' && !/^Failed to load resource: the server responded with a status of 4\d\d/.test(m.text())) problems.push(`console error: ${m.text()}`);
  });
  page.on('response', r => {
    const u = new URL(r.url());
    if (r.status() >= 400 && !u.pathname.startsWith('/v1/')) problems.push(`console error: ${r.status()} for ${u.pathname}`);
    if (r.status() >= 500) problems.push(`console error: ${r.status()} for ${u.pathname}`);
  });
  page.on('requestfailed', r => problems.push(`console error: request failed: ${r.url()} ${r.failure() && r.failure().errorText}`));
  page.on('pageerror', e => problems.push(`uncaught: ${e.message}`));
  page.on('dialog', async d => { problems.push(`dialog: ${d.message()}`); await d.dismiss(); });
  return {page, ctx};
}

export async function signIn(page, base, name, password) {
  if (!page.url().startsWith(base)) await page.goto(`${base}/`);
  await page.waitForSelector('input[name=name]');
  await page.$eval('input[name=name]', el => { el.value = ''; });
  await page.type('input[name=name]', name);
  await page.type('input[name=password]', password);
  const [resp] = await Promise.all([
    page.waitForResponse(r => r.url().endsWith('/v1/sessions')),
    page.click('form button[type=submit]'),
  ]);
  // A refusal is handled after the answer arrives: the message is written,
  // then the password field emptied. Wait for that, so that the caller reads
  // the new message and the next sign-in's typing is not wiped.
  if (resp.status() !== 201) await page.waitForFunction(() => document.querySelector('input[name=password]')?.value === '');
  // An accepted one is kept by the page and followed by the home screen:
  // wait until that is drawn, or a caller's next page.goto() could start
  // before the session is stored and land on the sign-in form (seen on a
  // loaded machine as a screen that never became ready).
  else await page.waitForFunction(() => {
    const r = document.querySelector('main')?.dataset.ready;
    return r && r !== 'sign-in';
  });
  return resp.status();
}

// Waits until the screen at path is drawn (main.js marks it).
export const ready = (page, p) => page.waitForSelector(`main[data-ready="${p}"]`);
export const text = (page, sel) => page.$eval(sel, el => el.textContent);

export async function scenario(browser, name, body) {
  const problems = [];
  let srv;
  try {
    srv = await freshServer();
    const data = await seed(srv);
    const {page, ctx} = await watchedPage(browser, srv, problems);
    try {
      await body(page, srv, data);
    } catch (e) {
      await snap(page, 'FAILED').catch(() => {});
      throw e;
    } finally {
      await ctx.close();
    }
    if (problems.length) notOk(name, problems.join('\n'));
    else ok(name);
  } catch (e) {
    notOk(name, `${e.stack || e}${problems.length ? `\n${problems.join('\n')}` : ''}`);
  } finally {
    if (srv) await srv.stop().catch(() => {});
  }
  return problems;
}

// Clicks what sel finds, finding it again when a re-render replaced it
// between the finding and the click (a list that reloads as the map moves):
// the click lands on the element the page shows at that moment.
export async function clickSettled(page, sel, tries = 20) {
  for (let i = 1; ; i++) {
    const el = await page.waitForSelector(sel);
    try {
      return await el.click();
    } catch (e) {
      if (i >= tries || !/detached|not clickable|no longer/i.test(String(e.message))) throw e;
    } finally {
      await el.dispose().catch(() => {});
    }
  }
}

export function expect(cond, what) { if (!cond) throw new Error(`expected ${what}`); }

// Clicks the bar's link to href, opening the bar's "more" menu first when
// the link is in it (web/src/main.js keeps the bar to one line).
export async function navTo(page, href) {
  const sel = `#bar nav a[href="${href}"]`;
  await page.waitForSelector(sel);
  if (await page.$eval(sel, a => !!a.closest('details.more:not([open])'))) await page.click('#bar details.more summary');
  await page.click(sel);
}
