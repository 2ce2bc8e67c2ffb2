// The zones map coloured for a vehicle at a time (/zones): pick a plate,
// or a class and a mass, and an instant; the zones that restrict that
// vehicle then are red, the others grey. A slider walks the next 24 hours
// in half hours: each step asks POST /v1/checks/zones (answered from the
// server's memory) for the zones in the loaded area and restyles the
// drawn outlines, which are never fetched again for it. The outlines
// still come by ?bbox= as the view moves (10,000 zones stay fast).
import {api, all} from '../api.js';
import {h, clear, field} from '../dom.js';
import {t, tv, addStrings} from '../i18n.js';
import {createMap, zonesLayer, L} from '../map.js';
import {CLASSES, sayError, title} from '../ui.js';

addStrings({
  zh: {
    zonetime_title: '限行区地图', zonetime_help: '选择车辆和时间：红色是该车在该时间不能进入的限行区，灰色是可以进入的。拖动滑块查看未来 24 小时。',
    zonetime_by: '按', zonetime_byPlate: '车牌', zonetime_byTraits: '车型和总质量', zonetime_plate: '车牌',
    zonetime_class: '车型', zonetime_weight: '总质量（千克）', zonetime_hazmat: '装载危险品',
    zonetime_slider: '时间（未来 24 小时，每半小时）', zonetime_at: '查看时间：{at}',
    zonetime_count: '视野内 {n} 个限行区，其中 {r} 个限制该车', zonetime_legendBad: '限制该车', zonetime_legendOk: '不限制',
    zonetime_restricting: '此时限制该车的限行区', zonetime_noneRestrict: '此时视野内没有限制该车的限行区。',
    zonetime_pickVehicle: '请选择车牌，或改为按车型和总质量。', zonetime_now: '现在', zonetime_plus24: '24 小时后',
  },
  en: {
    zonetime_title: 'Zones map', zonetime_help: 'Pick a vehicle and a time: red zones restrict that vehicle then, grey ones do not. Drag the slider over the next 24 hours.',
    zonetime_by: 'By', zonetime_byPlate: 'plate', zonetime_byTraits: 'class and mass', zonetime_plate: 'Plate',
    zonetime_class: 'Class', zonetime_weight: 'Gross weight (kg)', zonetime_hazmat: 'Carries hazardous goods',
    zonetime_slider: 'Time (next 24 hours, by half hours)', zonetime_at: 'Shown for: {at}',
    zonetime_count: '{n} zones in view, {r} of them restrict this vehicle', zonetime_legendBad: 'restricts it', zonetime_legendOk: 'does not',
    zonetime_restricting: 'Zones restricting it then', zonetime_noneRestrict: 'No zone in view restricts this vehicle then.',
    zonetime_pickVehicle: 'Pick a plate, or choose by class and mass.', zonetime_now: 'now', zonetime_plus24: 'in 24 hours',
  },
});

const STEP_MS = 30 * 60000;
const pad = n => String(n).padStart(2, '0');
// "12-02 14:30" in the browser's own time (the city's, for its users).
const local = ms => { const d = new Date(ms); return `${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`; };

export async function zonesByVehicle(main) {
  title(main, 'zonetime_title');
  main.append(h('p.help', null, t('zonetime_help')));
  const msg = h('div.msg');
  const count = h('p.count', {'aria-live': 'polite'});
  const mapEl = h('div.map.tall');
  const side = h('div.side');
  const vehicles = await all('/v1/vehicles');
  // The vehicle: by plate, or by its traits.
  const byPlate = h('input', {type: 'radio', name: 'zonetime_by', value: 'plate', checked: vehicles.length > 0});
  const byTraits = h('input', {type: 'radio', name: 'zonetime_by', value: 'traits', checked: vehicles.length === 0});
  const plate = h('select', {name: 'plate'}, vehicles.map(v => h('option', {value: v.plate}, `${v.plate} · ${tv('class', v.class)}`)));
  const cls = h('select', {name: 'class'}, CLASSES.map(c => h('option', {value: c}, tv('class', c))));
  cls.value = 'heavy_truck';
  const weight = h('input', {name: 'gross_weight_kg', type: 'number', min: 1, max: 200000, value: 31000});
  const hazmat = h('input', {name: 'hazmat', type: 'checkbox'});
  const base = Math.floor(Date.now() / STEP_MS) * STEP_MS;
  const slider = h('input', {name: 'at_step', type: 'range', min: 0, max: 47, step: 1, value: 0});
  const atSay = h('output.at', {for: slider.id || null, 'aria-live': 'polite'});
  const legend = h('p.legend', null, h('span.swatch.bad'), t('zonetime_legendBad'), ' ', h('span.swatch.neutral'), t('zonetime_legendOk'));
  const plateField = field(t('zonetime_plate'), plate);
  const traitFields = h('div.row', null, field(t('zonetime_class'), cls), field(t('zonetime_weight'), weight), field(t('zonetime_hazmat'), hazmat));
  const ends = h('div.ends', {'aria-hidden': 'true'}, h('span', null, t('zonetime_now')), h('span', null, t('zonetime_plus24')));
  const controls = h('form.card.zonetime', {onsubmit: e => e.preventDefault()},
    h('fieldset', null, h('legend', null, t('zonetime_by')),
      h('label.check.inline', null, byPlate, ` ${t('zonetime_byPlate')}`),
      h('label.check.inline', null, byTraits, ` ${t('zonetime_byTraits')}`)),
    plateField, traitFields, field(t('zonetime_slider'), slider), ends, atSay, legend);
  // The map keeps the screen's height; what it shows is chosen beside it.
  main.append(h('div.split', null, mapEl, h('div.side', null, controls, msg, count, side)));

  const map = await createMap(mapEl);
  let restricted = new Map(); // zone id -> [reasons]
  let area = null; // the bbox the drawn outlines were loaded for
  const zones = zonesLayer(map, {
    styleOf: f => (restricted.has(f.id) ? 'restricts' : 'neutral'),
    labels: true,
    onLoad: () => { const b = map.getBounds().pad(0.25); area = b; recolour(); },
  });
  const instant = () => base + Number(slider.value) * STEP_MS;
  const showAt = () => {
    const at = local(instant());
    atSay.textContent = t('zonetime_at', {at: slider.value === '0' ? `${at} · ${t('zonetime_now')}` : at});
    slider.setAttribute('aria-valuetext', at);
  };
  const syncMode = () => {
    plateField.hidden = !byPlate.checked;
    traitFields.hidden = !byTraits.checked;
  };
  function who() {
    if (byPlate.checked) return plate.value ? {plate: plate.value} : null;
    return {vehicle: {class: cls.value, gross_weight_kg: Number(weight.value) || 1, hazmat: hazmat.checked}};
  }
  let seq = 0;
  async function recolour() {
    showAt();
    const v = who();
    if (!area) return;
    const mine = ++seq;
    if (!v) {
      restricted = new Map(); zones.restyle(); list();
      clear(msg).append(h('p', null, t('zonetime_pickVehicle'))); msg.className = 'msg error';
      return;
    }
    const clamp = (x, m) => Math.max(-m, Math.min(m, x));
    const bbox = [clamp(area.getWest(), 180), clamp(area.getSouth(), 90), clamp(area.getEast(), 180), clamp(area.getNorth(), 90)];
    try {
      const r = await api('POST', '/v1/checks/zones', {...v, at: new Date(instant()).toISOString(), bbox});
      if (mine !== seq) return; // a later step has taken over
      clear(msg); msg.className = 'msg';
      restricted = new Map();
      for (const x of r.restricting) restricted.set(x.zone_id, [...(restricted.get(x.zone_id) || []), x]);
      zones.restyle();
      list();
      mapEl.dataset.at = String(instant()); // for the tests: the colours are those of this instant
    } catch (err) { if (mine === seq) sayError(msg, err); }
  }
  function list() {
    const drawn = zones.features();
    const here = drawn.filter(f => restricted.has(f.id));
    count.textContent = t('zonetime_count', {n: drawn.length, r: here.length});
    clear(side).append(h('h2', null, t('zonetime_restricting')), here.length ? h('ul.zones', null, here.slice(0, 200).map(f =>
      h('li', null, h('button.link', {type: 'button', onclick: () => map.fitBounds(L.geoJSON(f).getBounds(), {padding: [30, 30], maxZoom: 16})}, f.properties.name),
        ...restricted.get(f.id).map(x => h('div.hint', null, x.reason))))) : h('p', null, t('zonetime_noneRestrict')));
  }
  let timer = null;
  slider.addEventListener('input', () => { showAt(); clearTimeout(timer); timer = setTimeout(recolour, 120); });
  for (const el of [byPlate, byTraits]) el.addEventListener('change', () => { syncMode(); recolour(); });
  for (const el of [plate, cls, weight, hazmat]) el.addEventListener('change', recolour);
  syncMode();
  showAt();
  await zones.load().catch(err => sayError(msg, err));
}
