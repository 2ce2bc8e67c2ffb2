// The zones map coloured for a vehicle (web/src/screens/zonetime.js) never
// shows a zone as "does not restrict" (grey) before the server has said
// so for the vehicle and time shown: the answer of POST /v1/checks/zones
// is held back here, and the map is looked at meanwhile.
import {PASSWORDS, scenario, signIn, ready, snap, expect, sleep, navTo} from './harness.mjs';

const GREY = '#718096', RED = '#c53030';
const strokes = page => page.$$eval('.leaflet-overlay-pane path', ps => ps.map(p => p.getAttribute('stroke')));

export async function run(browser, all) {
  all.push(...await scenario(browser, 'the zones map draws no zone grey before the verdict for the vehicle and time shown has come, and dims the colours while a new time is asked', async (page, srv) => {
    const r = await fetch(`${srv.base}/v1/sessions`, {method: 'POST', headers: {'Content-Type': 'application/json'},
      body: JSON.stringify({name: 'zhang', password: PASSWORDS.zhang})});
    await srv.call('POST', '/v1/vehicles', (await r.json()).token, {plate: '鲁Q60006', class: 'heavy_truck', gross_weight_kg: 31000});
    expect(await signIn(page, srv.base, 'zhang', PASSWORDS.zhang) === 201, 'signed in');
    await ready(page, '/haulier/fleet');
    // Hold every answer of POST /v1/checks/zones until released.
    let hold = true;
    const held = [];
    await page.setRequestInterception(true);
    page.on('request', q => {
      if (q.isInterceptResolutionHandled()) return;
      if (hold && q.method() === 'POST' && q.url().endsWith('/v1/checks/zones')) held.push(q);
      else q.continue();
    });
    const release = () => { hold = false; for (const q of held.splice(0)) q.continue(); };
    // Until a verdict is held: the page has asked, and may draw nothing grey
    // until the answer comes (web/src/map.js draws the outlines only with it).
    const asked = async () => { for (let i = 0; i < 300 && !held.length; i++) await sleep(50); };
    // Waited for from before the click: the answer may come before the screen.
    const outlines = page.waitForResponse(x => x.url().includes('/v1/zones/outlines'));
    await navTo(page, '/zones');
    await outlines;
    await page.waitForSelector('input[name=at_step]');
    await asked();
    expect(held.length > 0, 'the verdict asked with the outlines');
    expect(!(await strokes(page)).includes(GREY), 'no zone grey while the verdict is on its way');
    expect(!(await strokes(page)).length, 'nothing drawn before the verdict it is drawn with');
    await snap(page, 'zonesmap-verdict-pending');
    release();
    await page.waitForSelector('.map[data-at]');
    await page.waitForFunction((red, grey) => {
      const s = [...document.querySelectorAll('.leaflet-overlay-pane path')].map(p => p.getAttribute('stroke'));
      return s.includes(red) && s.includes(grey);
    }, {}, RED, GREY);
    await snap(page, 'zonesmap-verdict-drawn');
    // A new time: the colours shown are dimmed until its answer comes.
    hold = true;
    const before = await page.$eval('.map', el => el.dataset.at);
    await page.$eval('input[name=at_step]', el => { el.value = '3'; el.dispatchEvent(new Event('input', {bubbles: true})); });
    await page.waitForSelector('.map.updating');
    await asked();
    expect(await page.$eval('.map', (el, b) => el.dataset.at === b, before), 'the instant drawn unchanged while its answer is held');
    release();
    await page.waitForFunction(b => document.querySelector('.map').dataset.at !== b && !document.querySelector('.map.updating'), {}, before);
    // Light trucks are restricted nowhere: every zone grey once it is said.
    await page.click('input[name=zonetime_by][value=traits]');
    await page.select('select[name=class]', 'light_truck');
    await page.waitForFunction((red, grey) => {
      const s = [...document.querySelectorAll('.leaflet-overlay-pane path')].map(p => p.getAttribute('stroke'));
      return s.length > 0 && !s.includes(red) && s.filter(x => x === grey).length >= 1;
    }, {}, RED, GREY);
  }));
}
