// The zones map coloured for a vehicle at a time (/zones): pick a plate,
// or a class and a mass, and an instant; the zones that restrict that
// vehicle then are red, the others grey. A slider walks the next 24 hours
// in half hours: each step asks POST /v1/checks/zones (answered from the
// server's memory) for the zones in the loaded area and restyles the
// drawn outlines, which are never fetched again for it. The outlines
// still come by ?bbox= as the view moves (10,000 zones stay fast), each
// time with the verdict for their box asked at once (reasons: false), so
// the first drawing is already coloured.
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
  const form = h('div');
  // The map keeps the screen's height; what it shows is chosen beside it.
  main.append(h('div.split', null, mapEl, h('div.side', null, form, msg, count, side)));
  // The vehicles and the map's set-up at once (two round trips, not four).
  const [vehicles, map] = await Promise.all([all('/v1/vehicles'), createMap(mapEl)]);
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
  form.append(h('form.card.zonetime', {onsubmit: e => e.preventDefault()},
    h('fieldset', null, h('legend', null, t('zonetime_by')),
      h('label.check.inline', null, byPlate, ` ${t('zonetime_byPlate')}`),
      h('label.check.inline', null, byTraits, ` ${t('zonetime_byTraits')}`)),
    plateField, traitFields, field(t('zonetime_slider'), slider), ends, atSay, legend));

  // What the server said of each drawn zone, for which vehicle and instant
  // (key): a zone is grey ("does not restrict") only when an answer for the
  // vehicle and instant shown said so; until then it is a plain zone.
  let verdict = new Map(); // zone id -> {key, restricts}
  let reasons = new Map(); // zone id -> {key, list}, when the answer had them
  let area = null; // the bbox the drawn outlines were loaded for
  let key = '';
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
  // POST /v1/checks/zones for a box: its reasons only while few zones are
  // drawn (a big city's map needs the verdict, not thousands of sentences).
  // The box is widened by 10 m so that it surely meets every zone the
  // outlines of that box drew (PostGIS rounds bounding boxes to float4).
  async function ask(bbox, v, at, few) {
    const m = 0.0001;
    return api('POST', '/v1/checks/zones', {...v, at: new Date(at).toISOString(),
      bbox: [Math.max(-180, bbox[0] - m), Math.max(-90, bbox[1] - m), Math.min(180, bbox[2] + m), Math.min(90, bbox[3] + m)],
      reasons: few});
  }
  // The answer r, asked under key k, for the features drawn from one box.
  function apply(r, k, features) {
    const ids = new Map();
    for (const x of r.restricting) ids.set(x.zone_id, [...(ids.get(x.zone_id) || []), ...(x.reason ? [x.reason] : [])]);
    for (const f of features) verdict.set(f.id, {key: k, restricts: ids.has(f.id)});
    for (const [id, why] of ids) if (why.length) reasons.set(id, {key: k, list: why});
  }
  const FEW = 300; // as many as the map draws as SVG
  const zones = zonesLayer(map, {
    styleOf: f => { const x = verdict.get(f.id); return x && x.key === key ? (x.restricts ? 'restricts' : 'neutral') : 'pending'; },
    labels: true,
    alongside: async bbox => {
      const v = who(), k = key, at = instant();
      return v ? {k, r: await ask(bbox, v, at, false)} : null;
    },
    onLoad: (features, bbox, got) => {
      area = bbox;
      const again = () => Promise.resolve().then(recolour); // once the new zones are drawn
      if (!got || got.k !== key) return again();
      apply(got.r, got.k, features);
      done();
      if (features.length <= FEW) again(); // few zones: their reasons too, for the list
    },
  });
  const done = () => { list(); mapEl.classList.remove('updating'); mapEl.dataset.at = String(instant()); };
  let seq = 0;
  async function recolour() {
    showAt();
    const v = who();
    key = JSON.stringify([v, instant()]);
    if (!area) return;
    const mine = ++seq;
    if (!v) {
      zones.restyle(); list();
      clear(msg).append(h('p', null, t('zonetime_pickVehicle'))); msg.className = 'msg error';
      return;
    }
    mapEl.classList.add('updating'); // the colours shown are of another time until the answer
    const k = key, drawn = zones.drawn(), features = zones.features();
    try {
      const r = await ask(area, v, instant(), features.length <= FEW);
      if (mine !== seq) return; // a later step has taken over
      if (zones.drawn() !== drawn) return recolour(); // other zones drawn meanwhile: ask for their box
      clear(msg); msg.className = 'msg';
      apply(r, k, features);
      zones.restyle();
      done(); // for the tests: the colours are those of this instant
    } catch (err) { if (mine === seq) { mapEl.classList.remove('updating'); sayError(msg, err); } }
  }
  // The zones restricting then; their reasons when the answer had them,
  // else asked for one zone when it is picked.
  function list() {
    const drawn = zones.features();
    const here = drawn.filter(f => { const x = verdict.get(f.id); return x && x.key === key && x.restricts; });
    count.textContent = t('zonetime_count', {n: drawn.length, r: here.length});
    clear(side).append(h('h2', null, t('zonetime_restricting')), here.length ? h('ul.zones', null, here.slice(0, 200).map(f => {
      const why = h('div');
      const show = lines => clear(why).append(...lines.map(x => h('div.hint', null, x)));
      const known = reasons.get(f.id);
      if (known && known.key === key) show(known.list);
      const pick = async () => {
        const b = L.geoJSON(f).getBounds();
        map.fitBounds(b, {padding: [30, 30], maxZoom: 16});
        if ((known && known.key === key) || !who()) return;
        try {
          const r = await ask([b.getWest(), b.getSouth(), b.getEast(), b.getNorth()], who(), instant(), true);
          show(r.restricting.filter(x => x.zone_id === f.id).map(x => x.reason));
        } catch (err) { sayError(msg, err); }
      };
      return h('li', null, h('button.link', {type: 'button', onclick: pick}, f.properties.name), why);
    })) : h('p', null, t('zonetime_noneRestrict')));
  }
  let timer = null;
  slider.addEventListener('input', () => { showAt(); clearTimeout(timer); timer = setTimeout(recolour, 120); });
  for (const el of [byPlate, byTraits]) el.addEventListener('change', () => { syncMode(); recolour(); });
  for (const el of [plate, cls, weight, hazmat]) el.addEventListener('change', recolour);
  syncMode();
  showAt();
  key = JSON.stringify([who(), instant()]);
  await zones.load().catch(err => sayError(msg, err));
}
