// The site's, the administrator's and the haulier's map screens: escort
// booking with the alternatives of a 409; the zones map coloured for a
// vehicle as its time slider crosses a rule's hours; an application whose
// zones are clicked on the map and whose corridor is drawn there; the
// site's projects; organisations and a password reset; the haulier's pass
// and trip check on a phone. Run by main.mjs.
import {PASSWORDS, scenario, signIn, ready, text, snap, expect, sleep, navTo} from './harness.mjs';

// A session token for API set-up (a bearer like any other).
async function tokenOf(srv, name, password = PASSWORDS[name]) {
  const r = await fetch(`${srv.base}/v1/sessions`, {method: 'POST', headers: {'Content-Type': 'application/json'},
    body: JSON.stringify({name, password})});
  if (r.status !== 201) throw new Error(`sign-in of ${name}: ${r.status}`);
  return (await r.json()).token;
}

// Sets a form control's value as a user would, and tells the page.
const setValue = (page, sel, v, ev = 'change') => page.$eval(sel, (el, val, e) => {
  el.value = val; el.dispatchEvent(new Event(e, {bubbles: true}));
}, v, ev);

async function clickMap(page, sel, fx, fy) {
  const box = await (await page.$(sel)).boundingBox();
  await page.mouse.click(box.x + box.width * fx, box.y + box.height * fy);
  await sleep(60);
}

export async function run(browser, all) {
  all.push(...await scenario(browser, 'the site books an escort, and a second at the same time gets the alternatives and books one', async (page, srv) => {
    const chen = await tokenOf(srv, 'chen');
    for (const plate of ['鲁Q60001', '鲁Q60002']) {
      await srv.call('POST', '/v1/vehicles', chen, {plate, class: 'heavy_truck', gross_weight_kg: 40000});
    }
    // One unit, on duty at every hour, leading up to four vehicles.
    await srv.call('POST', '/v1/escort-units', srv.admin, {name: '特勤一中队 Escort One', base: {type: 'Point', coordinates: [118.35, 35.07]},
      hours: '24/7', capacity: 4});
    expect(await signIn(page, srv.base, 'chen', PASSWORDS.chen) === 201, 'signed in');
    await page.waitForSelector('#bar nav a[href="/site/escorts"]');
    await page.click('#bar nav a[href="/site/escorts"]');
    await ready(page, '/site/escorts');
    await page.select('select[name=plates]', '鲁Q60001', '鲁Q60002');
    await clickMap(page, '.map', 0.3, 0.5);
    await clickMap(page, '.map', 0.7, 0.4);
    expect((await page.$eval('input[name=origin]', el => el.value)) !== '', 'the origin filled from the map');
    expect((await page.$eval('input[name=destination]', el => el.value)) !== '', 'the destination filled from the map');
    // A window of one instant: the unit can do one escort then.
    const start = await page.$eval('input[name=earliest_start]', el => el.value);
    await setValue(page, 'input[name=latest_start]', start);
    const book = () => Promise.all([page.waitForResponse(r => r.url().endsWith('/v1/escorts') && r.request().method() === 'POST'),
      page.click('form button[type=submit]')]);
    const [first] = await book();
    expect(first.status() === 201, `the first booking made (got ${first.status()})`);
    await page.waitForSelector('.result .verdict.ok');
    await page.waitForFunction(() => document.querySelectorAll('tr[data-escort]').length === 1);
    await snap(page, 'site-escort-booked');
    const [second] = await book();
    expect(second.status() === 409, `the second booking refused with 409 (got ${second.status()})`);
    await page.waitForSelector('.alternatives ol.alts button');
    const alts = await page.$$eval('.alternatives ol.alts button', bs => bs.map(b => b.dataset.start));
    expect(alts.length >= 1, 'alternatives offered');
    expect((await text(page, '.alternatives')).includes('没有空闲的护卫单元'), 'the alternatives explained in Chinese');
    await snap(page, 'site-escort-alternatives');
    const [third] = await Promise.all([page.waitForResponse(r => r.url().endsWith('/v1/escorts') && r.request().method() === 'POST'),
      page.click('.alternatives ol.alts button')]);
    expect(third.status() === 201, `the alternative booked (got ${third.status()})`);
    const booked = await third.json();
    expect(booked.start.slice(0, 16) === alts[0].slice(0, 16), `booked at the alternative's start (${booked.start} vs ${alts[0]})`);
    await page.waitForFunction(() => document.querySelectorAll('tr[data-escort]').length === 2);
    await page.waitForSelector('.result .verdict.ok');
    await snap(page, 'site-escort-alternative-booked');
    // Cancel the first: its row says so and loses its button.
    await Promise.all([page.waitForResponse(r => r.url().endsWith('/cancel')), page.click('tr[data-escort] button.danger')]);
    await page.waitForFunction(() => [...document.querySelectorAll('tr[data-escort] td')].some(td => td.textContent === '已取消'));
    expect((await page.$$('tr[data-escort] button.danger')).length === 1, 'one booking left to cancel');
    await snap(page, 'site-escort-cancelled');
  }));

  all.push(...await scenario(browser, 'the zones map turns a zone red for a truck while the slider is inside the rule\'s hours', async (page, srv) => {
    const zhang = await tokenOf(srv, 'zhang');
    await srv.call('POST', '/v1/vehicles', zhang, {plate: '鲁Q70007', class: 'heavy_truck', gross_weight_kg: 31000});
    // Closed to heavy trucks for two hours, starting four to six hours
    // from now (the city's time, Asia/Shanghai), never across midnight.
    const cityHour = Number(new Intl.DateTimeFormat('en-GB', {timeZone: 'Asia/Shanghai', hour: '2-digit', hourCycle: 'h23'}).format(new Date()));
    let from = (cityHour + 4) % 24;
    if (from > 21) from = 2;
    const hh = n => String(n).padStart(2, '0');
    await srv.call('POST', '/v1/zones', srv.admin, {name: '夜间限行 Timed zone',
      geometry: {type: 'Polygon', coordinates: [[[118.41, 35.03], [118.45, 35.03], [118.45, 35.07], [118.41, 35.07], [118.41, 35.03]]]},
      rules: [{vehicle_classes: ['heavy_truck'], hours: `${hh(from)}:00-${hh(from + 2)}:00`, liftable_by: []}]});
    expect(await signIn(page, srv.base, 'zhang', PASSWORDS.zhang) === 201, 'signed in');
    await page.waitForSelector('#bar nav a[href="/zones"]');
    await page.click('#bar nav a[href="/zones"]');
    await ready(page, '/zones');
    await page.waitForSelector('.map[data-at]');
    const red = () => page.$$eval('.leaflet-overlay-pane path', ps => ps.filter(p => p.getAttribute('stroke') === '#c53030').length);
    // The slider's steps are half hours from now, rounded down.
    const base = Math.floor(Date.now() / 1800000) * 1800000;
    const stepAt = hour => { // the first step whose city hour is hour
      for (let k = 0; k < 48; k++) {
        const h = Number(new Intl.DateTimeFormat('en-GB', {timeZone: 'Asia/Shanghai', hour: '2-digit', hourCycle: 'h23'}).format(new Date(base + k * 1800000)));
        if (h === hour) return k;
      }
      throw new Error(`no step at ${hour}h`);
    };
    const slide = async k => {
      const at = String(base + k * 1800000);
      await setValue(page, 'input[name=at_step]', String(k), 'input');
      await page.waitForFunction(v => document.querySelector('.map').dataset.at === v, {}, at);
    };
    const outside = stepAt((from + 3) % 24), inside = stepAt(from) + 1;
    await slide(outside);
    const redOutside = await red();
    await snap(page, 'zones-vehicle-outside-hours');
    await slide(inside);
    const redInside = await red();
    expect(redInside === redOutside + 1, `one zone more in red inside the hours (outside ${redOutside}, inside ${redInside})`);
    expect((await text(page, '.side')).includes('夜间限行 Timed zone'), 'the timed zone listed as restricting');
    await snap(page, 'zones-vehicle-inside-hours');
    // By class and mass: a light truck is restricted nowhere.
    await page.click('input[name=zonetime_by][value=traits]');
    await page.select('select[name=class]', 'light_truck');
    await page.waitForFunction(() => ![...document.querySelectorAll('.leaflet-overlay-pane path')].some(p => p.getAttribute('stroke') === '#c53030'));
    // The keyboard moves the slider too.
    await page.focus('input[name=at_step]');
    await page.keyboard.press('ArrowRight');
    await page.waitForFunction(() => document.querySelector('output.at').textContent.length > 0);
  }));

  all.push(...await scenario(browser, 'an application whose zone is clicked on the map, then whose corridor is drawn, is filed with the corridor', async (page, srv) => {
    const zhang = await tokenOf(srv, 'zhang');
    await srv.call('POST', '/v1/vehicles', zhang, {plate: '鲁Q80008', class: 'heavy_truck', gross_weight_kg: 31000});
    expect(await signIn(page, srv.base, 'zhang', PASSWORDS.zhang) === 201, 'signed in');
    await page.waitForSelector('#bar nav a[href="/applications"]');
    await page.click('#bar nav a[href="/applications"]');
    await ready(page, '/applications');
    await page.waitForSelector('.map .leaflet-overlay-pane path');
    // The map opens on the city's centre, inside the core zone: a click picks it.
    await clickMap(page, '.map', 0.5, 0.5);
    const picked = await page.$$eval('select[name=zone_ids] option', os => os.filter(o => o.selected).map(o => o.textContent));
    expect(picked.length === 1 && picked[0].startsWith('兰山'), `the clicked zone picked (got ${picked.join(', ')})`);
    await page.select('select[name=type]', 'construction');
    await page.select('select[name=plates]', '鲁Q80008');
    const project = await page.$$eval('select[name=project_id] option', os => os.find(o => o.textContent.startsWith('临沂北站')).value);
    await page.select('select[name=project_id]', project);
    await snap(page, 'application-zone-picked-on-map');
    await page.click('input[name=apply_where][value=corridor]');
    for (const [x, y] of [[0.15, 0.7], [0.45, 0.5], [0.8, 0.35]]) await clickMap(page, '.map', x, y);
    await setValue(page, 'input[name=corridor_width_m]', '80');
    expect((await text(page, 'form .count')).includes('3'), 'three corridor points counted');
    await snap(page, 'application-corridor-drawn');
    const [resp] = await Promise.all([page.waitForResponse(r => r.url().endsWith('/v1/applications') && r.request().method() === 'POST'),
      page.click('form button[type=submit]')]);
    expect(resp.status() === 201, `the application filed (got ${resp.status()} ${await resp.text()})`);
    const a = await resp.json();
    expect(a.corridor && a.corridor.width_m === 80 && a.corridor.route.coordinates.length === 3, 'the corridor stored with its width');
    await page.waitForSelector(`tr[data-app="${a.id}"]`);
    // Naming the project, it waits for the site: no deadline yet.
    expect((await text(page, `tr[data-app="${a.id}"]`)).includes('背书后开始计时'), 'the clock waits for the endorsement');
    // Endorsed, it counts working days down.
    const chen = await tokenOf(srv, 'chen');
    await srv.call('POST', `/v1/applications/${a.id}/endorse`, chen);
    await page.reload();
    await ready(page, '/applications');
    const due = await text(page, `tr[data-app="${a.id}"] td.deadline`);
    expect(/剩 \d+ 个工作日|今天 .* 到期/.test(due), `the deadline counting down (got ${due})`);
    await snap(page, 'applications-deadline-countdown');
    // The site sees it under its project.
    await page.click('#bar button.secondary');
    await page.waitForSelector('input[name=name]');
    expect(await signIn(page, srv.base, 'chen', PASSWORDS.chen) === 201, 'the site signed in');
    await page.waitForSelector('#bar nav a[href="/site/projects"]');
    await page.click('#bar nav a[href="/site/projects"]');
    await ready(page, '/site/projects');
    const row = await text(page, 'tr[data-project]');
    expect(row.includes('临沂北站枢纽') && row.includes('1 件申请') && row.includes('有效'), `the project with its validity and application (got ${row})`);
    expect((await text(page, 'main')).includes('鲁Q80008'), 'the application naming it listed');
    await snap(page, 'site-projects');
  }));

  all.push(...await scenario(browser, 'the admin creates an organisation and resets a user\'s password, who then signs in with it', async (page, srv) => {
    expect(await signIn(page, srv.base, 'admin', PASSWORDS.admin) === 201, 'signed in');
    await navTo(page, '/admin/orgs');
    await ready(page, '/admin/orgs');
    await page.type('input[name=org_name]', '兰陵运输 Lanling Haulage');
    await page.select('select[name=org_kind]', 'haulier');
    await Promise.all([page.waitForResponse(r => r.url().endsWith('/v1/orgs') && r.request().method() === 'POST'), page.click('form button[type=submit]')]);
    await page.waitForFunction(() => [...document.querySelectorAll('tr[data-org] td')].some(td => td.textContent === '兰陵运输 Lanling Haulage'));
    // Its (empty) list of users follows the table's refresh: wait for it.
    await page.waitForFunction(() => document.querySelector('main').textContent.includes('该单位还没有用户'));
    // Yimeng's users: zhang gets a new password.
    const yimeng = await page.$$eval('tr[data-org]', rs => rs.find(r => r.textContent.includes('Yimeng')).dataset.org);
    await page.click(`tr[data-org="${yimeng}"] button`);
    await page.waitForSelector('tr[data-user="zhang"]');
    await page.type('tr[data-user="zhang"] input[type=password]', 'a brand new password 1');
    await Promise.all([page.waitForResponse(r => r.url().endsWith('/password')), page.click('tr[data-user="zhang"] button[data-action=password]')]);
    await page.waitForFunction(() => [...document.querySelectorAll('main .msg.ok')].some(m => m.textContent.includes('zhang')));
    await Promise.all([page.waitForResponse(r => r.url().endsWith('/token')), page.click('tr[data-user="zhang"] button[data-action=token]')]);
    await page.waitForSelector('code.token');
    expect((await text(page, 'code.token')).startsWith('hp_'), 'the new token shown once');
    await snap(page, 'admin-orgs-users');
    await page.click('#bar button.secondary');
    await page.waitForSelector('input[name=name]');
    expect(await signIn(page, srv.base, 'zhang', PASSWORDS.zhang) === 401, 'the old password refused');
    expect(await signIn(page, srv.base, 'zhang', 'a brand new password 1') === 201, 'the new password works');
  }));

  all.push(...await scenario(browser, 'on a 390 x 844 phone the haulier reads the pass and checks a trip', async (page, srv) => {
    // A pass for zhang's truck, through the API.
    const zhang = await tokenOf(srv, 'zhang');
    const li = await tokenOf(srv, 'li');
    await srv.call('POST', '/v1/vehicles', zhang, {plate: '鲁Q90009', class: 'heavy_truck', gross_weight_kg: 31000});
    const zone = (await srv.call('GET', '/v1/zones', zhang)).items.find(z => z.name.startsWith('兰山'));
    const day = d => new Date(Date.now() + d * 86400000).toISOString().slice(0, 10);
    const app = await srv.call('POST', '/v1/applications', zhang, {type: 'construction', plates: ['鲁Q90009'], zone_ids: [zone.id],
      valid_from: day(0), valid_to: day(30), documents: [{name: '行驶证', provided: true}]});
    await srv.call('POST', '/v1/queue/claim', li);
    await srv.call('POST', `/v1/applications/${app.id}/decision`, li, {decision: 'approve', reason: '材料齐全'});
    await page.setViewport({width: 390, height: 844, isMobile: true, hasTouch: true, deviceScaleFactor: 2});
    expect(await signIn(page, srv.base, 'zhang', PASSWORDS.zhang) === 201, 'signed in');
    await ready(page, '/haulier/fleet');
    await page.goto(`${srv.base}/passes`);
    await ready(page, '/passes');
    await page.waitForFunction(() => [...document.querySelectorAll('td')].some(td => td.textContent === '鲁Q90009'));
    const fits = () => page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1);
    expect(await fits(), 'the passes page no wider than the phone');
    await snap(page, 'phone-passes');
    await page.goto(`${srv.base}/haulier/trip`);
    await ready(page, '/haulier/trip');
    await page.waitForSelector('.map .leaflet-overlay-pane path');
    expect(await fits(), 'the trip check no wider than the phone');
    await page.select('select[name=plate]', '鲁Q90009');
    await page.type('input[name=route_text]', '118.28,35.06; 118.42,35.06');
    await page.click('form button[type=submit]');
    await page.waitForSelector('.verdict');
    expect((await page.$('.verdict.ok')) !== null, 'the trip allowed by the pass');
    expect(await fits(), 'the trip check with its answer no wider than the phone');
    const box = await (await page.$('form button[type=submit]')).boundingBox();
    expect(box.height >= 40 && box.width >= 300, `a button a thumb can hit (${box.width} x ${box.height})`);
    // The verdict comes right under the form, in sight without scrolling.
    const seen = await page.$eval('.verdict', el => { const r = el.getBoundingClientRect(); return r.top >= 0 && r.bottom <= window.innerHeight; });
    expect(seen, 'the verdict in sight on the phone');
    await snap(page, 'phone-trip-check');
    await page.evaluate(() => document.querySelector('.result').scrollIntoView());
    await snap(page, 'phone-trip-check-result');
  }));
}
