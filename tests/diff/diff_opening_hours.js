#!/usr/bin/env node
/*
 * Differential test: src/rules/opening_hours.c (through the hp_oh_eval
 * driver) against the reference npm package opening_hours, in the zone of
 * the TZ environment variable.
 *
 *   TZ=Europe/London node diff_opening_hours.js path/to/hp_oh_eval [--seed N] [--count N]
 *
 * It generates random expressions from the supported grammar (see
 * include/haulpass/opening_hours.h) and random instants, weighted towards
 * rule boundaries, midnights, holidays and the nights clocks change, and
 * compares:
 *   - compilation: everything generated must compile in both;
 *   - is_open at ~50 instants per expression against getState();
 *   - next_change and open_during against getNextChange() over 8 days; in
 *     windows that contain a UTC-offset change the reference's iterator is
 *     unreliable (it reports changes at times where its own getState() has
 *     not changed, or throws "infinite loop"), so there the C answer is
 *     checked against getState() instead: the state flips at the reported
 *     instant and not at sampled instants before it;
 *   - mutants: each expression with one random edit; whenever the C module
 *     accepts a mutant the reference must accept it too and agree on it.
 * Each expression (with its mutant) is one test. Prints at most 20
 * mismatches and a last line "# N passed, M failed"; exit status 1 on any
 * failure.
 */
'use strict';

const fs = require('fs');
const path = require('path');
const Module = require('module');
const { spawnSync } = require('child_process');

/* --- Arguments -------------------------------------------------------- */

const argv = process.argv.slice(2);
const driver = argv[0];
let seed = (Date.now() ^ (process.pid << 16)) >>> 0;
let count = 2500;
for (let i = 1; i < argv.length; i++) {
    if (argv[i] === '--seed') seed = Number(argv[++i]) >>> 0;
    else if (argv[i] === '--count') count = Number(argv[++i]);
    else throw new Error('unknown argument ' + argv[i]);
}
if (!driver) {
    console.error('usage: diff_opening_hours.js HP_OH_EVAL [--seed N] [--count N]');
    process.exit(2);
}
const zone = process.env.TZ || '(unset)';
console.log(`# zone ${zone}, seed ${seed}, ${count} random expressions + the hand-picked ones ` +
    `(rerun: SEED=${seed} COUNT=${count} tests/diff/run_opening_hours.sh BUILD_DIR)`);

/* --- Reference, with our holidays ---------------------------------------
 * The package computes PH from its own per-country tables. We load it with
 * one line changed in memory, so that an extra country "zz" carries exactly
 * the holidays our calendar has. */

function loadReference() {
    const file = require.resolve('opening_hours', { paths: [__dirname] });
    const needle = 'const holidayDefinitions = holiday_definitions;';
    let src = fs.readFileSync(file, 'utf8');
    if (!src.includes(needle)) throw new Error('cannot find the holiday table in ' + file);
    src = src.replace(needle,
        'const holidayDefinitions = Object.assign({}, holiday_definitions, globalThis.__hp_holidays);');
    const m = new Module(file, null);
    m.filename = file;
    m.paths = Module._nodeModulePaths(path.dirname(file));
    m._compile(src, file);
    return m.exports;
}

/* --- Random numbers (mulberry32, so a seed reproduces a run) ------------ */

let state = seed;
function rnd() {
    state = (state + 0x6D2B79F5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const int = (lo, hi) => lo + Math.floor(rnd() * (hi - lo + 1)); // inclusive
const pick = (a) => a[Math.floor(rnd() * a.length)];
const chance = (p) => rnd() < p;

/* --- Calendar ------------------------------------------------------------
 * 2026 as announced (docs/contract.md §5); other years random, so PH rules are tested
 * on all the days around the instants we pick. */

const pad = (n, w = 2) => String(n).padStart(w, '0');
const ymd = (y, m, d) => `${y}-${pad(m)}-${pad(d)}`;
const holidays = new Set();
const workdays = new Set();
function addRange(y, m, d1, d2, set) {
    for (let d = d1; d <= d2; d++) set.add(ymd(y, m, d));
}
[[1, 1, 3], [2, 15, 23], [4, 4, 6], [5, 1, 5], [6, 19, 21], [9, 25, 27], [10, 1, 7]]
    .forEach(([m, a, b]) => addRange(2026, m, a, b, holidays));
['2026-01-04', '2026-02-14', '2026-02-28', '2026-05-09', '2026-09-20', '2026-10-10']
    .forEach((d) => workdays.add(d));
for (let y = 2023; y <= 2030; y++) {
    if (y === 2026) continue;
    for (let k = 0; k < 8; k++) {
        const m = int(1, 12), d = int(1, 26);
        addRange(y, m, d, d + int(0, 2), holidays);
    }
    holidays.add(ymd(y, 1, 1));
    holidays.add(ymd(y, 12, 31)); // a holiday on the last day tests the year edge
    for (let k = 0; k < 4; k++) {
        const date = new Date(Date.UTC(y, int(0, 11), int(1, 28)));
        const wd = date.getUTCDay();
        if (wd === 0 || wd === 6) {
            const s = ymd(y, date.getUTCMonth() + 1, date.getUTCDate());
            if (!holidays.has(s)) workdays.add(s);
        }
    }
}
globalThis.__hp_holidays = {
    zz: {
        PH: [...holidays].sort().map((s) => ({
            name: 'holiday ' + s,
            year: Number(s.slice(0, 4)),
            fixed_date: [Number(s.slice(5, 7)), Number(s.slice(8, 10))],
        })),
    },
};
const OpeningHours = loadReference();
const NOMINATIM = { address: { country_code: 'zz' } };

/* --- Expressions from the supported grammar --------------------------- */

const WD = ['Mo', 'Tu', 'We', 'Th', 'Fr', 'Sa', 'Su'];
const MON = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const hhmm = (min) => pad(Math.floor(min / 60)) + ':' + pad(min % 60);

function genMinute() {
    return int(0, 23) * 60 + pick([0, 0, 0, 30, 15, 45, int(0, 59)]);
}

function genRange() {
    const from = genMinute();
    let to;
    const k = rnd();
    if (k < 0.45) to = Math.min(from + int(1, 12) * pick([15, 30, 60]), 24 * 60);  // same day
    else if (k < 0.65) to = genMinute();                                              // any: may cross midnight
    else if (k < 0.85) to = Math.min(24 * 60 + int(1, 24 * 60), 48 * 60);             // written past midnight
    else if (k < 0.90) to = from;                                                     // a full day
    else if (k < 0.95) to = 24 * 60;
    else to = 48 * 60;
    return hhmm(from) + '-' + hhmm(to);
}

function genList(items, count) {
    const out = [];
    for (let i = 0; i < count; i++) {
        if (chance(0.5)) out.push(pick(items) + '-' + pick(items));
        else out.push(pick(items));
    }
    return out;
}

function genRule() {
    if (chance(0.05)) return { text: '24/7' + (chance(0.3) ? ' ' + pick(['off', 'closed', 'open']) : ''), mayAdd: false };
    const parts = [];
    if (chance(0.25)) parts.push(genList(MON, int(1, 3)).join(','));
    if (chance(0.1)) parts.push('PH');
    if (chance(0.65)) {
        const items = genList(WD, int(1, 3));
        if (chance(0.25)) items.splice(int(0, items.length), 0, 'PH');
        parts.push(items.join(','));
    }
    let times = false;
    if (chance(0.75)) {
        if (chance(0.05)) parts.push('24/7');
        else {
            const n = pick([1, 1, 1, 2, 2, 3]);
            const rs = [];
            for (let i = 0; i < n; i++) rs.push(genRange());
            parts.push(rs.join(','));
            times = true;
        }
    }
    let mod = false;
    if (chance(0.18) || parts.length === 0) {
        parts.push(pick(['off', 'off', 'closed', 'open']));
        mod = true;
    }
    return { text: parts.join(' '), mayAdd: times || mod };
}

function genExpression() {
    const n = pick([1, 1, 2, 2, 2, 3, 3, 4, 5]);
    let s = '';
    let prev = null;
    for (let i = 0; i < n; i++) {
        const r = genRule();
        if (prev) {
            const sep = prev.mayAdd && chance(0.3) ? ',' : ';';
            s += sep + pick([' ', ' ', ' ', '', '  ']);
        }
        s += r.text;
        prev = r;
    }
    return s;
}

const ALPHABET = [' ', ';', ',', '-', ':', '/', '0', '1', '2', '3', '4', '5', '7', '9',
    'Mo', 'Sa', 'Su', 'Jan', 'Dec', 'PH', 'off', 'o', 'a', 'n', 'J', 'M'];
function mutate(s) {
    const i = int(0, s.length);
    switch (int(0, 3)) {
    case 0: return s.slice(0, i) + s.slice(i + 1);
    case 1: return s.slice(0, i) + pick(ALPHABET) + s.slice(i);
    case 2: return s.slice(0, i) + pick(ALPHABET) + s.slice(i + 1);
    default: return s.slice(0, i) + s.slice(i + 1, i + 2) + s.slice(i, i + 1) + s.slice(i + 2);
    }
}

/* --- Instants ------------------------------------------------------------ */

const T0 = Date.UTC(2025, 5, 1) / 1000, T1 = Date.UTC(2027, 5, 1) / 1000;
const localInstant = (y, m, d, h, mi, s = 0) => Math.floor(new Date(y, m, d, h, mi, s).getTime() / 1000);

/* UTC-offset changes of this zone between T0 - 2 days and T1 + 10 days. */
const transitions = [];
for (let t = T0 - 2 * 86400; t < T1 + 10 * 86400; t += 3600) {
    if (new Date(t * 1000).getTimezoneOffset() !== new Date((t + 3600) * 1000).getTimezoneOffset()) {
        let lo = t, hi = t + 3600;
        while (hi - lo > 1) {
            const mid = Math.floor((lo + hi) / 2);
            if (new Date(mid * 1000).getTimezoneOffset() === new Date(t * 1000).getTimezoneOffset()) lo = mid;
            else hi = mid;
        }
        transitions.push(hi);
    }
}
const hasTransition = (a, b) => transitions.some((x) => x > a - 86400 && x <= b + 86400);
const holidayList = [...holidays].filter((s) => s >= '2025-05-30' && s <= '2027-06-02');

function genInstants(expr) {
    const out = [];
    for (let i = 0; i < 20; i++) out.push(int(T0, T1));
    const times = (expr.match(/\d\d:\d\d/g) || []).map((x) => Number(x.slice(0, 2)) * 60 + Number(x.slice(3)));
    times.push(0);
    for (let i = 0; i < 16; i++) {
        const day = new Date(int(T0, T1) * 1000);
        const m = pick(times) % (24 * 60);
        const t = localInstant(day.getFullYear(), day.getMonth(), day.getDate(), Math.floor(m / 60), m % 60);
        out.push(t + pick([0, 0, -1, 59, 60, -60]));
    }
    for (let i = 0; i < 6; i++) {
        const h = pick(holidayList);
        const t = localInstant(Number(h.slice(0, 4)), Number(h.slice(5, 7)) - 1, Number(h.slice(8, 10)), 0, 0);
        out.push(t + pick([-60, -1, 0, 1, 3600 * int(1, 23), 86400 - 1, 86400, 86400 + 3600 * int(0, 6)]));
    }
    if (transitions.length > 0) {
        /* The night the clocks change and the one after, minute by minute. */
        for (let i = 0; i < 8; i++) out.push(pick(transitions) + int(-6 * 3600, 30 * 3600));
    }
    return out;
}

/* --- Run --------------------------------------------------------------- */

/* Hand-picked first: docs/contract.md's examples, the reference's odd corners
 * (rules without selectors, off with times, spill-over and replacement,
 * wrapping ranges), spacing variants and the hours clocks change. */
const EDGE = [
    "Mo-Fr,PH 08:00-12:00",
    "PH off",
    "Mo-Fr 08:00-18:00; PH off",
    "Dec Mo-Fr 08:00-18:00",
    "Mo-Fr 07:00-09:00,16:00-18:00",
    "Mo-Fr08:00-12:00",
    "Mo 10:00-12:00,Tu 10:00-11:00",
    "Mo off,Tu 10:00-12:00",
    "off, Mo 10:00-12:00",
    "Mo open, Tu off",
    "PH,PH",
    "PH PH",
    "PH Mo,PH 10:00-11:00",
    "Mo,Mo",
    "Su-Sa",
    "Mo-Su 10:00-11:00",
    "Tu-Mo 10:00-11:00",
    "Feb-Jan 10:00-11:00",
    "Jan-Jan",
    "24/7 open",
    "24/7 off; PH 10:00-12:00",
    "24/7; Mo off",
    "Mo 24/7",
    "Jan 24/7 closed",
    "00:00-00:00",
    "Mo 00:00-24:00",
    "Mo 23:59-00:00",
    "Mo 23:59-47:59",
    "Mo 12:00-12:00; Tu 13:00-13:00",
    "Mo 22:00-06:00; Tu 10:00-12:00",
    "Tu 10:00-12:00; Mo 22:00-06:00",
    "Mo 22:00-06:00, Tu 10:00-12:00",
    "Mo 22:00-06:00; Tu off",
    "Mo 22:00-06:00; Tu 02:00-03:00 off",
    "Mo 10:00-12:00; 14:00-16:00",
    "10:00-12:00; 14:00-16:00",
    "22:00-02:00; 14:00-16:00",
    "Mo 22:00-02:00; 14:00-16:00",
    "Mo-Fr 08:00-18:00; off",
    "Mo-Fr 08:00-18:00; We 12:00-13:00 off",
    "Mo-Fr 08:00-18:00, We 12:00-13:00 off",
    "Sa 22:00-02:00",
    "Su 22:00-02:00",
    "PH 22:00-06:00",
    "Mo-Fr,PH 22:00-30:00; Sa 20:00-30:00; Dec Mo-Fr 08:00-18:00",
    "Jan-Mar,Nov-Dec Mo-Fr 06:00-22:00; Apr-Oct Mo-Sa 05:00-23:00, Su 10:00-12:00; PH off",
    "Dec-Feb PH Sa-Mo,PH 22:00-30:00,01:00-02:00 closed",
    "01:30-03:00",
    "01:30-02:00",
    "00:30-01:30",
    "Su 00:00-03:00",
    "Mo  10:00-12:00 ;Tu\t10:00-11:00",
];

const tests = [];
for (let i = 0; i < EDGE.length + count; i++) {
    const expr = i < EDGE.length ? EDGE[i] : genExpression();
    const instants = genInstants(expr);
    const changes = [];
    for (let k = 0; k < 3; k++) {
        /* A third start within a day after an offset change, where a
         * missed boundary would show; the rest anywhere. */
        const t = chance(0.35) && transitions.length ? pick(transitions) + int(-2 * 3600, 26 * 3600) : int(T0, T1);
        changes.push([t, t + 8 * 86400]);
    }
    const during = [];
    for (let k = 0; k < 2; k++) {
        const a = int(T0, T1);
        during.push([a, a + pick([0, 60, 1800, 3600 * int(1, 8), 86400 * int(1, 3)])]);
    }
    const mutant = mutate(expr);
    const mutantInstants = [];
    for (let k = 0; k < 12; k++) mutantInstants.push(pick(instants));
    tests.push({ expr, instants, changes, during, mutant, mutantInstants });
}

const lines = [];
for (const h of holidays) lines.push('H ' + h);
for (const w of workdays) lines.push('W ' + w);
lines.push('C');
for (const t of tests) {
    lines.push('E ' + t.expr, 'Q ' + t.instants.join(' '));
    for (const [a, b] of t.changes) lines.push(`N ${a} ${b}`);
    for (const [a, b] of t.during) lines.push(`O ${a} ${b}`);
    lines.push('E ' + t.mutant, 'Q ' + t.mutantInstants.join(' '));
}
const run = spawnSync(driver, [], { input: lines.join('\n') + '\n', maxBuffer: 1 << 28, encoding: 'utf8' });
if (run.status !== 0) {
    console.log(`not ok - driver ${driver} failed: status ${run.status} ${run.error || ''} ${run.stderr}`);
    console.log('# 0 passed, 1 failed');
    process.exit(1);
}
const out = run.stdout.split('\n');
let at = 0;
if (out[at++] !== 'OK') throw new Error('calendar rejected: ' + out[0]);

const iso = (t) => {
    const d = new Date(t * 1000);
    return `${d.toISOString().replace('.000Z', 'Z')} (local ${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())} ${['Su', 'Mo', 'Tu', 'We', 'Th', 'Fr', 'Sa'][d.getDay()]})`;
};
const refState = (oh, t) => oh.getState(new Date(t * 1000));
/* The reference's answer to next_change over (t, limit]: undefined = none. */
function refNextChange(oh, t, limit) {
    const d = oh.getNextChange(new Date(t * 1000), new Date(limit * 1000));
    if (d === undefined) return undefined;
    const s = Math.floor(d.getTime() / 1000);
    return s <= limit ? s : undefined;
}

let passed = 0, failed = 0, shown = 0, refErrors = 0, dstChecked = 0, mutantsAccepted = 0;
function report(msg) {
    if (shown++ < 20) console.log('not ok - ' + msg);
}

for (const t of tests) {
    const problems = [];
    const compiled = out[at++], qline = out[at++];
    const ncs = t.changes.map(() => out[at++]);
    const ods = t.during.map(() => out[at++]);
    const mcompiled = out[at++], mqline = out[at++];

    let oh;
    try {
        oh = new OpeningHours(t.expr, NOMINATIM);
    } catch (e) {
        problems.push(`reference rejects a generated expression: ${String(e).slice(0, 160)}`);
    }
    if (!compiled.startsWith('OK\t')) problems.push(`C rejects a generated expression: ${compiled}`);

    if (oh && compiled.startsWith('OK\t')) {
        /* The canonical text must mean the same to the reference. */
        const canon = compiled.slice(3);
        let ohCanon;
        try {
            ohCanon = canon === t.expr ? oh : new OpeningHours(canon, NOMINATIM);
        } catch (e) {
            problems.push(`reference rejects the canonical text "${canon}"`);
        }
        t.instants.forEach((x, i) => {
            const want = refState(oh, x);
            if ((qline[i] === '1') !== want)
                problems.push(`is_open at ${iso(x)} [${x}]: C ${qline[i]}, reference ${want ? 1 : 0}`);
            else if (ohCanon && ohCanon !== oh && refState(ohCanon, x) !== want)
                problems.push(`canonical text "${canon}" differs at ${iso(x)}`);
        });
        t.changes.forEach(([a, b], i) => {
            const c = ncs[i] === '-' ? undefined : Number(ncs[i]);
            if (!hasTransition(a, b)) {
                let want;
                try {
                    want = refNextChange(oh, a, b);
                } catch (e) {
                    refErrors++;
                    return;
                }
                if (want !== c)
                    problems.push(`next_change from ${iso(a)} [${a}]: C ${c === undefined ? '-' : iso(c)}, reference ${want === undefined ? '-' : iso(want)}`);
                return;
            }
            /* Offset change in the window: check against getState(). */
            dstChecked++;
            const s0 = refState(oh, a);
            const end = c === undefined ? b : c - 1;
            /* Random instants, and every half hour from 2 h before each
             * offset change to the end of the next night, where the
             * reference's 24-hours-back reading of spill-over bites. */
            const samples = [];
            for (let k = 0; k < 24; k++) samples.push(int(a, end));
            for (const x of transitions) {
                for (let k = -4; k <= 56; k++) {
                    const y = x + k * 1800 + int(0, 1799);
                    if (y > a && y <= end) samples.push(y);
                }
            }
            for (const x of samples) {
                if (refState(oh, x) !== s0) {
                    problems.push(`next_change from ${iso(a)} [${a}]: C ${c === undefined ? '-' : iso(c)}, but the reference changes by ${iso(x)}`);
                    return;
                }
            }
            if (c !== undefined && (refState(oh, c) === s0 || refState(oh, c - 1) !== s0))
                problems.push(`next_change from ${iso(a)} [${a}]: C ${iso(c)} is no change for the reference`);
        });
        t.during.forEach(([a, b], i) => {
            if (hasTransition(a, b)) return;
            let want;
            try {
                /* [a, b] is closed, and getNextChange() does not report a
                 * change that falls exactly on its limit: ask about b too. */
                want = refState(oh, a) || refNextChange(oh, a, b) !== undefined ||
                       refState(oh, b);
            } catch (e) {
                refErrors++;
                return;
            }
            if ((ods[i] === '1') !== want)
                problems.push(`open_during [${iso(a)}, ${iso(b)}]: C ${ods[i]}, reference ${want ? 1 : 0}`);
        });
    }

    /* Whatever the C module accepts, the reference must accept and agree on. */
    if (mcompiled.startsWith('OK\t')) {
        mutantsAccepted++;
        let mo;
        try {
            mo = new OpeningHours(t.mutant, NOMINATIM);
        } catch (e) {
            problems.push(`C accepts mutant "${t.mutant}" which the reference rejects: ${String(e).slice(0, 120)}`);
        }
        if (mo) {
            t.mutantInstants.forEach((x, i) => {
                const want = refState(mo, x);
                if ((mqline[i] === '1') !== want)
                    problems.push(`mutant "${t.mutant}" is_open at ${iso(x)} [${x}]: C ${mqline[i]}, reference ${want ? 1 : 0}`);
            });
        }
    } else {
        const m = /^ERR\t(\d+)\t/.exec(mcompiled);
        if (!m || Number(m[1]) > Buffer.byteLength(t.mutant))
            problems.push(`mutant "${t.mutant}": bad error "${mcompiled}"`);
    }

    if (problems.length === 0) passed++;
    else {
        failed++;
        report(`"${t.expr}" (${zone}): ${problems.slice(0, 3).join('; ')}`);
    }
}

if (shown > 20) console.log(`# ... and ${shown - 20} more`);
console.log(`# ${zone}: ${transitions.length} offset changes in range, ${dstChecked} next_change windows checked through getState, ` +
    `${refErrors} reference iterator errors skipped, ${mutantsAccepted} mutants accepted by C`);
console.log(`# ${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
