// The zones map with 10,000 zones (issue 14's performance goal): the first
// map of the city drawn from a cold load, and a pan redrawn, measured in
// chromium on localhost. Not part of tools/test; run by hand:
//
//   HAULPASS_TEST_PG=... HAULPASS_BIN=build/src/haulpass node tests/e2e/bench_map.mjs
//
// (tools/pg env gives the first.) Prints the figures; BENCHMARKS.md keeps them.
import {execFileSync, spawn} from 'node:child_process';
import net from 'node:net';
import puppeteer from 'puppeteer-core';

const BIN = process.env.HAULPASS_BIN;
const PG = process.env.HAULPASS_TEST_PG;
const TEMPLATE = process.env.HAULPASS_TEST_TEMPLATE || 'haulpass_template';
const PSQL = '/usr/lib/postgresql/15/bin/psql';
const db = `bench_map_${process.pid}`;
const psql = (d, sql) => execFileSync(PSQL, ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-d', `${PG} dbname=${d}`, '-c', sql]);
const sleep = ms => new Promise(r => setTimeout(r, ms));
const port = await new Promise(r => { const s = net.createServer(); s.listen(0, '127.0.0.1', () => { const p = s.address().port; s.close(() => r(p)); }); });

psql('postgres', `CREATE DATABASE ${db} TEMPLATE ${TEMPLATE}`);
const conninfo = `${PG} dbname=${db}`;
// 10,000 zones of 24 vertices, 200-500 m across, over a 36 x 33 km city.
psql(db, `SELECT setseed(0.7); INSERT INTO zones (name, geom, sent_as_polygon)
  SELECT 'bench zone ' || i, ST_Multi(ST_Buffer(ST_SetSRID(ST_MakePoint(118.15 + random() * 0.4, 34.9 + random() * 0.3), 4326),
                                      0.001 + random() * 0.0015, 6)), true
    FROM generate_series(1, 10000) i`);
execFileSync(BIN, ['user', 'add', '--org', 'Bench Police', '--kind', 'police', '--role', 'officer', '--name', 'bench',
  '--password-file', '-', '--db', conninfo], {input: 'bench password\n'});
const proc = spawn(BIN, ['serve'], {env: {...process.env, HAULPASS_DB: conninfo, HAULPASS_LISTEN: `127.0.0.1:${port}`, HAULPASS_LOG: 'warn'}, stdio: 'ignore'});
const base = `http://127.0.0.1:${port}`;
for (let i = 0; i < 300; i++) { try { if ((await fetch(`${base}/readyz`)).ok) break; } catch { /* */ } await sleep(100); }

const browser = await puppeteer.launch({executablePath: '/usr/bin/chromium', headless: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', `--user-data-dir=/tmp/hp-bench-map-${process.pid}`]});
try {
  const results = {cold: [], pan: []};
  for (let run = 0; run < 5; run++) {
    const ctx = await browser.createBrowserContext();
    const page = await ctx.newPage();
    await page.setViewport({width: 1280, height: 860});
    await page.setCacheEnabled(false);
    // A session first, so the cold load is the page, its bundles and the map.
    await page.goto(`${base}/`);
    const s = await (await fetch(`${base}/v1/sessions`, {method: 'POST', headers: {'Content-Type': 'application/json'},
      body: JSON.stringify({name: 'bench', password: 'bench password'})})).json();
    await page.evaluate(x => sessionStorage.setItem('haulpass.session', JSON.stringify(x)), s);
    const t0 = Date.now();
    await page.goto(`${base}/zones`);
    await page.waitForSelector('.map[data-loads]', {timeout: 60000});
    await page.evaluate(() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r))));
    results.cold.push(Date.now() - t0);
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
      results.pan.push(Date.now() - t1);
    }
    if (run === 0) console.log(`first view: ${count}`);
    await ctx.close();
  }
  const med = a => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)];
  console.log(`cold load to the first map drawn (ms): ${results.cold.join(', ')}; median ${med(results.cold)}`);
  console.log(`pan to redrawn (ms): ${results.pan.join(', ')}; median ${med(results.pan)}`);

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
  const ctx = await browser.createBrowserContext();
  const page = await ctx.newPage();
  await page.setViewport({width: 1280, height: 860});
  await page.goto(`${base}/`);
  const s = await (await fetch(`${base}/v1/sessions`, {method: 'POST', headers: {'Content-Type': 'application/json'},
    body: JSON.stringify({name: 'bench', password: 'bench password'})})).json();
  await page.evaluate(x => sessionStorage.setItem('haulpass.session', JSON.stringify(x)), s);
  await page.goto(`${base}/zones`);
  await page.waitForSelector('.map[data-at]', {timeout: 60000});
  const steps = [], counts = [];
  for (let k = 2; k <= 46; k += 4) {
    const before = await page.$eval('.map', el => el.dataset.at);
    const t1 = Date.now();
    await page.$eval('input[name=at_step]', (el, v) => { el.value = String(v); el.dispatchEvent(new Event('input', {bubbles: true})); }, k);
    await page.waitForFunction(b => document.querySelector('.map').dataset.at !== b, {timeout: 60000}, before);
    await page.evaluate(() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r))));
    steps.push(Date.now() - t1);
    counts.push(await page.$eval('p.count', el => el.textContent.match(/\d+/g).pop()));
  }
  console.log(`zones restricting the truck at each step: ${counts.join(', ')}`);
  console.log(`slider step to recoloured (ms): ${steps.join(', ')}; median ${med(steps)}`);
  await ctx.close();
} finally {
  await browser.close();
  proc.kill('SIGTERM');
  await sleep(500);
  psql('postgres', `DROP DATABASE IF EXISTS ${db} WITH (FORCE)`);
}
