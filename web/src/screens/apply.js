// Applications (/applications, haulier and site): the list with the
// decision deadline counting down in working days (the holiday calendar
// of GET /v1/calendar/{year}), and the form, whose zones are picked by
// clicking them on the map (or in the list), or whose corridor is drawn
// on the map point by point (or typed) with its width in metres.
import {api, all} from '../api.js';
import {h, clear, field} from '../dom.js';
import {t, tv, addStrings} from '../i18n.js';
import {createMap, zonesLayer, L} from '../map.js';
import {TYPES, say, sayError, title, table, when, today, lines} from '../ui.js';

addStrings({
  zh: {
    apply_where: '通行范围', apply_byZones: '限行区（在地图上点击选择）', apply_byCorridor: '走廊（在地图上依次点出路线）',
    apply_cargo: '货物（大件运输必填）', apply_cargoLength: '长（毫米）', apply_cargoWidth: '宽（毫米）', apply_cargoHeight: '高（毫米）', apply_cargoMass: '质量（千克）',
    apply_width: '走廊宽度（米）', apply_widthHint: '10 至 2000 米', apply_corridorText: '或输入走廊路线', apply_clear: '清除走廊',
    apply_mapHelp: '点击限行区把它加入或移出申请；选择“走廊”后，依次点击路线经过的点。',
    apply_zonesChosen: '已选 {n} 个限行区', apply_corridorPoints: '走廊已有 {n} 个点', apply_needCorridor: '走廊至少需要两个点。',
    apply_needZones: '请至少选择一个限行区，或改为画走廊。', apply_hours: '通行时段（可选，如 Mo-Fr 22:00-06:00）',
    apply_left: '剩 {n} 个工作日', apply_leftOne: '剩 1 个工作日', apply_dueToday: '今天 {at} 到期', apply_overdue: '已超期',
    apply_waitEndorse: '背书后开始计时', apply_deadline: '期限',
  },
  en: {
    apply_where: 'Where', apply_byZones: 'Zones (click them on the map)', apply_byCorridor: 'Corridor (click the route on the map)',
    apply_cargo: 'Cargo (required for oversize loads)', apply_cargoLength: 'Length (mm)', apply_cargoWidth: 'Width (mm)', apply_cargoHeight: 'Height (mm)', apply_cargoMass: 'Mass (kg)',
    apply_width: 'Corridor width (m)', apply_widthHint: '10 to 2000 metres', apply_corridorText: 'Or type the corridor', apply_clear: 'Clear corridor',
    apply_mapHelp: 'Click a zone to add it to the application or take it out; with "Corridor", click the points of the route in order.',
    apply_zonesChosen: '{n} zones chosen', apply_corridorPoints: 'Corridor of {n} points', apply_needCorridor: 'A corridor needs two points at least.',
    apply_needZones: 'Pick one zone at least, or draw a corridor.', apply_hours: 'Hours (optional, e.g. Mo-Fr 22:00-06:00)',
    apply_left: '{n} working days left', apply_leftOne: '1 working day left', apply_dueToday: 'due today at {at}', apply_overdue: 'Overdue',
    apply_waitEndorse: 'the clock starts once endorsed', apply_deadline: 'Deadline',
  },
});

const OPEN = ['awaiting_endorsement', 'queued', 'in_review'];

// The calendar's exceptions of the years asked: date -> 'holiday' | 'workday'.
async function calendar(years) {
  const out = new Map();
  await Promise.all(years.map(async y => {
    try { for (const d of (await api('GET', `/v1/calendar/${y}`)).days || []) out.set(d.date, d.kind); }
    catch { /* a year without a calendar: weekends only */ }
  }));
  return out;
}
const isWorkday = (cal, date) => {
  const k = cal.get(date);
  if (k) return k === 'workday';
  const wd = new Date(`${date}T00:00:00Z`).getUTCDay();
  return wd !== 0 && wd !== 6;
};
// The working days after today up to due's date (the server writes due_at
// in the city's time, so its first ten characters are the city's date).
export function workingDaysLeft(cal, todayDate, dueDate) {
  let n = 0;
  for (let d = new Date(`${todayDate}T00:00:00Z`); ;) {
    d = new Date(d.getTime() + 86400000);
    const s = d.toISOString().slice(0, 10);
    if (s > dueDate) return n;
    if (isWorkday(cal, s)) n++;
  }
}

function deadline(cal, a) {
  if (!OPEN.includes(a.status)) return h('td', null, when(a.due_at));
  if (!a.due_at) return h('td.hint', null, t('apply_waitEndorse'));
  const due = new Date(a.due_at).getTime();
  const title_ = when(a.due_at);
  if (due < Date.now()) return h('td.deadline.overdue', {title: title_}, h('strong', null, t('apply_overdue')), ` · ${title_}`);
  const dueDate = a.due_at.slice(0, 10);
  if (dueDate <= today()) return h('td.deadline.soon', {title: title_}, t('apply_dueToday', {at: a.due_at.slice(11, 16)}));
  const n = workingDaysLeft(cal, today(), dueDate);
  return h(`td.deadline${n <= 1 ? '.soon' : ''}`, {title: title_}, n === 1 ? t('apply_leftOne') : t('apply_left', {n}), ` · ${title_}`);
}

// Whether [x, y] lies inside a GeoJSON Polygon or MultiPolygon (even-odd
// over every ring, so holes are out).
function inside(geom, x, y) {
  const polys = geom.type === 'Polygon' ? [geom.coordinates] : geom.type === 'MultiPolygon' ? geom.coordinates : [];
  return polys.some(rings => {
    let c = false;
    for (const ring of rings) {
      for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
        const [xi, yi] = ring[i], [xj, yj] = ring[j];
        if ((yi > y) !== (yj > y) && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) c = !c;
      }
    }
    return c;
  });
}

export async function applications(main, s, go) {
  title(main, 'applications');
  const msg = h('div.msg');
  const list = h('div');
  const y = new Date().getFullYear();
  const [vehicles, projects, zoneList, cal] = await Promise.all([all('/v1/vehicles'), all('/v1/projects'), all('/v1/zones'), calendar([y, y + 1])]);
  async function refresh() {
    const items = await all('/v1/applications');
    clear(list).append(items.length ? table([t('type'), t('platesCol'), t('status'), t('apply_deadline'), ''],
      items.map(a => h('tr', {'data-app': a.id}, h('td', null, tv('type', a.type)), h('td', null, (a.plates || []).join(', ')),
        h('td', null, h(`span.badge.s-${a.status}`, null, tv('status', a.status)), a.fast_track ? h('span.badge.fast', null, t('fastTrack')) : null),
        deadline(cal, a),
        h('td', null, h('a', {href: `/applications/${a.id}`, onclick: e => { e.preventDefault(); go(`/applications/${a.id}`); }}, t('detail'))))))
      : h('p', null, t('noApplications')));
  }
  const type = h('select', {name: 'type'}, TYPES.map(x => h('option', {value: x}, tv('type', x))));
  const plates = h('select', {name: 'plates', multiple: true, size: 4}, vehicles.map(v => h('option', {value: v.plate}, v.plate)));
  const zones = h('select', {name: 'zone_ids', multiple: true, size: 5}, zoneList.map(z => h('option', {value: z.id}, z.name)));
  const project = h('select', {name: 'project_id'}, h('option', {value: ''}, t('noProject')), projects.map(p => h('option', {value: p.id}, p.name)));
  const from = h('input', {name: 'valid_from', type: 'date', value: today(), required: true});
  const to = h('input', {name: 'valid_to', type: 'date', value: today(30), required: true});
  const hours = h('input', {name: 'hours', maxlength: 200, placeholder: 'Mo-Fr 22:00-06:00'});
  const docs = h('textarea', {name: 'documents', rows: 3}, '行驶证 vehicle licence');
  const later = h('textarea', {name: 'documents_missing', rows: 2});
  const note = h('input', {name: 'note', maxlength: 500});
  // Where: zones, or a corridor.
  const byZones = h('input', {type: 'radio', name: 'apply_where', value: 'zones', checked: true});
  const byCorridor = h('input', {type: 'radio', name: 'apply_where', value: 'corridor'});
  const width = h('input', {name: 'corridor_width_m', type: 'number', min: 10, max: 2000, value: 50});
  const typed = h('input', {name: 'corridor_text', placeholder: '118.30,35.06; 118.40,35.06'});
  const clearBtn = h('button.secondary', {type: 'button'}, t('apply_clear'));
  const chosen = h('span.count', {'aria-live': 'polite'});
  const zonePart = field(t('zonesPick'), zones);
  const corridorPart = h('div.row', null, field(t('apply_width'), width, t('apply_widthHint')),
    field(t('apply_corridorText'), typed, t('routeTextHint')), clearBtn);
  // An oversize load's dimensions and mass (docs/contract.md §13): shown
  // for that type only, and sent with it.
  const cargo = {};
  for (const [k, key, max] of [['length_mm', 'apply_cargoLength', 100000], ['width_mm', 'apply_cargoWidth', 20000],
    ['height_mm', 'apply_cargoHeight', 20000], ['mass_kg', 'apply_cargoMass', 1000000]]) {
    cargo[k] = {key, input: h('input', {name: `cargo_${k}`, type: 'number', min: 1, max, step: 1})};
  }
  const cargoPart = h('fieldset', {hidden: true}, h('legend', null, t('apply_cargo')),
    h('div.row', null, Object.values(cargo).map(c => field(t(c.key), c.input))));
  type.addEventListener('change', () => { cargoPart.hidden = type.value !== 'oversize'; });
  const mapEl = h('div.map.small');
  const form = h('form.card', null, h('h2', null, t('newApplication')),
    h('div.row', null, field(t('type'), type), field(t('plates'), plates), field(t('project'), project)),
    cargoPart,
    h('fieldset', null, h('legend', null, t('apply_where')),
      h('label.check.inline', null, byZones, ` ${t('apply_byZones')}`),
      h('label.check.inline', null, byCorridor, ` ${t('apply_byCorridor')}`),
      h('p.help', null, t('apply_mapHelp')),
      h('div.split', null, mapEl, h('div', null, zonePart, corridorPart, chosen))),
    h('div.row', null, field(t('validFrom'), from), field(t('validTo'), to), field(t('apply_hours'), hours)),
    h('div.row', null, field(t('documents'), docs), field(t('documentsLater'), later), field(t('note'), note)),
    h('button', {type: 'submit'}, t('submit')), msg);
  main.append(list, form);

  const map = await createMap(mapEl);
  const picked = () => new Set([...zones.selectedOptions].map(o => o.value));
  const layer = zonesLayer(map, {labels: true, styleOf: f => (byZones.checked && picked().has(f.id) ? 'crossed' : 'zone')});
  const pts = [];
  const line = L.polyline([], {color: '#6b46c1', weight: 6, opacity: 0.6, lineCap: 'butt'}).addTo(map);
  const marks = L.layerGroup().addTo(map);
  // The corridor drawn as wide as it is (at least 4 px, so it stays visible).
  function lineWidth() {
    const mpp = 40075016.686 * Math.cos(map.getCenter().lat * Math.PI / 180) / 2 ** (map.getZoom() + 8);
    line.setStyle({weight: Math.max(4, (Number(width.value) || 0) / mpp)});
  }
  function drawCorridor() {
    line.setLatLngs(pts.map(([x, yy]) => [yy, x]));
    typed.value = pts.map(p => `${p[0].toFixed(5)},${p[1].toFixed(5)}`).join('; ');
    lineWidth();
    marks.clearLayers();
    for (const p of pts) marks.addLayer(L.circleMarker([p[1], p[0]], {radius: 5, color: '#6b46c1', fillOpacity: 1}));
  }
  function sync() {
    zonePart.hidden = !byZones.checked;
    corridorPart.hidden = !byCorridor.checked;
    line.setStyle({opacity: byCorridor.checked ? 0.6 : 0});
    marks.eachLayer(m => m.setStyle({opacity: byCorridor.checked ? 1 : 0, fillOpacity: byCorridor.checked ? 1 : 0}));
    chosen.textContent = byZones.checked ? t('apply_zonesChosen', {n: picked().size}) : t('apply_corridorPoints', {n: pts.length});
    layer.restyle();
  }
  map.on('click', e => {
    if (byCorridor.checked) {
      pts.push([e.latlng.lng, e.latlng.lat]);
      drawCorridor();
    } else {
      // The zones under the click join the application, or leave it.
      for (const f of layer.features().filter(f => inside(f.geometry, e.latlng.lng, e.latlng.lat))) {
        let opt = [...zones.options].find(o => o.value === f.id);
        if (!opt) zones.append(opt = h('option', {value: f.id}, f.properties.name));
        opt.selected = !opt.selected;
      }
    }
    sync();
  });
  zones.addEventListener('change', sync);
  map.on('zoomend', lineWidth);
  width.addEventListener('input', lineWidth);
  for (const r of [byZones, byCorridor]) r.addEventListener('change', sync);
  clearBtn.addEventListener('click', () => { pts.length = 0; typed.value = ''; drawCorridor(); sync(); });
  typed.addEventListener('change', () => {
    const got = typed.value.split(';').map(p => p.split(',').map(Number)).filter(p => p.length === 2 && p.every(Number.isFinite));
    pts.length = 0; pts.push(...got); drawCorridor(); sync();
  });
  form.addEventListener('submit', async e => {
    e.preventDefault();
    const body = {type: type.value, plates: [...plates.selectedOptions].map(o => o.value), valid_from: from.value, valid_to: to.value,
      documents: [...lines(docs).map(name => ({name, provided: true})), ...lines(later).map(name => ({name, provided: false}))]};
    if (byCorridor.checked) {
      if (pts.length < 2) return say(msg, 'error', t('apply_needCorridor'));
      body.corridor = {route: {type: 'LineString', coordinates: pts}, width_m: Number(width.value)};
    } else {
      if (!picked().size) return say(msg, 'error', t('apply_needZones'));
      body.zone_ids = [...picked()];
    }
    if (type.value === 'oversize') {
      body.cargo = Object.fromEntries(Object.entries(cargo).map(([k, c]) => [k, Number(c.input.value)]));
    }
    if (project.value) body.project_id = project.value;
    if (hours.value.trim()) body.hours = hours.value.trim();
    if (note.value.trim()) body.note = note.value.trim();
    try {
      await api('POST', '/v1/applications', body);
      say(msg, 'ok', t('submitted'));
      await refresh();
    } catch (err) { sayError(msg, err); }
    return undefined;
  });
  sync();
  layer.load().catch(err => sayError(msg, err));
  await refresh();
}
