// Runs every scenario file (*.test.mjs in this folder, in name order, or
// those whose name contains $HAULPASS_E2E_ONLY) in one headless Debian
// chromium, then the checks over all pages: no request to another host, no
// console error. Prints TAP-like lines and "# N passed, M failed".
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {fileURLToPath, pathToFileURL} from 'node:url';
import puppeteer from 'puppeteer-core';
import {SHOTS, FLAGS, ok, notOk, tally} from './harness.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));

async function main() {
  fs.mkdirSync(SHOTS, {recursive: true});
  for (const f of fs.readdirSync(SHOTS)) if (f.endsWith('.png')) fs.unlinkSync(path.join(SHOTS, f));
  const only = process.env.HAULPASS_E2E_ONLY || '';
  const files = fs.readdirSync(here).filter(f => f.endsWith('.test.mjs') && f.includes(only)).sort();
  if (!files.length) throw new Error(`no scenario file matches "${only}"`);
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'hp-e2e-chromium-'));
  const browser = await puppeteer.launch({
    executablePath: '/usr/bin/chromium', headless: true, args: [...FLAGS, `--user-data-dir=${profile}`],
    userDataDir: profile,
  });
  const all = [];
  try {
    for (const f of files) {
      console.log(`# ${f}`);
      await (await import(pathToFileURL(path.join(here, f)).href)).run(browser, all);
    }
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
  console.log(`# ${tally.passed} passed, ${tally.failed} failed`);
  process.exitCode = tally.failed ? 1 : 0;
});
