// The site's escort booking (/site/escorts): origin and destination
// clicked on the map (or typed), the window for the start, the plates the
// escort leads (the API picks a unit whose capacity takes them), an
// optional cargo; the booked slot with its route check; on a 409 the
// alternatives the API offers, each bookable with one click; the site's
// bookings with their status, and cancel.
import {api, all, ApiError} from '../api.js';
import {h, clear, field} from '../dom.js';
import {t, tv, addStrings} from '../i18n.js';
import {createMap, zonesLayer, L} from '../map.js';
import {say, sayError, title, table, rfc3339, localNow, when} from '../ui.js';

addStrings({
  zh: {
    nav_siteEscorts: '护卫预约',
    siteEscorts_title: '护卫预约', siteEscorts_help: '在地图上先点起点、再点终点（再点一次重新选起点），或直接输入坐标；选择项目、车辆和可出发的时间段，然后预约。系统安排时间段内最早有空的护卫单元。',
    siteEscorts_project: '项目', siteEscorts_plates: '护卫的车辆（可多选）', siteEscorts_origin: '起点', siteEscorts_destination: '终点',
    siteEscorts_pointHint: '经度,纬度（或在地图上点击）', siteEscorts_earliest: '最早出发', siteEscorts_latest: '最晚出发',
    siteEscorts_cargo: '货物说明（可选）', siteEscorts_cargoWeight: '货物总质量（千克，可选）', siteEscorts_book: '预约护卫',
    siteEscorts_needPoints: '请先在地图上点出起点和终点。', siteEscorts_needPlates: '请至少选择一辆车。', siteEscorts_needProject: '请选择项目。',
    siteEscorts_booked: '已预约：{start} 出发，{end} 结束。', siteEscorts_unit: '护卫单元', siteEscorts_start: '出发', siteEscorts_end: '结束',
    siteEscorts_freeAt: '单元空闲于', siteEscorts_status: '状态', siteEscorts_routeCheck: '路线检查', siteEscorts_routeOk: '路线允许通行',
    siteEscorts_routeBad: '路线有违规：车辆仍需通行证', siteEscorts_routeUnknown: '路线检查暂无结果',
    siteEscorts_full: '所选时间段内没有空闲的护卫单元。可改约以下时间：', siteEscorts_noAlternative: '7 天内也没有空闲的护卫单元，请换个时间段或联系交警。',
    siteEscorts_bookAlt: '改约 {at}', siteEscorts_option: '方案', siteEscorts_mine: '本工地的护卫预约', siteEscorts_none: '还没有护卫预约。',
    siteEscorts_cancel: '取消预约', siteEscorts_cancelled: '已取消 {start} 的护卫预约。', siteEscorts_clearPoints: '重新选点',
    siteEscorts_violations: '违规', siteEscorts_pointsSet: '起点 {o}；终点 {d}', siteEscorts_pointsNone: '尚未选点',
    siteEscorts_st_scheduled: '已安排', siteEscorts_st_confirmed: '已确认', siteEscorts_st_cancelled: '已取消', siteEscorts_st_completed: '已完成',
  },
  en: {
    nav_siteEscorts: 'Escorts',
    siteEscorts_title: 'Escort booking', siteEscorts_help: 'Click the origin on the map, then the destination (a third click starts again), or type them; pick the project, the vehicles and the window to start in, then book. The earliest free escort unit in the window is booked.',
    siteEscorts_project: 'Project', siteEscorts_plates: 'Vehicles to escort (pick one or more)', siteEscorts_origin: 'Origin', siteEscorts_destination: 'Destination',
    siteEscorts_pointHint: 'lon,lat (or click the map)', siteEscorts_earliest: 'Earliest start', siteEscorts_latest: 'Latest start',
    siteEscorts_cargo: 'Cargo (optional)', siteEscorts_cargoWeight: 'Cargo gross weight (kg, optional)', siteEscorts_book: 'Book an escort',
    siteEscorts_needPoints: 'Click the origin and the destination on the map first.', siteEscorts_needPlates: 'Pick one vehicle at least.', siteEscorts_needProject: 'Pick the project.',
    siteEscorts_booked: 'Booked: starts {start}, ends {end}.', siteEscorts_unit: 'Escort unit', siteEscorts_start: 'Start', siteEscorts_end: 'End',
    siteEscorts_freeAt: 'Unit free at', siteEscorts_status: 'Status', siteEscorts_routeCheck: 'Route check', siteEscorts_routeOk: 'Route allowed',
    siteEscorts_routeBad: 'Route has violations: the vehicles still need a pass', siteEscorts_routeUnknown: 'No route check yet',
    siteEscorts_full: 'No escort unit is free in that window. These times are:', siteEscorts_noAlternative: 'No unit is free within 7 days either: try another window or call the traffic police.',
    siteEscorts_bookAlt: 'Book {at}', siteEscorts_option: 'Option', siteEscorts_mine: 'Your site\'s escorts', siteEscorts_none: 'No escort booked yet.',
    siteEscorts_cancel: 'Cancel booking', siteEscorts_cancelled: 'The escort at {start} is cancelled.', siteEscorts_clearPoints: 'Choose again',
    siteEscorts_violations: 'Violations', siteEscorts_pointsSet: 'Origin {o}; destination {d}', siteEscorts_pointsNone: 'No point chosen yet',
    siteEscorts_st_scheduled: 'scheduled', siteEscorts_st_confirmed: 'confirmed', siteEscorts_st_cancelled: 'cancelled', siteEscorts_st_completed: 'completed',
  },
});

const fmt = p => `${p[0].toFixed(5)},${p[1].toFixed(5)}`;
const parsePoint = s => {
  const p = s.split(',').map(x => Number(x.trim()));
  return p.length === 2 && p.every(Number.isFinite) ? p : null;
};
// A unit by the API's id: sites may not list units, so a short tag.
const unitTag = id => id.slice(0, 8);

function routeVerdict(rc) {
  if (!rc) return h('span.badge', null, t('siteEscorts_routeUnknown'));
  return rc.allowed ? h('span.badge.s-approved', null, t('siteEscorts_routeOk'))
    : h('span.badge.s-rejected', null, t('siteEscorts_routeBad'));
}

export async function escorts(main) {
  title(main, 'siteEscorts_title');
  main.append(h('p.help', null, t('siteEscorts_help')));
  const mapEl = h('div.map');
  const msg = h('div.msg');
  const result = h('div.result');
  const list = h('div');
  const [projects, vehicles] = await Promise.all([all('/v1/projects'), all('/v1/vehicles')]);
  const project = h('select', {name: 'project_id', required: true},
    projects.map(p => h('option', {value: p.id}, p.name)));
  const plates = h('select', {name: 'plates', multiple: true, size: 4},
    vehicles.map(v => h('option', {value: v.plate}, `${v.plate} · ${tv('class', v.class)}`)));
  const origin = h('input', {name: 'origin', placeholder: '118.33,35.06', autocomplete: 'off'});
  const dest = h('input', {name: 'destination', placeholder: '118.38,35.08', autocomplete: 'off'});
  const earliest = h('input', {name: 'earliest_start', type: 'datetime-local', value: localNow(60), required: true});
  const latest = h('input', {name: 'latest_start', type: 'datetime-local', value: localNow(180), required: true});
  const cargo = h('input', {name: 'cargo', maxlength: 500});
  const cargoKg = h('input', {name: 'cargo_weight', type: 'number', min: 1, max: 1000000});
  const pointsSay = h('span.count', {'aria-live': 'polite'}, t('siteEscorts_pointsNone'));
  const clearBtn = h('button.secondary', {type: 'button'}, t('siteEscorts_clearPoints'));
  const form = h('form.card', null,
    h('div.row', null, field(t('siteEscorts_project'), project), field(t('siteEscorts_plates'), plates)),
    h('div.row', null, field(t('siteEscorts_origin'), origin, t('siteEscorts_pointHint')),
      field(t('siteEscorts_destination'), dest, t('siteEscorts_pointHint'))),
    h('div.row', null, field(t('siteEscorts_earliest'), earliest), field(t('siteEscorts_latest'), latest)),
    h('div.row', null, field(t('siteEscorts_cargo'), cargo), field(t('siteEscorts_cargoWeight'), cargoKg)),
    h('div.row', null, h('button', {type: 'submit'}, t('siteEscorts_book')), clearBtn, pointsSay), msg);
  main.append(h('div.split', null, mapEl, h('div.side', null, form, result)), h('h2', null, t('siteEscorts_mine')), list);

  const map = await createMap(mapEl);
  zonesLayer(map, {labels: true}).load().catch(() => {}); // context only: where the zones are
  const marks = L.layerGroup().addTo(map);
  const routeLine = L.polyline([], {color: '#2f855a', weight: 4, dashArray: '8 6'}).addTo(map);
  let pts = []; // [origin, destination] as [lon, lat]
  function draw() {
    marks.clearLayers();
    pts.forEach((p, i) => marks.addLayer(L.circleMarker([p[1], p[0]],
      {radius: 7, color: i ? '#c53030' : '#2f855a', fillOpacity: 1})));
    routeLine.setLatLngs(pts.length === 2 ? pts.map(p => [p[1], p[0]]) : []);
    origin.value = pts[0] ? fmt(pts[0]) : '';
    dest.value = pts[1] ? fmt(pts[1]) : '';
    pointsSay.textContent = pts.length ? t('siteEscorts_pointsSet', {o: origin.value || '—', d: dest.value || '—'}) : t('siteEscorts_pointsNone');
  }
  map.on('click', e => {
    pts = pts.length >= 2 ? [] : pts;
    pts.push([e.latlng.lng, e.latlng.lat]);
    draw();
  });
  clearBtn.addEventListener('click', () => { pts = []; draw(); });
  const typed = () => {
    const o = parsePoint(origin.value), d = parsePoint(dest.value);
    pts = [o, d].filter(Boolean);
    if (o && !d) pts = [o];
    draw();
  };
  origin.addEventListener('change', typed);
  dest.addEventListener('change', typed);

  async function refresh() {
    const items = await all('/v1/escorts');
    const names = Object.fromEntries(projects.map(p => [p.id, p.name]));
    clear(list).append(items.length ? table([t('siteEscorts_start'), t('siteEscorts_end'), t('siteEscorts_project'), t('platesCol'),
      t('siteEscorts_unit'), t('siteEscorts_status'), t('siteEscorts_routeCheck'), ''],
    items.map(e => h(`tr${e.status === 'cancelled' ? '.muted' : ''}`, {'data-escort': e.id},
      h('td', null, when(e.start)), h('td', null, when(e.end)), h('td', null, names[e.project_id] || '—'),
      h('td', null, (e.plates || []).join(', ')), h('td', null, h('code', null, unitTag(e.unit_id))),
      h('td', null, tv('siteEscorts_st', e.status)), h('td', null, routeVerdict(e.route_check)),
      h('td', null, ['scheduled', 'confirmed'].includes(e.status) ? h('button.danger', {type: 'button',
        'aria-label': `${t('siteEscorts_cancel')} ${when(e.start)}`, onclick: async () => {
          try {
            await api('POST', `/v1/escorts/${e.id}/cancel`);
            say(msg, 'ok', t('siteEscorts_cancelled', {start: when(e.start)}));
            await refresh();
          } catch (err) { sayError(msg, err); }
        }}, t('siteEscorts_cancel')) : null))))
      : h('p', null, t('siteEscorts_none')));
  }

  function showBooked(e) {
    const rc = e.route_check;
    clear(result).append(h('div.card', {role: 'status'},
      h('p.verdict.ok', null, t('siteEscorts_booked', {start: when(e.start), end: when(e.end)})),
      h('dl', null,
        h('dt', null, t('siteEscorts_unit')), h('dd', null, h('code', null, unitTag(e.unit_id))),
        h('dt', null, t('siteEscorts_freeAt')), h('dd', null, when(e.unit_free_at)),
        h('dt', null, t('platesCol')), h('dd', null, (e.plates || []).join(', ')),
        h('dt', null, t('siteEscorts_routeCheck')), h('dd', null, routeVerdict(rc))),
      rc && rc.violations.length ? [h('h2', null, t('siteEscorts_violations')),
        table([t('plate'), t('enterAt'), t('reason')], rc.violations.map(v =>
          h('tr.bad', null, h('td', null, v.plate || ''), h('td', null, when(v.enter_at)), h('td', null, v.reason))))] : null));
    if (e.route) routeLine.setLatLngs(e.route.coordinates.map(([x, y]) => [y, x]));
  }

  // On a 409: the alternatives, each a button that books that start.
  function showAlternatives(problem, body) {
    const alts = problem.alternatives || [];
    clear(result).append(h('div.card.alternatives', {role: 'alert'},
      h('p', null, alts.length ? t('siteEscorts_full') : t('siteEscorts_noAlternative')),
      problem.detail ? h('p.detail.hint', null, problem.detail) : null,
      alts.length ? h('ol.alts', null, alts.map(a => h('li', null,
        h('button', {type: 'button', 'data-start': a.start, onclick: () => book({...body, earliest_start: a.start, latest_start: a.start})},
          t('siteEscorts_bookAlt', {at: when(a.start)})),
        ' ', h('span.hint', null, `${t('siteEscorts_unit')} `, h('code', null, unitTag(a.unit_id)))))) : null));
    const first = result.querySelector('button');
    if (first) first.focus();
  }

  async function book(body) {
    clear(msg); msg.className = 'msg';
    try {
      const e = await api('POST', '/v1/escorts', body);
      showBooked(e);
      await refresh();
    } catch (err) {
      if (err instanceof ApiError && err.status === 409 && err.code === 'no-escort-free') showAlternatives(err.problem, body);
      else { clear(result); sayError(msg, err); }
    }
  }

  form.addEventListener('submit', e => {
    e.preventDefault();
    if (!project.value) return say(msg, 'error', t('siteEscorts_needProject'));
    const chosen = [...plates.selectedOptions].map(o => o.value);
    if (!chosen.length) return say(msg, 'error', t('siteEscorts_needPlates'));
    typed();
    if (pts.length < 2) return say(msg, 'error', t('siteEscorts_needPoints'));
    const body = {project_id: project.value, plates: chosen,
      origin: {type: 'Point', coordinates: pts[0]}, destination: {type: 'Point', coordinates: pts[1]},
      earliest_start: rfc3339(earliest.value), latest_start: rfc3339(latest.value)};
    if (cargo.value.trim()) {
      body.cargo = {description: cargo.value.trim()};
      if (cargoKg.value) body.cargo.gross_weight_kg = Number(cargoKg.value);
    }
    return book(body);
  });
  await refresh();
}
