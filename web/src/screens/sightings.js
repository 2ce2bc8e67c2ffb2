// A sighting check (POST /v1/checks/sightings with one sighting): a plate
// seen at a point (clicked on the map, or typed) at a time: may it be
// there then, and if not, which zone's rule forbids it and why.
import {api} from '../api.js';
import {h, clear, field, append} from '../dom.js';
import {t, addStrings} from '../i18n.js';
import {createMap, zonesLayer, L} from '../map.js';
import {say, sayError, title, table, rfc3339, localNow} from '../ui.js';

addStrings({
  zh: {
    nav_sightings: '车辆核查', sightings_title: '车辆核查：这辆车此时能在这里吗？',
    sightings_help: '输入看到的车牌，在地图上点击看到它的位置（或输入经纬度），选择时间，然后核查。',
    sightings_plate: '看到的车牌', sightings_lon: '经度', sightings_lat: '纬度', sightings_at: '看到的时间',
    sightings_check: '核查', sightings_needPoint: '请先在地图上点击车辆所在位置，或输入经纬度。',
    sightings_ok: '可以在此通行', sightings_violation: '违反限行规定', sightings_unknown: '系统中没有这辆车',
    sightings_unknownHelp: '没有车辆登记这个车牌（或输入的不是车牌）：无法判断，请人工核实。',
    sightings_inZones: '所在限行区', sightings_noZone: '不在任何限行区内。', sightings_pass: '凭通行证 {code} 可通行。',
    sightings_why: '违规原因', sightings_point: '位置 {lon}, {lat}',
  },
  en: {
    nav_sightings: 'Sighting check', sightings_title: 'Sighting check: may this vehicle be here now?',
    sightings_help: 'Type the plate seen, click on the map where it was seen (or type the position), set the time, then check.',
    sightings_plate: 'Plate seen', sightings_lon: 'Longitude', sightings_lat: 'Latitude', sightings_at: 'Seen at',
    sightings_check: 'Check', sightings_needPoint: 'Click where the vehicle is on the map first, or type the position.',
    sightings_ok: 'Allowed here', sightings_violation: 'Breaks a restriction', sightings_unknown: 'No such vehicle on record',
    sightings_unknownHelp: 'No vehicle is registered with this plate (or the text is no plate): nothing can be said; check it by hand.',
    sightings_inZones: 'Zones at this point', sightings_noZone: 'In no zone.', sightings_pass: 'Pass {code} allows it.',
    sightings_why: 'Why not', sightings_point: 'Position {lon}, {lat}',
  },
});

export async function sightings(main) {
  title(main, 'sightings_title');
  main.append(h('p.help', null, t('sightings_help')));
  const mapEl = h('div.map');
  const plate = h('input', {name: 'plate', maxlength: 20, required: true});
  const lon = h('input', {name: 'lon', type: 'number', step: 'any', min: -180, max: 180});
  const lat = h('input', {name: 'lat', type: 'number', step: 'any', min: -90, max: 90});
  const at = h('input', {name: 'at', type: 'datetime-local', value: localNow(0), required: true});
  const msg = h('div.msg');
  const result = h('div.result', {'aria-live': 'polite'});
  const form = h('form.card', null, field(t('sightings_plate'), plate),
    h('div.row', null, field(t('sightings_lon'), lon), field(t('sightings_lat'), lat)),
    field(t('sightings_at'), at), h('button', {type: 'submit'}, t('sightings_check')), msg);
  main.append(h('div.split', null, mapEl, h('div.side', null, form, result)));
  const map = await createMap(mapEl);
  let hot = new Set();
  // No standing labels: they would hide the point clicked; names show on hover.
  const zones = zonesLayer(map, {styleOf: f => (hot.has(f.id) ? 'violated' : 'zone')});
  zones.load().catch(err => sayError(msg, err));
  const mark = L.circleMarker([0, 0], {radius: 8, color: '#1a202c', weight: 3, fillColor: '#f6e05e', fillOpacity: 1});
  const place = () => {
    if (lon.value === '' || lat.value === '') return;
    mark.setLatLng([Number(lat.value), Number(lon.value)]).addTo(map);
  };
  map.on('click', e => { lon.value = e.latlng.lng.toFixed(6); lat.value = e.latlng.lat.toFixed(6); place(); });
  lon.addEventListener('change', place); lat.addEventListener('change', place);

  form.addEventListener('submit', async e => {
    e.preventDefault();
    clear(msg); msg.className = 'msg'; clear(result);
    if (lon.value === '' || lat.value === '') return say(msg, 'error', t('sightings_needPoint'));
    try {
      const r = await api('POST', '/v1/checks/sightings', {sightings: [{plate: plate.value.trim(),
        lon: Number(lon.value), lat: Number(lat.value), at: rfc3339(at.value)}]});
      const s = r.results[0];
      const names = Object.fromEntries(await Promise.all(s.zone_ids.map(async id => {
        try { return [id, (await api('GET', `/v1/zones/${id}`)).name]; } catch { return [id, id]; }
      })));
      hot = new Set(s.violations.map(v => v.zone_id));
      zones.restyle();
      const verdict = {ok: ['ok', 'sightings_ok'], violation: ['bad', 'sightings_violation'], unknown_vehicle: ['unknown', 'sightings_unknown']}[s.status];
      append(result, [
        h(`p.verdict.${verdict[0]}`, {role: 'status'}, t(verdict[1])),
        h('p', null, `${plate.value.trim()} · ${t('sightings_point', {lon: lon.value, lat: lat.value})} · ${at.value.replace('T', ' ')}`),
        s.status === 'unknown_vehicle' ? h('p.help', null, t('sightings_unknownHelp')) : null,
        s.pass_code ? h('p', null, t('sightings_pass', {code: s.pass_code})) : null,
        s.violations.length ? [h('h2', null, t('sightings_why')), table([t('zone'), t('reason')],
          s.violations.map(v => h('tr.bad', null, h('td', null, names[v.zone_id] || v.zone_id), h('td', null, v.reason))))] : null,
        h('h2', null, t('sightings_inZones')),
        s.zone_ids.length ? h('ul', null, s.zone_ids.map(id => h('li', null, names[id]))) : h('p', null, t('sightings_noZone'))]);
    } catch (err) { sayError(msg, err); }
  });
}
