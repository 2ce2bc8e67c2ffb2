// The screens. Each takes the main element and the signed-in session and
// fills the one from the other; user text only ever goes in as text.
import {api, all, ApiError, session, setSession} from './api.js';
import {h, append, clear, field} from './dom.js';
import {t, tv, addStrings} from './i18n.js';

// An oversize trip's escort in the route check (docs/contract.md §13).
addStrings({
  zh: {trip_escortBooked: '需警车护送：护送预约 {id} 覆盖本次行程', trip_escortMissing: '需警车护送，但没有覆盖本次行程的护送预约'},
  en: {trip_escortBooked: 'Police escort required: booking {id} covers this trip', trip_escortMissing: 'Police escort required, and no escort booking covers this trip'},
});
import {createMap, zonesLayer, textTip, L} from './map.js';
import {CLASSES, TYPES, say, sayError, title, table, rfc3339, localNow, when, today, lines} from './ui.js';

// --- sign-in ----------------------------------------------------------------
export function signIn(main, done) {
  title(main, 'signIn');
  const name = h('input', {name: 'name', autocomplete: 'username', required: true});
  const password = h('input', {name: 'password', type: 'password', autocomplete: 'current-password', required: true});
  const msg = h('div.msg');
  const form = h('form.card.narrow', {
    onsubmit: async e => {
      e.preventDefault();
      try {
        const s = await api('POST', '/v1/sessions', {name: name.value, password: password.value}, {anonymous: true});
        setSession(s);
        done();
      } catch (err) {
        if (err instanceof ApiError && err.status === 401) say(msg, 'error', t('wrongCredentials'));
        else if (err instanceof ApiError && err.status === 429) {
          say(msg, 'error', t('locked', {min: Math.max(1, Math.ceil(err.retryAfter / 60))}));
          if (err.problem.detail) msg.append(h('p.detail', null, err.problem.detail));
        }
        else sayError(msg, err);
        password.value = '';
        password.focus();
      }
    },
  }, field(t('name'), name), field(t('password'), password), h('button', {type: 'submit'}, t('signIn')), msg);
  main.append(form);
  name.focus();
}

// --- fleet ------------------------------------------------------------------
export async function fleet(main) {
  title(main, 'fleet');
  const list = h('div');
  const msg = h('div.msg');
  const plate = h('input', {name: 'plate', required: true, maxlength: 20});
  const cls = h('select', {name: 'class'}, CLASSES.map(c => h('option', {value: c}, tv('class', c))));
  cls.value = 'heavy_truck';
  const weight = h('input', {name: 'gross_weight_kg', type: 'number', min: 1, max: 200000, value: 31000, required: true});
  const axles = h('input', {name: 'axles', type: 'number', min: 2, max: 20, value: 4});
  const hazmat = h('input', {name: 'hazmat', type: 'checkbox'});
  async function refresh() {
    const items = await all('/v1/vehicles');
    clear(list).append(items.length ? table([t('plate'), t('class'), t('grossWeight'), t('axles'), t('hazmat')],
      items.map(v => h('tr', null, h('td', null, v.plate), h('td', null, tv('class', v.class)),
        h('td.num', null, v.gross_weight_kg.toLocaleString()), h('td.num', null, v.axles ?? ''),
        h('td', null, v.hazmat ? t('yes') : t('no'))))) : h('p', null, t('noVehicles')));
  }
  const form = h('form.card', {
    onsubmit: async e => {
      e.preventDefault();
      const body = {plate: plate.value, class: cls.value, gross_weight_kg: Number(weight.value), hazmat: hazmat.checked};
      if (axles.value) body.axles = Number(axles.value);
      try {
        const v = await api('POST', '/v1/vehicles', body);
        say(msg, 'ok', t('added', {plate: v.plate}));
        plate.value = '';
        await refresh();
      } catch (err) { sayError(msg, err); }
    },
  }, h('h2', null, t('addVehicle')),
  h('div.row', null, field(t('plate'), plate), field(t('class'), cls), field(t('grossWeight'), weight),
    field(t('axles'), axles), field(t('hazmat'), hazmat)),
  h('button', {type: 'submit'}, t('addVehicle')), msg);
  // CSV import: each refused row with its line and why; the good ones go in.
  const file = h('input', {name: 'csv', type: 'file', accept: '.csv,text/csv'});
  const imsg = h('div.msg');
  const report = h('div');
  const importForm = h('form.card', {
    onsubmit: async e => {
      e.preventDefault();
      clear(report);
      if (!file.files.length) return say(imsg, 'error', t('pickFile'));
      try {
        const r = await api('POST', '/v1/vehicles/import', await file.files[0].text(), {contentType: 'text/csv'});
        say(imsg, r.errors.length ? 'error' : 'ok', t('imported', {n: r.created.length, bad: r.errors.length}));
        if (r.errors.length) {
          report.append(table([t('csvLine'), t('reason')], r.errors.map(x => h('tr.bad', null, h('td.num', null, x.row), h('td', null, x.message)))));
        }
        await refresh();
      } catch (err) { sayError(imsg, err); }
    },
  }, h('h2', null, t('importCsv')), h('p.help', null, t('csvHelp')),
  field(t('csvFile'), file), h('button', {type: 'submit'}, t('importCsv')), imsg, report);
  main.append(list, form, importForm);
  await refresh();
}

// --- trip check ---------------------------------------------------------------
export async function trip(main) {
  title(main, 'trip');
  main.append(h('p.help', null, t('tripHelp')));
  const mapEl = h('div.map');
  const plate = h('select', {name: 'plate'});
  const depart = h('input', {name: 'depart_at', type: 'datetime-local', value: localNow(60), required: true});
  const count = h('span.count', {'aria-live': 'polite'}, t('points', {n: 0}));
  const msg = h('div.msg');
  const result = h('div.result');
  const clearBtn = h('button.secondary', {type: 'button'}, t('clearRoute'));
  const typed = h('input', {name: 'route_text', placeholder: '118.30,35.06; 118.40,35.06'});
  const form = h('form.card', null, h('div.row', null, field(t('plate'), plate), field(t('departAt'), depart)),
    field(t('routeText'), typed, t('routeTextHint')),
    h('div.row', null, h('button', {type: 'submit'}, t('check')), clearBtn, count), msg);
  main.append(h('div.split', null, mapEl, h('div.side', null, form, result)));
  const vehicles = await all('/v1/vehicles');
  plate.append(h('option', {value: ''}, '—'), ...vehicles.map(v => h('option', {value: v.plate}, `${v.plate} · ${tv('class', v.class)}`)));
  const map = await createMap(mapEl);
  let hot = {crossed: new Set(), violated: new Set()};
  const zones = zonesLayer(map, {styleOf: f => (hot.violated.has(f.id) ? 'violated' : hot.crossed.has(f.id) ? 'crossed' : 'zone')});
  zones.load().catch(err => sayError(msg, err));
  const pts = [];
  const line = L.polyline([], {color: '#1a202c', weight: 4}).addTo(map);
  const marks = L.layerGroup().addTo(map);
  map.on('click', e => {
    pts.push([e.latlng.lng, e.latlng.lat]);
    line.setLatLngs(pts.map(([x, y]) => [y, x]));
    marks.addLayer(L.circleMarker(e.latlng, {radius: 5, color: '#1a202c', fillOpacity: 1}));
    count.textContent = t('points', {n: pts.length});
  });
  clearBtn.addEventListener('click', () => {
    pts.length = 0; line.setLatLngs([]); marks.clearLayers(); clear(result); clear(msg); msg.className = 'msg';
    hot = {crossed: new Set(), violated: new Set()}; zones.restyle();
    count.textContent = t('points', {n: 0});
  });
  form.addEventListener('submit', async e => {
    e.preventDefault();
    if (typed.value.trim()) { // points typed in win over clicked ones
      const got = typed.value.split(';').map(p => p.split(',').map(Number)).filter(p => p.length === 2 && p.every(Number.isFinite));
      pts.length = 0; marks.clearLayers();
      for (const p of got) { pts.push(p); marks.addLayer(L.circleMarker([p[1], p[0]], {radius: 5, color: '#1a202c', fillOpacity: 1})); }
      line.setLatLngs(pts.map(([x, y]) => [y, x]));
      count.textContent = t('points', {n: pts.length});
    }
    if (pts.length < 2) return say(msg, 'error', t('needTwoPoints'));
    if (!plate.value) return say(msg, 'error', t('needPlate'));
    try {
      const r = await api('POST', '/v1/checks/route', {plate: plate.value, depart_at: rfc3339(depart.value),
        route: {type: 'LineString', coordinates: pts}});
      clear(msg); msg.className = 'msg';
      hot = {crossed: new Set(r.crossings.map(c => c.zone_id)), violated: new Set(r.violations.map(v => v.zone_id))};
      zones.restyle();
      const names = Object.fromEntries(r.crossings.map(c => [c.zone_id, c.zone_name]));
      append(clear(result), [ // append(), not the DOM's: no escort is no node, not the word null
        h(`p.verdict.${r.allowed ? 'ok' : 'bad'}`, {role: 'status'}, r.allowed ? t('allowed') : t('notAllowed')),
        r.escort ? h(`p.escort${r.escort.booking_id ? '' : '.bad'}`, null,
          r.escort.booking_id ? t('trip_escortBooked', {id: r.escort.booking_id.slice(0, 8)}) : t('trip_escortMissing')) : null,
        h('p', null, t('length', {km: (r.length_m / 1000).toFixed(1), at: when(r.arrive_at)})),
        h('h2', null, t('violations')),
        r.violations.length ? table([t('zone'), t('enterAt'), t('exitAt'), t('reason')], r.violations.map(v =>
          h('tr.bad', null, h('td', null, names[v.zone_id] || v.zone_id), h('td', null, when(v.enter_at)), h('td', null, when(v.exit_at)), h('td', null, v.reason))))
          : h('p', null, t('none')),
        h('h2', null, t('crossings')),
        r.crossings.length ? table([t('zone'), t('enterAt'), t('exitAt')], r.crossings.map(c =>
          h('tr', null, h('td', null, c.zone_name), h('td', null, when(c.enter_at)), h('td', null, when(c.exit_at)))))
          : h('p', null, t('none'))]);
    } catch (err) { sayError(msg, err); }
  });
}

// --- applications (haulier, site) --------------------------------------------------
function statusCell(a) {
  return h('td', null, h(`span.badge.s-${a.status}`, null, tv('status', a.status)), a.fast_track ? h('span.badge.fast', null, t('fastTrack')) : null);
}


// The application with its zones on a map, its history, and what the
// caller may do with it (actions: [{label, run}]).
async function showApplication(container, a, actions, msg) {
  const mapEl = h('div.map.small');
  container.append(h('div.split', null, mapEl, h('div.side', null,
    h('dl', null,
      h('dt', null, t('type')), h('dd', null, tv('type', a.type)),
      h('dt', null, t('status')), h('dd', null, tv('status', a.status), a.fast_track ? ` · ${t('fastTrack')}` : ''),
      h('dt', null, t('platesCol')), h('dd', null, (a.plates || []).join(', ')),
      h('dt', null, t('validity')), h('dd', null, `${a.valid_from} – ${a.valid_to}`),
      h('dt', null, t('due')), h('dd', null, when(a.due_at)),
      a.decision_reason ? [h('dt', null, t('reason')), h('dd', null, a.decision_reason)] : null,
      h('dt', null, t('documentsCol')), h('dd', null, (a.documents || []).map(d => (d.provided ? d.name : `${d.name} (${t('missing')})`)).join('; ') || t('none')),
      a.documents_due ? [h('dt', null, t('documentsDue')), h('dd', null, when(a.documents_due))] : null,
      a.note ? [h('dt', null, t('note')), h('dd', null, a.note)] : null),
    actions, msg,
    a.history ? [h('h2', null, t('history')), table([t('at'), t('from'), t('to'), t('reason')], a.history.map(e =>
      h('tr', null, h('td', null, when(e.at)), h('td', null, e.from ? tv('status', e.from) : '—'), h('td', null, tv('status', e.to)), h('td', null, e.reason || ''))))] : null)));
  const map = await createMap(mapEl);
  const ids = new Set(a.zone_ids || []);
  const layer = L.geoJSON(null, {style: {color: '#c53030', weight: 2, fillOpacity: 0.25},
    onEachFeature: (f, l) => l.bindTooltip(h('span', null, f.properties.name), {permanent: true, direction: 'center'})}).addTo(map);
  const zones = await Promise.all([...ids].map(id => api('GET', `/v1/zones/${id}`).catch(() => null)));
  for (const z of zones.filter(Boolean)) layer.addData({type: 'Feature', geometry: z.geometry, properties: {name: z.name}});
  if (a.corridor && a.corridor.route) layer.addData({type: 'Feature', geometry: a.corridor.route, properties: {name: `${a.corridor.width_m} m`}});
  if (layer.getLayers().length) map.fitBounds(layer.getBounds(), {padding: [20, 20]});
}

export async function applicationDetail(main, s, go, id) {
  title(main, 'detail');
  const msg = h('div.msg');
  const a = await api('GET', `/v1/applications/${encodeURIComponent(id)}`);
  const actions = h('div.row');
  if (['awaiting_endorsement', 'queued'].includes(a.status) && ['haulier', 'site'].includes(s.user.role)) {
    actions.append(h('button.danger', {type: 'button', onclick: async () => {
      try { await api('POST', `/v1/applications/${a.id}/withdraw`); say(msg, 'ok', t('withdrawn')); setTimeout(() => go(`/applications/${a.id}`), 600); }
      catch (err) { sayError(msg, err); }
    }}, t('withdraw')));
  }
  for (const d of (a.documents || []).filter(x => !x.provided)) {
    if (!['haulier', 'site'].includes(s.user.role) || ['rejected', 'withdrawn'].includes(a.status)) break;
    actions.append(h('button', {type: 'button', onclick: async () => {
      try { await api('POST', `/v1/applications/${a.id}/documents`, {name: d.name}); go(`/applications/${a.id}`); }
      catch (err) { sayError(msg, err); }
    }}, t('supply', {name: d.name})));
  }
  actions.append(h('button.secondary', {type: 'button', onclick: () => go('/applications')}, t('back')));
  await showApplication(main, a, actions, msg);
}

// --- officer queue ------------------------------------------------------------------
export async function queue(main, sess, go) {
  title(main, 'queue');
  const msg = h('div.msg');
  const stats = h('p.stats');
  const work = h('div');
  const list = h('div');
  const claim = h('button', {type: 'button'}, t('claimNext'));
  const perType = h('div');
  main.append(h('div.row', null, claim, stats), msg, work, h('h2', null, t('inQueue')), list, h('h2', null, t('statsTitle')), perType);
  async function refresh() {
    const [st, items] = await Promise.all([api('GET', '/v1/queue/stats'), api('GET', '/v1/queue?limit=100')]);
    stats.textContent = `${t('open')}: ${st.open} · ${t('overdue')}: ${st.overdue}`;
    const rows = Object.entries(st.per_type || {});
    clear(perType).append(rows.length ? table([t('type'), t('decidedCount'), t('medianHours'), t('withinDeadline')], rows.map(([ty, x]) =>
      h('tr', null, h('td', null, tv('type', ty)), h('td.num', null, x.decided),
        h('td.num', null, x.median_hours_to_decision === null ? '—' : x.median_hours_to_decision.toFixed(1)),
        h('td.num', null, x.share_within_deadline === null ? '—' : `${Math.round(x.share_within_deadline * 100)} %`))))
      : h('p', null, t('none')));
    const now = Date.now();
    clear(list).append(items.items.length ? table([t('type'), t('platesCol'), t('status'), t('due')],
      items.items.map(a => h(new Date(a.due_at).getTime() < now ? 'tr.overdue' : 'tr', null, h('td', null, tv('type', a.type)),
        h('td', null, (a.plates || []).join(', ')), statusCell(a), h('td', null, when(a.due_at), new Date(a.due_at).getTime() < now ? ` · ${t('overdue')}` : ''))))
      : h('p', null, t('queueEmpty')));
  }
  claim.addEventListener('click', async () => {
    clear(work); clear(msg); msg.className = 'msg';
    try {
      const a = await api('POST', '/v1/queue/claim');
      if (!a) return say(msg, 'ok', t('queueEmpty'));
      const full = await api('GET', `/v1/applications/${a.id}`);
      const reason = h('textarea', {name: 'reason', rows: 2, required: true});
      const dmsg = h('div.msg');
      const missing = (full.documents || []).filter(d => !d.provided);
      const checks = missing.map(d => h('input', {type: 'checkbox', checked: true, value: d.name}));
      const due = h('input', {name: 'documents_due', type: 'datetime-local', value: localNow(3 * 24 * 60)});
      const decide = async decision => {
        const body = {decision, reason: reason.value};
        if (decision === 'approve_provisional') {
          body.missing_documents = checks.filter(c => c.checked).map(c => c.value);
          body.documents_due = rfc3339(due.value);
        }
        try {
          const r = await api('POST', `/v1/applications/${a.id}/decision`, body);
          clear(work);
          say(msg, 'ok', t('decided', {status: tv('status', r.status)}));
          await refresh();
        } catch (err) { sayError(dmsg, err); }
      };
      const actions = h('div', null, h('p', null, t('claimedUntil', {at: when(full.claim_expires_at)})),
        field(t('decisionReason'), reason),
        missing.length ? h('fieldset', null, h('legend', null, t('missingDocs')),
          missing.map((d, i) => h('label.check', null, checks[i], ` ${d.name}`)), field(t('documentsDue'), due)) : null,
        h('div.row', null, h('button', {type: 'button', onclick: () => decide('approve')}, t('approve')),
          missing.length ? h('button', {type: 'button', onclick: () => decide('approve_provisional')}, t('approveProvisional')) : null,
          h('button.danger', {type: 'button', onclick: () => decide('reject')}, t('reject')), auditLink(go, 'application', a.id)));
      work.append(h('h2', null, t('claimed', {plates: (full.plates || []).join(', ')})));
      await showApplication(work, full, actions, dmsg);
      await refresh();
    } catch (err) { sayError(msg, err); }
  });
  await refresh();
}

// --- site: endorse --------------------------------------------------------------------
export async function endorse(main, s, go) {
  title(main, 'endorse');
  const msg = h('div.msg');
  const list = h('div');
  main.append(h('p.help', null, t('endorseHelp')), msg, list);
  const projects = Object.fromEntries((await all('/v1/projects')).map(p => [p.id, p.name]));
  async function refresh() {
    const items = (await all('/v1/applications')).filter(a => a.status === 'awaiting_endorsement');
    clear(list).append(items.length ? table([t('project'), t('type'), t('platesCol'), t('validity'), ''], items.map(a =>
      h('tr', null, h('td', null, projects[a.project_id] || '—'), h('td', null, tv('type', a.type)), h('td', null, (a.plates || []).join(', ')), h('td', null, `${a.valid_from} – ${a.valid_to}`),
        h('td', null, h('button', {type: 'button', onclick: async () => {
          try { await api('POST', `/v1/applications/${a.id}/endorse`); say(msg, 'ok', t('endorsed')); await refresh(); }
          catch (err) { sayError(msg, err); }
        }}, t('endorseAction'))))))
      : h('p', null, t('nothingToEndorse')));
  }
  await refresh();
}

// --- passes: find by plate or code; the police revoke with a reason -------------
export async function passes(main, sess, go) {
  title(main, 'passes');
  const police = ['officer', 'admin'].includes(sess.user.role);
  const q = h('input', {name: 'q', maxlength: 60});
  const reason = h('input', {name: 'revoke_reason', maxlength: 500});
  const msg = h('div.msg');
  const list = h('div');
  async function show(items) {
    clear(list).append(items.length ? table([t('code'), t('plate'), t('type'), t('validity'), t('status'), police ? '' : null],
      items.map(p => h(`tr${['revoked', 'suspended', 'expired'].includes(p.status) ? '.bad' : ''}`, null,
        h('td', null, h('code', null, p.code), ' ', h('a', {href: `/passes/amend?code=${encodeURIComponent(p.code)}`, onclick: e => { e.preventDefault(); go(`/passes/amend?code=${encodeURIComponent(p.code)}`); }}, t('amend_nav'))), h('td', null, p.plate), h('td', null, tv('type', p.type)),
        h('td', null, `${p.valid_from} – ${p.valid_to}`), h('td', null, tv('pstatus', p.status), p.revoke_reason ? ` · ${p.revoke_reason}` : ''),
        police ? h('td', null, ['active', 'provisional', 'suspended'].includes(p.status) ? h('button.danger', {type: 'button', onclick: async () => {
          if (!reason.value.trim()) { say(msg, 'error', t('needReason')); reason.focus(); return; }
          try {
            const r = await api('POST', `/v1/passes/${encodeURIComponent(p.code)}/revoke`, {reason: reason.value.trim()});
            say(msg, 'ok', t('revokedPass', {code: r.code}));
            await search();
          } catch (err) { sayError(msg, err); }
        }}, t('revoke')) : null, ' ', auditLink(go, 'pass', p.code)) : null)))
      : h('p', null, t('noPasses')));
  }
  async function search() {
    const v = q.value.trim();
    if (!v) return show((await api('GET', '/v1/passes?limit=100')).items);
    try {
      return show((await api('GET', `/v1/passes?plate=${encodeURIComponent(v)}&limit=100`)).items);
    } catch (err) {
      if (!(err instanceof ApiError) || err.status !== 400) throw err;
      // Not a plate: a pass code, then.
      try { return show([await api('GET', `/v1/passes/${encodeURIComponent(v)}`)]); }
      catch (e2) { if (e2 instanceof ApiError && e2.status === 404) return show([]); throw e2; }
    }
  }
  const form = h('form.card', {onsubmit: async e => { e.preventDefault(); clear(msg); msg.className = 'msg'; try { await search(); } catch (err) { sayError(msg, err); } }},
    h('div.row', null, field(t('plateOrCode'), q), h('button', {type: 'submit'}, t('search')),
      police ? field(t('revokeReason'), reason) : null), msg);
  main.append(form, list);
  await search();
}

// --- admin: users ---------------------------------------------------------------------
export async function users(main) {
  title(main, 'users');
  const msg = h('div.msg');
  const orgs = await all('/v1/orgs');
  const org = h('select', {name: 'org_id'}, orgs.map(o => h('option', {value: o.id, 'data-kind': o.kind}, `${o.name} (${o.kind})`)));
  const name = h('input', {name: 'name', required: true, maxlength: 200});
  const role = h('select', {name: 'role'}, ['officer', 'admin', 'haulier', 'site'].map(r => h('option', {value: r}, tv('role', r))));
  const password = h('input', {name: 'password', type: 'password', autocomplete: 'new-password', minlength: 10, required: true});
  const form = h('form.card', {
    onsubmit: async e => {
      e.preventDefault();
      try {
        const u = await api('POST', '/v1/users', {org_id: org.value, name: name.value, role: role.value, password: password.value});
        say(msg, 'ok', t('created', {name: u.name}));
        name.value = ''; password.value = '';
      } catch (err) { sayError(msg, err); }
    },
  }, h('h2', null, t('createUser')),
  h('div.row', null, field(t('org'), org), field(t('name'), name), field(t('role'), role),
    field(t('password'), password, t('passwordHint'))),
  h('button', {type: 'submit'}, t('createUser')), msg);
  main.append(form);
}

// --- everyone: password ----------------------------------------------------------------
export function password(main) {
  title(main, 'changePassword');
  const msg = h('div.msg');
  const current = h('input', {name: 'current', type: 'password', autocomplete: 'current-password', required: true});
  const fresh = h('input', {name: 'new', type: 'password', autocomplete: 'new-password', minlength: 10, required: true});
  main.append(h('form.card.narrow', {
    onsubmit: async e => {
      e.preventDefault();
      try {
        await api('PUT', '/v1/me/password', {current: current.value, new: fresh.value});
        say(msg, 'ok', t('passwordChanged'));
        current.value = ''; fresh.value = '';
      } catch (err) { sayError(msg, err); }
    },
  }, field(t('currentPassword'), current), field(t('newPassword'), fresh, t('passwordHint')),
  h('button', {type: 'submit'}, t('changePassword')), msg));
}

export {session};

// A link to an item's audit trail (web/src/screens/audit.js), for the police.
function auditLink(go, entity, id) {
  const href = `/officer/audit?entity=${entity}&id=${encodeURIComponent(id)}`;
  return h('a.audit-link', {href, onclick: e => { e.preventDefault(); go(href); }}, t('nav_audit'));
}
