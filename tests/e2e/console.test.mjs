// End-to-end scenarios of the console in Debian's chromium (headless),
// driven by puppeteer-core. Each scenario gets a fresh database (cloned
// from the migrated template) and its own `haulpass serve`, seeds what it
// needs through the API, then works only through the screens. Every page
// is watched throughout: a request to any other host, a console error, an
// uncaught exception or a dialog fails the scenario. Screenshots go to
// $HAULPASS_E2E_SHOTS. Prints TAP-like lines and "# N passed, M failed".
import {execFileSync, spawn} from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import puppeteer from 'puppeteer-core';

const BIN = process.env.HAULPASS_BIN;
const PG = process.env.HAULPASS_TEST_PG;
const TEMPLATE = process.env.HAULPASS_TEST_TEMPLATE || 'haulpass_template';
const SHOTS = process.env.HAULPASS_E2E_SHOTS || 'var/e2e';
const LOGS = process.env.HAULPASS_TEST_LOGS || os.tmpdir();
const PSQL = '/usr/lib/postgresql/15/bin/psql';
const XSS = '<img src=x onerror=alert(1)>';
const PASSWORDS = {admin: 'admin password 2026', zhang: 'zhang password 2026', li: 'officer li 2026', chen: 'site chen 2026'};

let passed = 0, failed = 0;
const ok = name => { passed++; console.log(`ok - ${name}`); };
const notOk = (name, why) => { failed++; console.log(`not ok - ${name}`); for (const l of String(why).split('\n').slice(0, 12)) console.log(`    ${l}`); };

function psql(sql) {
  execFileSync(PSQL, ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-d', `${PG} dbname=postgres`, '-c', sql], {stdio: ['ignore', 'ignore', 'inherit']});
}
function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => { const {port} = s.address(); s.close(() => resolve(port)); });
    s.on('error', reject);
  });
}
const sleep = ms => new Promise(r => setTimeout(r, ms));

let serial = 0;
// A fresh database and a server on it, with an admin who has a password.
async function freshServer() {
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
    base, admin, call,
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
async function seed(srv) {
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

const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync', '--lang=zh-CN',
  '--disable-dev-shm-usage'];

let shot = 0;
async function snap(page, name) {
  shot++;
  await page.screenshot({path: path.join(SHOTS, `${String(shot).padStart(2, '0')}-${name}.png`)});
}

// A page in a fresh browser context (its own sessionStorage), watched.
async function watchedPage(browser, srv, problems) {
  const ctx = await browser.createBrowserContext();
  const page = await ctx.newPage();
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

async function signIn(page, base, name, password) {
  if (!page.url().startsWith(base)) await page.goto(`${base}/`);
  await page.waitForSelector('input[name=name]');
  await page.$eval('input[name=name]', el => { el.value = ''; });
  await page.type('input[name=name]', name);
  await page.type('input[name=password]', password);
  const [resp] = await Promise.all([
    page.waitForResponse(r => r.url().endsWith('/v1/sessions')),
    page.click('form button[type=submit]'),
  ]);
  return resp.status();
}

// Waits until the screen at path is drawn (main.js marks it).
const ready = (page, p) => page.waitForSelector(`main[data-ready="${p}"]`);
const text = (page, sel) => page.$eval(sel, el => el.textContent);

async function scenario(browser, name, body) {
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

function expect(cond, what) { if (!cond) throw new Error(`expected ${what}`); }

async function main() {
  fs.mkdirSync(SHOTS, {recursive: true});
  for (const f of fs.readdirSync(SHOTS)) if (f.endsWith('.png')) fs.unlinkSync(path.join(SHOTS, f));
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'hp-e2e-chromium-'));
  const browser = await puppeteer.launch({
    executablePath: '/usr/bin/chromium', headless: true, args: [...FLAGS, `--user-data-dir=${profile}`],
    userDataDir: profile,
  });
  const all = [];
  try {
    all.push(...await scenario(browser, 'signing in works, and five wrong passwords lock the name', async (page, srv) => {
      await page.goto(`${srv.base}/`);
      await page.waitForSelector('input[name=password]');
      await snap(page, 'sign-in');
      for (let i = 0; i < 5; i++) expect(await signIn(page, srv.base, 'zhang', 'not my password') === 401, 'a 401');
      expect((await text(page, '.msg.error')).includes('用户名或密码错误'), 'the wrong-password message in Chinese');
      await snap(page, 'sign-in-wrong-password');
      expect(await signIn(page, srv.base, 'zhang', PASSWORDS.zhang) === 429, 'a 429 for the right password while locked');
      expect((await text(page, '.msg.error')).includes('已锁定'), 'the lock message');
      await snap(page, 'sign-in-locked');
      expect(await signIn(page, srv.base, 'li', PASSWORDS.li) === 201, 'another name to sign in');
      await page.waitForSelector('#bar nav a');
      expect((await text(page, '#bar .who')).includes('li'), 'the user named in the bar');
      expect(await page.evaluate(() => document.cookie) === '', 'no cookie');
      expect(await page.evaluate(() => !!sessionStorage.getItem('haulpass.session')), 'the token in sessionStorage');
      expect(await page.evaluate(() => localStorage.getItem('haulpass.session') === null), 'no token in localStorage');
      expect(!page.url().includes('hp_'), 'no token in the URL');
      await snap(page, 'officer-signed-in');
      await Promise.all([page.waitForResponse(r => r.url().endsWith('/v1/sessions/current')), page.click('#bar button.secondary')]);
      await page.waitForSelector('input[name=name]');
      expect(await page.evaluate(() => sessionStorage.getItem('haulpass.session') === null), 'the token gone after signing out');
    }));

    all.push(...await scenario(browser, 'the haulier registers a truck and sees the violation on a trip check', async (page, srv) => {
      expect(await signIn(page, srv.base, 'zhang', PASSWORDS.zhang) === 201, 'signed in');
      await ready(page, '/haulier/fleet');
      // English, switched from the bar.
      await page.click('#bar button.lang');
      await ready(page, '/haulier/fleet');
      expect(await text(page, '#bar nav a') === 'Fleet', 'the bar in English');
      await page.type('form input[name=plate]', '鲁Q 12345');
      await Promise.all([page.waitForResponse(r => r.url().endsWith('/v1/vehicles') && r.request().method() === 'POST'), page.click('form button[type=submit]')]);
      await page.waitForFunction(() => [...document.querySelectorAll('td')].some(td => td.textContent === '鲁Q12345'));
      // A CSV of three rows, one of them bad: the good ones go in, the bad one is listed with its line.
      const csv = path.join(os.tmpdir(), `hp-e2e-${process.pid}.csv`);
      fs.writeFileSync(csv, 'plate,class,gross_weight_kg\n鲁Q20001,heavy_truck,25000\n鲁Q20002,spaceship,1000\n鲁Q20003,light_truck,3500\n');
      await (await page.$('input[name=csv]')).uploadFile(csv);
      await Promise.all([page.waitForResponse(r => r.url().endsWith('/v1/vehicles/import')), page.click('main form:last-of-type button[type=submit]')]);
      await page.waitForSelector('main form:last-of-type tr.bad');
      const bad = await page.$$eval('main form:last-of-type tr.bad td', tds => tds.map(td => td.textContent));
      expect(bad[0] === '3' && bad[1].includes('class'), `the bad row listed with its line (got ${bad.join(' | ')})`);
      await page.waitForFunction(() => [...document.querySelectorAll('td')].some(td => td.textContent === '鲁Q20003'));
      fs.unlinkSync(csv);
      await snap(page, 'haulier-fleet');
      await page.click('#bar nav a[href="/haulier/trip"]');
      await ready(page, '/haulier/trip');
      await page.waitForSelector('.map .leaflet-overlay-pane path');
      await page.select('select[name=plate]', '鲁Q12345');
      const box = await (await page.$('.map')).boundingBox();
      await page.mouse.click(box.x + box.width * 0.2, box.y + box.height * 0.55);
      await page.mouse.click(box.x + box.width * 0.8, box.y + box.height * 0.55);
      await page.click('form button[type=submit]');
      await page.waitForSelector('.verdict');
      expect((await page.$('.verdict.bad')) !== null, 'the trip not allowed');
      const rows = await page.$$eval('tr.bad td', tds => tds.map(td => td.textContent));
      expect(rows.includes('兰山核心区 Lanshan core'), `the violated zone listed (got ${rows.join(' | ')})`);
      await snap(page, 'haulier-trip-violation');
    }));

    all.push(...await scenario(browser, 'a zone named <img src=x onerror=alert(1)> shows as text and fires nothing', async (page, srv) => {
      expect(await signIn(page, srv.base, 'zhang', PASSWORDS.zhang) === 201, 'signed in');
      await page.waitForSelector('#bar nav a');
      await page.click('#bar nav a[href="/zones"]');
      await page.waitForFunction(() => document.querySelectorAll('.leaflet-overlay-pane path').length >= 2);
      let shown = false;
      for (const p of await page.$$('.leaflet-overlay-pane path')) {
        await p.hover();
        await sleep(100);
        const tips = await page.$$eval('.leaflet-tooltip', ts => ts.map(el => el.textContent));
        if (tips.includes(XSS)) { shown = true; break; }
      }
      expect(shown, 'the name as text in the tooltip');
      await snap(page, 'zones-xss-tooltip');
      await page.click('#bar nav a[href="/applications"]');
      await ready(page, '/applications');
      const options = await page.$$eval('select[name=zone_ids] option', os => os.map(o => o.textContent));
      expect(options.includes(XSS), 'the name as an option');
      expect(await page.evaluate(() => document.querySelectorAll('img[src="x"]').length) === 0, 'no img element made');
      await snap(page, 'applications-xss-option');
    }));

    all.push(...await scenario(browser, 'the haulier applies, the officer claims it, sees it on the map and approves; the trip is then allowed', async (page, srv) => {
      expect(await signIn(page, srv.base, 'zhang', PASSWORDS.zhang) === 201, 'signed in');
      await ready(page, '/haulier/fleet');
      await page.type('form input[name=plate]', '鲁Q54321');
      await Promise.all([page.waitForResponse(r => r.url().endsWith('/v1/vehicles') && r.request().method() === 'POST'), page.click('form button[type=submit]')]);
      await page.click('#bar nav a[href="/applications"]');
      await ready(page, '/applications');
      await page.select('select[name=type]', 'construction');
      await page.select('select[name=plates]', '鲁Q54321');
      const coreId = await page.$$eval('select[name=zone_ids] option', os => os.find(o => o.textContent.startsWith('兰山')).value);
      await page.select('select[name=zone_ids]', coreId);
      await Promise.all([page.waitForResponse(r => r.url().endsWith('/v1/applications') && r.request().method() === 'POST'), page.click('form button[type=submit]')]);
      await page.waitForSelector('.msg.ok');
      await page.waitForSelector('table .badge');
      await snap(page, 'haulier-applied');
      await Promise.all([page.waitForResponse(r => r.url().endsWith('/v1/sessions/current')), page.click('#bar button.secondary')]);
      expect(await signIn(page, srv.base, 'li', PASSWORDS.li) === 201, 'the officer signed in');
      await ready(page, '/officer/queue');
      await page.click('main .row button');
      await page.waitForSelector('.map .leaflet-overlay-pane path');
      await snap(page, 'officer-claimed');
      await page.type('textarea[name=reason]', '路线和载重已核实 route and load checked');
      await Promise.all([page.waitForResponse(r => r.url().endsWith('/decision')), page.click('main .split button:not(.danger)')]);
      await page.waitForSelector('.msg.ok');
      expect((await text(page, '.msg.ok')).includes('已批准'), 'approved');
      await snap(page, 'officer-approved');
      await Promise.all([page.waitForResponse(r => r.url().endsWith('/v1/sessions/current')), page.click('#bar button.secondary')]);
      expect(await signIn(page, srv.base, 'zhang', PASSWORDS.zhang) === 201, 'the haulier again');
      await page.waitForSelector('#bar nav a');
      await page.click('#bar nav a[href="/haulier/trip"]');
      await ready(page, '/haulier/trip');
      await page.waitForSelector('.map .leaflet-overlay-pane path');
      await page.select('select[name=plate]', '鲁Q54321');
      const box = await (await page.$('.map')).boundingBox();
      await page.mouse.click(box.x + box.width * 0.2, box.y + box.height * 0.55);
      await page.mouse.click(box.x + box.width * 0.8, box.y + box.height * 0.55);
      await page.click('form button[type=submit]');
      await page.waitForSelector('.verdict');
      expect((await page.$('.verdict.ok')) !== null, 'the trip allowed with the pass');
      await snap(page, 'haulier-trip-allowed');
      // On a phone, the route typed from the keyboard.
      await page.setViewport({width: 390, height: 844});
      await page.click('#bar nav a[href="/haulier/trip"]');
      await ready(page, '/haulier/trip');
      await page.select('select[name=plate]', '鲁Q54321');
      await page.type('input[name=route_text]', '118.25,35.06; 118.45,35.06');
      await page.click('form button[type=submit]');
      await page.waitForSelector('.verdict.ok');
      await page.evaluate(() => document.querySelector('.verdict').scrollIntoView());
      await snap(page, 'haulier-trip-on-a-phone');
      await page.setViewport({width: 1280, height: 860});
      // The officer finds the pass by its plate and revokes it with a reason.
      await Promise.all([page.waitForResponse(r => r.url().endsWith('/v1/sessions/current')), page.click('#bar button.secondary')]);
      expect(await signIn(page, srv.base, 'li', PASSWORDS.li) === 201, 'the officer again');
      await ready(page, '/officer/queue');
      await page.click('#bar nav a[href="/passes"]');
      await ready(page, '/passes');
      await page.type('input[name=q]', '鲁Q54321');
      await Promise.all([page.waitForResponse(r => r.url().includes('/v1/passes?plate=')), page.click('main form button[type=submit]')]);
      await page.type('input[name=revoke_reason]', '超载 load over the permit');
      await Promise.all([page.waitForResponse(r => r.url().endsWith('/revoke')), page.click('main table button.danger')]);
      await page.waitForFunction(() => [...document.querySelectorAll('tr.bad td')].some(td => td.textContent.startsWith('已吊销')));
      await snap(page, 'officer-revoked-pass');
    }));

    all.push(...await scenario(browser, 'the haulier applies naming a project, the site endorses it onto the fast track, the haulier withdraws another', async (page, srv) => {
      const signOut = () => Promise.all([page.waitForResponse(r => r.url().endsWith('/v1/sessions/current')), page.click('#bar button.secondary')]);
      expect(await signIn(page, srv.base, 'zhang', PASSWORDS.zhang) === 201, 'signed in');
      await ready(page, '/haulier/fleet');
      await page.type('form input[name=plate]', '鲁Q77777');
      await Promise.all([page.waitForResponse(r => r.url().endsWith('/v1/vehicles') && r.request().method() === 'POST'), page.click('form button[type=submit]')]);
      await page.click('#bar nav a[href="/applications"]');
      await ready(page, '/applications');
      const submit = async withProject => {
        await page.select('select[name=type]', 'construction');
        await page.select('select[name=plates]', '鲁Q77777');
        const core = await page.$$eval('select[name=zone_ids] option', os => os.find(o => o.textContent.startsWith('兰山')).value);
        await page.select('select[name=zone_ids]', core);
        const project = withProject ? await page.$$eval('select[name=project_id] option', os => os.find(o => o.textContent.startsWith('临沂北站')).value) : '';
        await page.select('select[name=project_id]', project);
        await Promise.all([page.waitForResponse(r => r.url().endsWith('/v1/applications') && r.request().method() === 'POST'), page.click('form button[type=submit]')]);
      };
      await submit(true);
      await submit(false);
      await page.waitForFunction(() => document.querySelectorAll('tbody tr').length === 2);
      await signOut();
      expect(await signIn(page, srv.base, 'chen', PASSWORDS.chen) === 201, 'the site signed in');
      await ready(page, '/site/endorse');
      await snap(page, 'site-to-endorse');
      await Promise.all([page.waitForResponse(r => r.url().endsWith('/endorse')), page.click('main table button')]);
      await page.waitForSelector('.msg.ok');
      await snap(page, 'site-endorsed');
      await signOut();
      expect(await signIn(page, srv.base, 'zhang', PASSWORDS.zhang) === 201, 'the haulier again');
      await ready(page, '/haulier/fleet');
      await page.click('#bar nav a[href="/applications"]');
      await ready(page, '/applications');
      expect(await page.$$eval('.badge.fast', b => b.length) === 1, 'one application on the fast track');
      // The other one: its detail, then withdraw.
      await page.evaluate(() => [...document.querySelectorAll('tbody tr')].find(tr => !tr.querySelector('.badge.fast')).querySelector('a').click());
      await page.waitForSelector('main[data-ready^="/applications/"]');
      await page.waitForSelector('.map .leaflet-overlay-pane path');
      await snap(page, 'haulier-application-detail');
      await Promise.all([page.waitForResponse(r => r.url().endsWith('/withdraw')), page.click('main button.danger')]);
      await page.waitForFunction(() => [...document.querySelectorAll('dd')].some(dd => dd.textContent.startsWith('已撤回')));
      await snap(page, 'haulier-withdrawn');
    }));

    all.push(...await scenario(browser, 'an application with a document to follow is approved provisionally and the haulier supplies it', async (page, srv) => {
      const signOut = () => Promise.all([page.waitForResponse(r => r.url().endsWith('/v1/sessions/current')), page.click('#bar button.secondary')]);
      expect(await signIn(page, srv.base, 'zhang', PASSWORDS.zhang) === 201, 'signed in');
      await ready(page, '/haulier/fleet');
      await page.type('form input[name=plate]', '鲁Q88888');
      await Promise.all([page.waitForResponse(r => r.url().endsWith('/v1/vehicles') && r.request().method() === 'POST'), page.click('form button[type=submit]')]);
      await page.click('#bar nav a[href="/applications"]');
      await ready(page, '/applications');
      await page.select('select[name=plates]', '鲁Q88888');
      const core = await page.$$eval('select[name=zone_ids] option', os => os.find(o => o.textContent.startsWith('兰山')).value);
      await page.select('select[name=zone_ids]', core);
      await page.type('textarea[name=documents_missing]', '施工许可 works permit');
      await Promise.all([page.waitForResponse(r => r.url().endsWith('/v1/applications') && r.request().method() === 'POST'), page.click('form button[type=submit]')]);
      await page.waitForSelector('.msg.ok');
      await signOut();
      expect(await signIn(page, srv.base, 'li', PASSWORDS.li) === 201, 'the officer signed in');
      await ready(page, '/officer/queue');
      await page.click('main .row button');
      await page.waitForSelector('fieldset input[type=checkbox]');
      await page.type('textarea[name=reason]', '容缺受理 documents to follow');
      await snap(page, 'officer-provisional');
      await Promise.all([page.waitForResponse(r => r.url().endsWith('/decision')), page.evaluate(() =>
        [...document.querySelectorAll('main .split button')].find(b => b.textContent === '容缺批准').click())]);
      await page.waitForSelector('.msg.ok');
      expect((await text(page, '.msg.ok')).includes('容缺批准'), 'approved provisionally');
      await signOut();
      expect(await signIn(page, srv.base, 'zhang', PASSWORDS.zhang) === 201, 'the haulier again');
      await ready(page, '/haulier/fleet');
      await page.click('#bar nav a[href="/applications"]');
      await ready(page, '/applications');
      await page.click('main tbody a');
      await page.waitForSelector('main[data-ready^="/applications/"]');
      expect((await page.$$eval('dd', dds => dds.map(d => d.textContent).join(' '))).includes('施工许可 works permit (待补)'), 'the missing document marked');
      await Promise.all([page.waitForResponse(r => r.url().endsWith('/documents')), page.evaluate(() =>
        [...document.querySelectorAll('main button')].find(b => b.textContent.startsWith('已补交')).click())]);
      await page.waitForFunction(() => !document.body.textContent.includes('(待补)') && document.querySelector('main[data-ready^="/applications/"]'));
      await snap(page, 'haulier-supplied-document');
    }));

    all.push(...await scenario(browser, 'the admin creates a user with a password, who then signs in', async (page, srv) => {
      expect(await signIn(page, srv.base, 'admin', PASSWORDS.admin) === 201, 'the admin signed in');
      await page.waitForSelector('#bar nav a');
      await page.click('#bar nav a[href="/admin/users"]');
      await ready(page, '/admin/users');
      await page.type('form input[name=name]', '王警官');
      await page.select('form select[name=role]', 'officer');
      await page.type('form input[name=password]', 'wang password 2026');
      await Promise.all([page.waitForResponse(r => r.url().endsWith('/v1/users')), page.click('form button[type=submit]')]);
      await page.waitForSelector('.msg.ok');
      await snap(page, 'admin-created-user');
      await Promise.all([page.waitForResponse(r => r.url().endsWith('/v1/sessions/current')), page.click('#bar button.secondary')]);
      expect(await signIn(page, srv.base, '王警官', 'wang password 2026') === 201, 'the new user signed in');
      await page.waitForSelector('#bar .who');
      expect((await text(page, '#bar .who')).includes('王警官'), 'the new user named');
    }));
  } finally {
    await browser.close();
    fs.rmSync(profile, {recursive: true, force: true});
  }
  const foreign = all.filter(p => p.startsWith('request to another host'));
  if (foreign.length) notOk('no page sent a request to any host but the server', foreign.join('\n'));
  else ok('no page sent a request to any host but the server');
  const errors = all.filter(p => p.startsWith('console error') || p.startsWith('uncaught') || p.startsWith('dialog'));
  if (errors.length) notOk('no console error, uncaught exception or dialog on any page', errors.join('\n'));
  else ok('no console error, uncaught exception or dialog on any page');
}

main().catch(e => notOk('the end-to-end run', e.stack || e)).finally(() => {
  console.log(`# ${passed} passed, ${failed} failed`);
  process.exitCode = failed ? 1 : 0;
});
