// A pan past the zones loaded (web/src/map.js): the map keeps what it drew
// and adds what the new view brings, so each zone must be drawn once, the
// new ones must come, and a zone retired meanwhile must go. A grid of
// 2,000 small zones puts the map on its canvas path, as in a big city.
import {PASSWORDS, scenario, signIn, ready, snap, expect, psql, navTo} from './harness.mjs';

export async function run(browser, all) {
  all.push(...await scenario(browser, 'a pan past the loaded zones draws the new ones once and drops a zone retired meanwhile', async (page, srv) => {
    // 50 x 40 squares of 0.003 degrees, one every 0.01, around the city's centre (118.35, 35.06).
    psql(`INSERT INTO zones (name, geom, sent_as_polygon)
      SELECT 'grid ' || i || '-' || j, ST_Multi(ST_MakeEnvelope(118.15 + i * 0.01, 34.90 + j * 0.01,
                                                                 118.153 + i * 0.01, 34.903 + j * 0.01, 4326)), true
        FROM generate_series(0, 49) i, generate_series(0, 39) j`, srv.db);
    const r = await fetch(`${srv.base}/v1/sessions`, {method: 'POST', headers: {'Content-Type': 'application/json'},
      body: JSON.stringify({name: 'zhang', password: PASSWORDS.zhang})});
    const token = (await r.json()).token;
    const outlineIds = async bbox => (await (await fetch(`${srv.base}/v1/zones/outlines?bbox=${bbox.join(',')}&fields=name`,
      {headers: {Authorization: `Bearer ${token}`, Accept: 'application/geo+json'}})).json()).features.map(f => f.id);
    const grid = async (i, j) => (await outlineIds([118.151 + i * 0.01, 34.901 + j * 0.01, 118.152 + i * 0.01, 34.902 + j * 0.01]))[0];

    expect(await signIn(page, srv.base, 'zhang', PASSWORDS.zhang) === 201, 'signed in');
    await ready(page, '/haulier/fleet');
    await navTo(page, '/zones');
    await ready(page, '/zones');
    await page.waitForSelector('.map[data-filled]'); // the view, then its margin
    const drawnZones = () => page.$eval('.map', el => el.drawnZones());
    const drawn = async () => (await drawnZones()).map(z => z.id);
    const first = await drawn();
    expect(first.length > 300, `the view and its margin drawn on the canvas (got ${first.length} zones)`);
    expect(new Set(first).size === first.length, 'each zone drawn once after the margin came');

    // East of the view, inside the margin: drawn, then retired.
    const gone = await grid(36, 16); // 118.51, 35.06
    expect(first.includes(gone), 'the zone east of the view drawn with the margin');
    psql(`UPDATE zones SET retired_at = now(), retire_reason = 'test' WHERE id = '${gone}'`, srv.db);
    // Beyond the margin: not drawn until the map goes there.
    const far = await grid(46, 16); // 118.61, 35.06
    expect(!first.includes(far), 'a zone beyond the margin not drawn yet');
    // West of the view, in the margin: kept drawn by a pan east, which
    // asks for nothing there.
    const west = await grid(5, 16); // 118.20, 35.06
    expect(first.includes(west), 'the zone west of the view drawn with the margin');
    // In the view before and after the pan: edited meanwhile (moved a
    // little, its version bumped), so drawn anew.
    const edited = await grid(30, 16); // 118.45, 35.06
    const old = (await drawnZones()).find(z => z.id === edited);
    expect(old, 'the zone to edit drawn');
    psql(`UPDATE zones SET geom = ST_Translate(geom, 0, 0.001), version = version + 1 WHERE id = '${edited}'`, srv.db);

    // Drag the map 400 px to the left: the view moves about 0.14 degrees east,
    // past the area loaded.
    const before = await page.$eval('.map', el => [el.dataset.loads, el.dataset.filled]);
    const box = await (await page.$('.map')).boundingBox();
    await page.mouse.move(box.x + box.width / 2 + 200, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width / 2 - 200, box.y + box.height / 2, {steps: 8});
    await page.mouse.up();
    await page.waitForFunction(b => {
      const el = document.querySelector('.map');
      return el.dataset.loads !== b[0] && /^\d+$/.test(el.dataset.loads) && el.dataset.filled !== b[1];
    }, {timeout: 30000}, before);

    const after = await drawn();
    expect(new Set(after).size === after.length, `each zone drawn once after the pan (${after.length} drawn, ${new Set(after).size} distinct)`);
    expect(!after.includes(gone), 'the zone retired meanwhile taken off the map');
    expect(after.includes(far), 'the zone the pan brought into view drawn');
    // Every live zone of a box inside the new view is drawn.
    const inView = await outlineIds([118.45, 35.0, 118.58, 35.1]);
    const missing = inView.filter(id => !after.includes(id));
    expect(inView.length > 100 && !missing.length, `every zone of the new view drawn (${missing.length} of ${inView.length} missing)`);
    expect(after.some(id => !first.includes(id)) && after.some(id => first.includes(id)), 'the zones drawn before kept, new ones added');
    expect(after.includes(west), 'the zone west of the new view kept drawn');
    const now = (await drawnZones()).filter(z => z.id === edited);
    expect(now.length === 1 && now[0].version === old.version + 1,
      `the zone edited meanwhile drawn once, at its new version (got ${JSON.stringify(now)}, was ${old.version})`);
    await snap(page, 'zones-map-after-pan');
  }));
}
