// The zones map with 10,000 zones (issue 14's performance goal): the first
// map of the city drawn from a cold load, and a pan redrawn, measured in
// chromium on localhost. Not part of tools/test; run by hand:
//
//   HAULPASS_TEST_PG=... HAULPASS_BIN=build/src/haulpass node tests/e2e/bench_map.mjs
//
// (tools/pg env gives the first.) Prints the figures; BENCHMARKS.md keeps them.
// HAULPASS_BIN may name several builds, comma-separated (e.g. before and
// after a change): each gets its own server on the same database and the
// runs alternate between them, so a busy machine weighs on both alike.
import {execFileSync, spawn} from 'node:child_process';
import net from 'node:net';
import puppeteer from 'puppeteer-core';

const BINS = process.env.HAULPASS_BIN.split(',');
const BIN = BINS[0];
const PG = process.env.HAULPASS_TEST_PG;
const TEMPLATE = process.env.HAULPASS_TEST_TEMPLATE || 'haulpass_template';
const PSQL = '/usr/lib/postgresql/15/bin/psql';
const db = `bench_map_${process.pid}`;
const psql = (d, sql) => execFileSync(PSQL, ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-d', `${PG} dbname=${d}`, '-c', sql]);
const sleep = ms => new Promise(r => setTimeout(r, ms));

psql('postgres', `CREATE DATABASE ${db} TEMPLATE ${TEMPLATE}`);
const conninfo = `${PG} dbname=${db}`;
// 10,000 zones of 24 vertices, 200-500 m across, over a 36 x 33 km city.
psql(db, `SELECT setseed(0.7); INSERT INTO zones (name, geom, sent_as_polygon)
  SELECT 'bench zone ' || i, ST_Multi(ST_Buffer(ST_SetSRID(ST_MakePoint(118.15 + random() * 0.4, 34.9 + random() * 0.3), 4326),
                                      0.001 + random() * 0.0015, 6)), true
    FROM generate_series(1, 10000) i`);
execFileSync(BIN, ['user', 'add', '--org', 'Bench Police', '--kind', 'police', '--role', 'officer', '--name', 'bench',
  '--password-file', '-', '--db', conninfo], {input: 'bench password\n'});
const procs = [], bases = [];
for (const bin of BINS) {
  const port = await new Promise(r => { const s = net.createServer(); s.listen(0, '127.0.0.1', () => { const p = s.address().port; s.close(() => r(p)); }); });
  procs.push(spawn(bin, ['serve'], {env: {...process.env, HAULPASS_DB: conninfo, HAULPASS_LISTEN: `127.0.0.1:${port}`, HAULPASS_LOG: 'warn'}, stdio: 'ignore'}));
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 300; i++) { try { if ((await fetch(`${base}/readyz`)).ok) break; } catch { /* */ } await sleep(100); }
  bases.push(base);
}
const med = a => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)];
const say = (what, a) => console.log(`${what} (ms): ${a.join(', ')}; median ${med(a)}`);

const browser = await puppeteer.launch({executablePath: '/usr/bin/chromium', headless: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', `--user-data-dir=/tmp/hp-bench-map-${process.pid}`]});
// /zones loaded with nothing cached, signed in beforehand (so the cold load
// is the page, its bundles and the map), until `until` is drawn and two
// frames painted.
async function coldLoad(base, until) {
  const ctx = await browser.createBrowserContext();
  const page = await ctx.newPage();
  await page.setViewport({width: 1280, height: 860});
  await page.setCacheEnabled(false);
  await page.goto(`${base}/`);
  const s = await (await fetch(`${base}/v1/sessions`, {method: 'POST', headers: {'Content-Type': 'application/json'},
    body: JSON.stringify({name: 'bench', password: 'bench password'})})).json();
  await page.evaluate(x => sessionStorage.setItem('haulpass.session', JSON.stringify(x)), s);
  const t0 = Date.now();
  await page.goto(`${base}/zones`);
  await page.waitForSelector(until, {timeout: 60000});
  await page.evaluate(() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r))));
  return {ctx, page, ms: Date.now() - t0};
}

try {
  const results = BINS.map(() => ({cold: [], pan: []}));
  for (let run = 0; run < 5 * BINS.length; run++) {
    const b = run % BINS.length, base = bases[b];
    const {ctx, page, ms} = await coldLoad(base, '.map[data-loads]');
    results[b].cold.push(ms);
    const count = await page.$eval('p.count', el => el.textContent);
    for (let k = 0; k < 3; k++) {
      const box = await (await page.$('.map')).boundingBox();
      const before = await page.$eval('.map', el => el.dataset.loads);
      await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
      await page.mouse.down();
      await page.mouse.move(box.x + box.width / 2 + (k % 2 ? -150 : 150), box.y + box.height / 2 + 60, {steps: 5});
      const t1 = Date.now();
      await page.mouse.up();
      await page.waitForFunction(b => document.querySelector('.map').dataset.loads !== b, {timeout: 60000}, before);
      await page.evaluate(() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r))));
      results[b].pan.push(Date.now() - t1);
    }
    if (run < BINS.length) console.log(`${BINS[b]}: first view: ${count}`);
    await ctx.close();
  }
  BINS.forEach((bin, b) => {
    say(`${bin}: cold load to the first map drawn`, results[b].cold);
    say(`${bin}: pan to redrawn`, results[b].pan);
  });

  // The map coloured for a vehicle (screens/zonetime.js): every zone closed
  // to heavy trucks, half at rush hours and half at night (the trigger on
  // zones reloads the server's snapshot). A step of the time slider asks
  // POST /v1/checks/zones for the loaded area and restyles the outlines:
  // measured from the slider's input event (its 120 ms debounce included)
  // to the new colours painted.
  psql(db, `UPDATE zones SET rules = jsonb_build_array(jsonb_build_object('id', gen_random_uuid(),
    'vehicle_classes', jsonb_build_array('heavy_truck'), 'liftable_by', jsonb_build_array(),
    'hours', CASE WHEN random() < 0.5 THEN 'Mo-Fr 07:00-09:00,17:00-19:00' ELSE '22:00-06:00' END))`);
  await sleep(3000);
  // Cold loads again, now to the map coloured for the truck (data-at: the
  // verdict of POST /v1/checks/zones drawn), alternating the builds.
  const coloured = BINS.map(() => []), steps = BINS.map(() => []);
  let counts = [];
  for (let run = 0; run < 3 * BINS.length; run++) {
    const b = run % BINS.length, base = bases[b];
    const {ctx, page, ms} = await coldLoad(base, '.map[data-at]');
    coloured[b].push(ms);
    if (run >= BINS.length) { await ctx.close(); continue; }
    // The slider: 6 steps of four hours (after the margin has come).
    await sleep(3000);
    counts = [];
    for (let k = 2; k <= 46; k += 8) {
      const before = await page.$eval('.map', el => el.dataset.at);
      const t1 = Date.now();
      await page.$eval('input[name=at_step]', (el, v) => { el.value = String(v); el.dispatchEvent(new Event('input', {bubbles: true})); }, k);
      await page.waitForFunction(x => document.querySelector('.map').dataset.at !== x, {timeout: 60000}, before);
      await page.evaluate(() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r))));
      steps[b].push(Date.now() - t1);
      counts.push(await page.$eval('p.count', el => el.textContent.match(/\d+/g).join('/')));
    }
    console.log(`${BINS[b]}: zones drawn/restricting the truck at each step: ${counts.join(', ')}`);
    await ctx.close();
  }
  BINS.forEach((bin, b) => {
    say(`${bin}: cold load to the map coloured for a truck`, coloured[b]);
    say(`${bin}: slider step to recoloured`, steps[b]);
  });
} finally {
  await browser.close();
  for (const p of procs) p.kill('SIGTERM');
  await sleep(500);
  psql('postgres', `DROP DATABASE IF EXISTS ${db} WITH (FORCE)`);
}
