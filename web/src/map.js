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
  if (works && (!picked || picked === 'zone' || picked === 'neutral')) return 'roadworks';
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
// from GET /v1/zones/outlines?bbox= (GeoJSON made by PostGIS). Many zones
// are drawn on a canvas, a few as SVG paths (sharper, and each one an
// element). styleOf(feature) picks a style name; onLoad(features) is told;
// with labels, each zone's name stays on the map while few are in view.
const canvas = L.canvas({padding: 0.2});
export function zonesLayer(map, {styleOf, onLoad, labels} = {}) {
  const style = f => STYLE[styleName(f, styleOf)];
  addLegend(map);
  let group = L.layerGroup().addTo(map);
  let seq = 0;
  let features = [];
  let loaded = null; // the area the drawn zones were loaded for
  async function load(force) {
    const view = map.getBounds();
    if (!force && loaded && loaded.contains(view)) { // a short pan: nothing new to ask
      map.getContainer().dataset.loads = `${seq}.${Date.now()}`;
      return;
    }
    const b = view.pad(0.25); // a margin, so short pans need no request
    const area = b;
    const clamp = (v, m) => Math.max(-m, Math.min(m, v));
    const bbox = [clamp(b.getWest(), 180), clamp(b.getSouth(), 90), clamp(b.getEast(), 180), clamp(b.getNorth(), 90)]
      .map(v => v.toFixed(5)).join(',');
    const mine = ++seq;
    const fc = await api('GET', `/v1/zones/outlines?bbox=${bbox}`, undefined, {accept: 'application/geo+json'});
    if (mine !== seq) return; // a later pan has taken over
    loaded = area;
    features = fc.features;
    const few = features.length <= 30;
    const next = L.geoJSON(fc, {
      style,
      renderer: features.length > 300 ? canvas : undefined,
      onEachFeature: (f, layer) => {
        if (labels && few) layer.bindTooltip(h('span', null, f.properties.name), {permanent: true, direction: 'center', className: 'zone-label'});
        else textTip(layer, f.properties.name);
      },
    });
    group.remove();
    group = next.addTo(map);
    if (onLoad) onLoad(features);
    map.getContainer().dataset.loads = String(mine); // for the tests and the benchmark
  }
  map.on('moveend', () => load(false).catch(() => {}));
  return {
    load: () => load(true),
    restyle() { group.setStyle && group.setStyle(style); },
    features: () => features,
  };
}

export {L};
