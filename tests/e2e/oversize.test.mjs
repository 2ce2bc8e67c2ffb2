// An oversize load in the console (docs/contract.md §13): the site's route
// check of a plate whose pass requires a police escort says none covers the
// trip, then, once an escort is booked, names the booking.
import {PASSWORDS, scenario, signIn, ready, text, snap, expect} from './harness.mjs';

const day = n => new Date(Date.now() + 8 * 3600000 + n * 86400000).toISOString().slice(0, 10);
const iso = ms => new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z');

export async function run(browser, all) {
  all.push(...await scenario(browser, 'a route check of an oversize load names its escort booking, or says none covers the trip', async (page, srv) => {
    const token = async (name, password) => (await (await fetch(`${srv.base}/v1/sessions`, {method: 'POST',
      headers: {'Content-Type': 'application/json'}, body: JSON.stringify({name, password})})).json()).token;
    const chen = await token('chen', PASSWORDS.chen);
    const li = await token('li', PASSWORDS.li);
    await srv.call('POST', '/v1/vehicles', chen, {plate: '鲁Q60001', class: 'heavy_truck', gross_weight_kg: 49000});
    const route = {type: 'LineString', coordinates: [[118.25, 35.06], [118.45, 35.06]]};
    const app = await srv.call('POST', '/v1/applications', chen, {type: 'oversize', plates: ['鲁Q60001'],
      corridor: {route, width_m: 100}, cargo: {length_mm: 24000, width_mm: 3800, height_mm: 4500, mass_kg: 48000},
      valid_from: day(0), valid_to: day(2), documents: []});
    const claimed = await srv.call('POST', '/v1/queue/claim', li);
    expect(claimed.id === app.id, 'the application claimed');
    await srv.call('POST', `/v1/applications/${app.id}/decision`, li, {decision: 'approve', reason: 'route surveyed'});
    const pass = (await srv.call('GET', '/v1/passes?plate=鲁Q60001', chen)).items[0];
    expect(pass.escort_required === true, 'the pass requires an escort');

    const check = async () => {
      await page.select('select[name=plate]', '鲁Q60001');
      await page.$eval('input[name=route_text]', el => { el.value = ''; });
      await page.type('input[name=route_text]', '118.26,35.06; 118.30,35.06');
      await Promise.all([page.waitForResponse(r => r.url().endsWith('/v1/checks/route')), page.click('form button[type=submit]')]);
      await page.waitForSelector('p.escort');
      return text(page, 'p.escort');
    };
    expect(await signIn(page, srv.base, 'chen', PASSWORDS.chen) === 201, 'signed in');
    await ready(page, '/site/endorse');
    await page.goto(`${srv.base}/haulier/trip`);
    await ready(page, '/haulier/trip');
    const missing = await check();
    expect(missing.includes('护送') && (await page.$('.verdict.bad')) !== null, `no escort said (got ${missing})`);
    await snap(page, 'oversize-no-escort');

    // An escort from 20 minutes from now: it covers the trip leaving in an hour.
    const unit = await srv.call('POST', '/v1/escort-units', li, {name: '特勤一中队 escort unit 1',
      base: {type: 'Point', coordinates: [118.25, 35.06]}, hours: '24/7', capacity: 1});
    const project = (await srv.call('GET', '/v1/projects', chen)).items[0];
    const start = iso(Date.now() + 20 * 60000);
    const escort = await srv.call('POST', '/v1/escorts', chen, {project_id: project.id, plates: ['鲁Q60001'],
      origin: {type: 'Point', coordinates: [118.25, 35.06]}, destination: {type: 'Point', coordinates: [118.45, 35.06]},
      route, earliest_start: start, latest_start: start});
    expect(escort.unit_id === unit.id, 'the escort booked on the unit');
    const booked = await check();
    expect(booked.includes(escort.id.slice(0, 8)), `the booking named (got ${booked})`);
    await snap(page, 'oversize-escort-booked');
  }));

  all.push(...await scenario(browser, 'a haulier files an oversize load in the console with its cargo and corridor', async (page, srv) => {
    const zhang = (await (await fetch(`${srv.base}/v1/sessions`, {method: 'POST', headers: {'Content-Type': 'application/json'},
      body: JSON.stringify({name: 'zhang', password: PASSWORDS.zhang})})).json()).token;
    await srv.call('POST', '/v1/vehicles', zhang, {plate: '鲁Q60009', class: 'heavy_truck', gross_weight_kg: 40000});
    expect(await signIn(page, srv.base, 'zhang', PASSWORDS.zhang) === 201, 'signed in');
    await ready(page, '/haulier/fleet');
    await page.goto(`${srv.base}/applications`);
    await ready(page, '/applications');
    expect(await page.$eval('input[name=cargo_length_mm]', el => el.closest('fieldset').hidden), 'no cargo fields for other types');
    await page.select('select[name=type]', 'oversize');
    await page.waitForSelector('input[name=cargo_length_mm]', {visible: true});
    await page.select('select[name=plates]', '鲁Q60009');
    for (const [k, v] of [['length_mm', '22000'], ['width_mm', '3500'], ['height_mm', '4300'], ['mass_kg', '38000']]) {
      await page.type(`input[name=cargo_${k}]`, v);
    }
    await page.click('input[name=apply_where][value=corridor]');
    await page.$eval('input[name=corridor_text]', el => { el.value = '118.25,35.06; 118.45,35.06'; el.dispatchEvent(new Event('change')); });
    const [resp] = await Promise.all([page.waitForResponse(r => r.url().endsWith('/v1/applications') && r.request().method() === 'POST'),
      page.click('form.card button[type=submit]')]);
    expect(resp.status() === 201, `filed (got ${resp.status()}: ${await resp.text()})`);
    const app = await resp.json();
    expect(app.cargo && app.cargo.width_mm === 3500 && app.cargo.mass_kg === 38000, 'the cargo sent with it');
    await snap(page, 'oversize-filed');
  }));
}
