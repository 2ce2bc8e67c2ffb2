// The map: Leaflet drawing GeoJSON as SVG over a plain background. No
// tiles unless the deployment names its own tile server
// (HAULPASS_TILE_URL, read from GET /v1/console-config), so no request
// ever leaves for another host.
import L from 'leaflet';
import {api} from './api.js';
import {h} from './dom.js';
import {t, addStrings} from './i18n.js';

const CITY = [35.06, 118.35]; // the demo city's centre (Linyi)

let config = null;
export async function consoleConfig() {
  if (!config) config = await api('GET', '/v1/console-config', undefined, {anonymous: true});
  return config;
}

export async function createMap(el) {
  const cfg = await consoleConfig();
  el.setAttribute('role', 'region');
  el.setAttribute('aria-label', t('mapLabel'));
  const map = L.map(el, {attributionControl: !!cfg.tile_url, zoomSnap: 0.5, inertia: false}).setView(CITY, 12);
  if (cfg.tile_url) L.tileLayer(cfg.tile_url, {maxZoom: 19}).addTo(map);
  if (map.attributionControl) map.attributionControl.setPrefix(false);
  return map;
}

// A tooltip made of text nodes (a string would be read as HTML by Leaflet).
export function textTip(layer, ...lines) {
  layer.bindTooltip(h('div', null, ...lines.flatMap((l, i) => (i ? [h('br'), l] : [l]))), {sticky: true});
}

const STYLE = {
  zone: {color: '#2b6cb0', weight: 1.5, fillOpacity: 0.12},
  crossed: {color: '#dd6b20', weight: 2.5, fillOpacity: 0.25},
  violated: {color: '#c53030', weight: 3, fillOpacity: 0.35},
  // The map coloured for a vehicle at a time: restricting, or not.
  restricts: {color: '#c53030', weight: 2.5, fillColor: '#e53e3e', fillOpacity: 0.45},
  neutral: {color: '#718096', weight: 1, fillColor: '#a0aec0', fillOpacity: 0.1},
  // Not known yet for that vehicle and time (drawn as a plain zone, never
  // as "does not restrict" before the answer says so).
  pending: {color: '#2b6cb0', weight: 1.5, fillOpacity: 0.12},
  // Road works (docs/contract.md §13): orange and dashed, told apart from
  // standing restrictions at a glance (the legend says which is which).
  roadworks: {color: '#c05621', weight: 2.5, dashArray: '8 5', fillColor: '#ed8936', fillOpacity: 0.3},
  // Road works that restrict the vehicle chosen on the coloured map: its
  // red fill, and still the road works' dashed orange outline.
  roadworksRestricts: {color: '#c05621', weight: 2.5, dashArray: '8 5', fillColor: '#e53e3e', fillOpacity: 0.45},
};

addStrings({
  zh: {map_legendZone: '限行区域 restricted zone', map_legendRoadworks: '道路施工 road works'},
  en: {map_legendZone: 'restricted zone 限行区域', map_legendRoadworks: 'road works 道路施工'},
});

// Which style a zone takes: the screen's highlight first, else road works
// by their kind, else a plain zone.
function styleName(f, styleOf) {
  const picked = styleOf && styleOf(f);
  const works = f.properties && f.properties.kind === 'roadworks';
  // Road works keep their dashed orange outline unless the screen marks
  // them as crossed or violated (restricting the chosen vehicle fills them red).
  if (works && (!picked || picked === 'zone' || picked === 'neutral' || picked === 'pending')) return 'roadworks';
  if (works && picked === 'restricts') return 'roadworksRestricts';
  return picked || 'zone';
}

// The legend of the zone styles, in a corner of the map.
function addLegend(map) {
  const legend = L.control({position: 'bottomleft'});
  legend.onAdd = () => h('div.map-legend', null,
    h('div', null, h('span.swatch.swatch-zone'), t('map_legendZone')),
    h('div', null, h('span.swatch.swatch-roadworks'), t('map_legendRoadworks')));
  legend.addTo(map);
}

// The live zones inside the map's view, reloaded after each pan or zoom
// that leaves the area loaded, from GET /v1/zones/outlines?bbox= (GeoJSON
// made by PostGIS): only the properties drawn and the version that tells
// an edited zone (fields=name,kind,version), each
// outline simplified within half a pixel at the zoom it is loaded for, so
// a zoom of more than one level in asks again. The view is drawn first,
// then a margin around it is added, so short pans need no request without
// the first drawing waiting for twice the zones; a longer pan at the same
// zoom adds the zones it brings to those drawn (refresh) rather than
// drawing them all again. Many zones are drawn on
// a canvas, a few as SVG paths (sharper, and each one an element).
// styleOf(feature) picks a style name; with labels, each zone's name stays
// on the map while few are in view. alongside(bbox), if given, is asked at
// the same time as the outlines of a box (e.g. which zones restrict a
// vehicle) and its answer handed to onLoad(features, bbox, answer) before
// they are drawn, so they are drawn with their colours.
const canvas = L.canvas({padding: 0.2});
const boxOf = b => L.latLngBounds([b[1], b[0]], [b[3], b[2]]); // [west, south, east, north]
const KEEP = 30000; // zones kept drawn across pans before the map is drawn anew
const halfPixel = zoom => Math.min(0.01, 180 / (256 * 2 ** zoom)); // degrees of longitude
export function zonesLayer(map, {styleOf, onLoad, labels, alongside} = {}) {
  const style = f => STYLE[styleName(f, styleOf)];
  addLegend(map);
  let group = L.layerGroup().addTo(map);
  let seq = 0;
  let drawn = 0; // bumped by each drawing: what an earlier answer covered may have changed
  let features = [];
  let loaded = null; // the area the drawn zones were loaded for
  let loadedZoom = 0;
  let filling = null; // {area, zoom, done}: the margin on its way
  const mark = v => { map.getContainer().dataset.loads = v; }; // for the tests and the benchmark
  // For the tests: the zones drawn, read through the map's element (a
  // canvas shows no element per zone), and data-filled bumped when a
  // margin has been added.
  map.getContainer().drawnZones = () => group.getLayers().map(l => ({id: l.feature.id, version: l.feature.properties.version}));
  const covers = (area, zoom, view) => area && area.contains(view) && map.getZoom() <= zoom + 1;
  async function fetchBox(area, zoom) {
    const clamp = (v, m) => Math.max(-m, Math.min(m, v));
    const bbox = [clamp(area.getWest(), 180), clamp(area.getSouth(), 90), clamp(area.getEast(), 180), clamp(area.getNorth(), 90)]
      .map(v => Number(v.toFixed(5)));
    const [fc, answer] = await Promise.all([
      api('GET', `/v1/zones/outlines?bbox=${bbox.join(',')}&fields=name,kind,version&tolerance=${halfPixel(zoom).toPrecision(2)}`,
        undefined, {accept: 'application/geo+json'}),
      alongside ? alongside(bbox) : null]);
    return {fc, bbox, answer};
  }
  function draw(fc) {
    const few = fc.features.length <= 30;
    const next = L.geoJSON(fc, {
      style,
      renderer: fc.features.length > 300 ? canvas : undefined,
      onEachFeature: labels && few
        ? (f, layer) => layer.bindTooltip(h('span', null, f.properties.name), {permanent: true, direction: 'center', className: 'zone-label'})
        : undefined,
    });
    // One tooltip for all, its text made when a zone is hovered (thousands
    // of tooltips made up front cost more than the drawing).
    if (!(labels && few)) next.bindTooltip(layer => h('div', null, layer.feature.properties.name), {sticky: true});
    group.remove();
    group = next.addTo(map);
    group.few = !!(labels && few);
    group.onCanvas = fc.features.length > 300;
  }
  // The zones of fc, loaded for box, into the drawn group: those new
  // added, those drawn inside box but no longer in it removed, those whose
  // version moved (edited meanwhile) drawn anew; the rest stay as drawn
  // (the same zoom, so the same simplification).
  function refresh(fc, box) {
    const now = new Map(fc.features.map(f => [f.id, f.properties.version]));
    const had = new Set();
    for (const layer of group.getLayers()) {
      const id = layer.feature.id;
      if (now.has(id) && now.get(id) === layer.feature.properties.version) had.add(id);
      else if (now.has(id) || box.intersects(layer.getBounds())) group.removeLayer(layer);
    }
    const added = fc.features.filter(f => !had.has(f.id));
    if (added.length) group.addData(added);
  }
  async function load(force) {
    const view = map.getBounds();
    const zoom = map.getZoom();
    if (!force && covers(loaded, loadedZoom, view)) return mark(`${seq}.${Date.now()}`); // a short pan: nothing to ask
    if (!force && filling && covers(filling.area, filling.zoom, view)) { // the margin is on its way
      await filling.done;
      return mark(`${seq}.${Date.now()}`);
    }
    const mine = ++seq;
    filling = null;
    const first = await fetchBox(view.pad(0.02), zoom);
    if (mine !== seq) return; // a later pan has taken over
    // A pan past the loaded area at the same zoom, with many zones: most of
    // the view is drawn already, so only the new zones are added and the
    // ones that left this box (retired meanwhile) taken away; drawing the
    // whole view anew cost most of such a pan.
    const extend = !force && group.onCanvas && zoom === loadedZoom && first.fc.features.length > 300 &&
      group.getLayers().length + first.fc.features.length <= KEEP;
    loaded = view.pad(0.02);
    loadedZoom = zoom;
    features = first.fc.features;
    if (onLoad) onLoad(features, first.bbox, first.answer);
    if (extend) refresh(first.fc, boxOf(first.bbox));
    else draw(first.fc);
    drawn++;
    mark(String(mine));
    // Then the margin: the zones not drawn yet are added (all drawn anew
    // only when their number changes how they are drawn).
    const area = view.pad(0.25);
    filling = {area, zoom, done: (async () => {
      const more = await fetchBox(area, zoom);
      if (mine !== seq) return;
      if (onLoad) onLoad(more.fc.features, more.bbox, more.answer);
      const total = more.fc.features.length;
      if (group.onCanvas || (total <= 300 && group.few === !!(labels && total <= 30))) {
        refresh(more.fc, boxOf(more.bbox)); // the drawn paths stay as they are
      } else draw(more.fc); // past 300 zones onto the canvas, or labels no longer fit

      features = more.fc.features;
      loaded = area;
      drawn++;
      filling = null;
      map.getContainer().dataset.filled = String(drawn);
    })().catch(() => { filling = null; })};
  }
  map.on('moveend', () => load(false).catch(() => {}));
  return {
    load: () => load(true),
    restyle() { group.setStyle && group.setStyle(style); },
    features: () => features,
    // Bumped by each drawing: an answer asked before it does not cover
    // the zones drawn since.
    drawn: () => drawn,
  };
}

export {L};
