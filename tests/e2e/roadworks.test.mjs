// Road works on the map (docs/contract.md §13): a site files a
// road-occupation permit through the API, an officer approves it, and the
// haulier's zones map draws the works dashed orange, told apart by the
// legend "road works 道路施工".
import {PASSWORDS, clickSettled, scenario, signIn, ready, text, snap, expect} from './harness.mjs';

const day = n => new Date(Date.now() + 8 * 3600000 + n * 86400000).toISOString().slice(0, 10);

export async function run(browser, all) {
  all.push(...await scenario(browser, 'an approved road-occupation permit shows on the haulier\'s map as road works', async (page, srv) => {
    const token = async (name, password) => (await (await fetch(`${srv.base}/v1/sessions`, {method: 'POST',
      headers: {'Content-Type': 'application/json'}, body: JSON.stringify({name, password})})).json()).token;
    const chen = await token('chen', PASSWORDS.chen);
    const li = await token('li', PASSWORDS.li);
    const plan = '交通组织方案 traffic plan';
    const app = await srv.call('POST', '/v1/applications', chen, {type: 'road_occupation', valid_from: day(0), valid_to: day(5),
      documents: [{name: plan, provided: true}],
      works: {area: {type: 'Polygon', coordinates: [[[118.352, 35.062], [118.362, 35.062], [118.362, 35.068], [118.352, 35.068], [118.352, 35.062]]]},
        plan, name: '沂蒙路 Yimeng Road water main'}});
    expect(app.status === 'queued', `the permit queued (got ${app.status})`);
    const claimed = await srv.call('POST', '/v1/queue/claim', li);
    expect(claimed.id === app.id, 'the permit claimed');
    const decided = await srv.call('POST', `/v1/applications/${app.id}/decision`, li, {decision: 'approve', reason: 'plan sound'});
    expect(decided.roadworks_zone_id, 'the permit became a zone');

    expect(await signIn(page, srv.base, 'zhang', PASSWORDS.zhang) === 201, 'signed in');
    await ready(page, '/haulier/fleet');
    await page.goto(`${srv.base}/zones`);
    await ready(page, '/zones');
    // The list reloads as the map settles on its first view: the button
    // found may be replaced before the click.
    await clickSettled(page, 'xpath///ul[contains(@class,"zones")]//button[contains(., "Yimeng Road")]');
    await page.waitForSelector('path.leaflet-interactive[stroke-dasharray]');
    // Leaflet scales the drawing while it zooms: look once it has settled
    // and its colours are those of the instant shown.
    await page.waitForFunction(() => !document.querySelector('.leaflet-zoom-anim, .map.updating'));
    const dashed = await page.$$eval('path.leaflet-interactive[stroke-dasharray]', ps => ps.map(p => p.getAttribute('stroke')));
    expect(dashed.length === 1 && dashed[0] === '#c05621', `one zone drawn dashed orange (got ${dashed.join(', ')})`);
    const plain = await page.$$eval('path.leaflet-interactive:not([stroke-dasharray])', ps => ps.length);
    expect(plain >= 1, 'the standing zones are drawn plain');
    const legend = await text(page, '.map-legend');
    expect(legend.includes('道路施工') && legend.includes('road works'), `the legend names road works (got ${legend})`);
    await snap(page, 'roadworks-map');
  }));
}
