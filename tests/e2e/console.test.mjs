// The console's first scenarios: signing in and locking, the haulier's
// trip check, a hostile zone name, an application from filing to approval,
// endorsement onto the fast track, provisional approval, and the admin
// creating a user. Run by main.mjs; each returns its page's problems into all.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {PASSWORDS, XSS, scenario, signIn, ready, text, snap, expect, sleep} from './harness.mjs';

export async function run(browser, all) {
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
    // A trip across the core zone, clicked on the map, for 鲁Q12345.
    const checkTrip = async () => {
      await page.waitForSelector('.map .leaflet-overlay-pane path');
      await page.select('select[name=plate]', '鲁Q12345');
      const box = await (await page.$('.map')).boundingBox();
      await page.mouse.click(box.x + box.width * 0.2, box.y + box.height * 0.55);
      await page.mouse.click(box.x + box.width * 0.8, box.y + box.height * 0.55);
      await page.click('form button[type=submit]');
      await page.waitForSelector('.verdict');
    };
    await page.click('#bar nav a[href="/haulier/trip"]');
    await ready(page, '/haulier/trip');
    await checkTrip();
    expect((await page.$('.verdict.bad')) !== null, 'the trip not allowed');
    const rows = await page.$$eval('tr.bad td', tds => tds.map(td => td.textContent));
    expect(rows.includes('兰山核心区 Lanshan core'), `the violated zone listed (got ${rows.join(' | ')})`);
    expect(rows.some(r => r.startsWith('zone "兰山核心区 Lanshan core" restricts')), `the reason in English (got ${rows.join(' | ')})`);
    await snap(page, 'haulier-trip-violation');
    // The same trip in Chinese: the reason comes in Chinese too (the console sends its language).
    await page.click('#bar button.lang');
    await ready(page, '/haulier/trip');
    await checkTrip();
    expect((await page.$('.verdict.bad')) !== null, 'the trip not allowed, in Chinese');
    const zh = await page.$$eval('tr.bad td', tds => tds.map(td => td.textContent));
    expect(zh.some(r => r.startsWith('区域“兰山核心区 Lanshan core”：') && r.includes('本车：重型货车')),
      `the reason in Chinese (got ${zh.join(' | ')})`);
    expect(!zh.some(r => r.includes('restricts')), 'no English reason left in the Chinese console');
    await snap(page, 'haulier-trip-violation-zh');
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
}
