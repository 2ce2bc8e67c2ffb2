// The site's projects (/site/projects): each with its level, how long it
// stays valid, where it is on the map, and the applications naming it
// (with their status, so the site sees what still waits for its
// endorsement).
import {all} from '../api.js';
import {h} from '../dom.js';
import {t, tv, addStrings} from '../i18n.js';
import {createMap, textTip, L} from '../map.js';
import {title, table, today} from '../ui.js';

addStrings({
  zh: {
    nav_siteProjects: '项目',
    projects_title: '本工地的项目', projects_none: '本单位还没有登记的重大项目（由交警登记）。',
    projects_level: '级别', projects_validTo: '有效期至', projects_state: '状态', projects_apps: '注明该项目的申请',
    projects_valid: '有效，还剩 {n} 天', projects_lastDay: '今天是最后一天', projects_expired: '已过期',
    projects_noApps: '还没有申请注明该项目。', projects_waiting: '{n} 件待背书', projects_appCount: '{n} 件申请',
    projects_lv_provincial: '省级', projects_lv_municipal: '市级',
  },
  en: {
    nav_siteProjects: 'Projects',
    projects_title: 'Your projects', projects_none: 'Your organisation has no major project yet (the traffic police register them).',
    projects_level: 'Level', projects_validTo: 'Valid to', projects_state: 'State', projects_apps: 'Applications naming it',
    projects_valid: 'valid, {n} days left', projects_lastDay: 'valid today, the last day', projects_expired: 'expired',
    projects_noApps: 'No application names this project yet.', projects_waiting: '{n} awaiting endorsement', projects_appCount: '{n} applications',
    projects_lv_provincial: 'provincial', projects_lv_municipal: 'municipal',
  },
});

// Days from today to date (both dates, YYYY-MM-DD).
const daysTo = date => Math.round((Date.parse(date) - Date.parse(today())) / 86400000);

function validity(p) {
  const n = daysTo(p.valid_to);
  if (n < 0) return h('span.badge.s-rejected', null, t('projects_expired'));
  return h('span.badge.s-approved', null, n === 0 ? t('projects_lastDay') : t('projects_valid', {n}));
}

export async function projects(main, s, go) {
  title(main, 'projects_title');
  const [items, apps] = await Promise.all([all('/v1/projects'), all('/v1/applications')]);
  if (!items.length) { main.append(h('p', null, t('projects_none'))); return; }
  const mapEl = h('div.map.small');
  const detail = h('div');
  const byProject = id => apps.filter(a => a.project_id === id);
  const rows = items.map(p => {
    const mine = byProject(p.id);
    const waiting = mine.filter(a => a.status === 'awaiting_endorsement').length;
    return h('tr', {'data-project': p.id}, h('td', null, p.name), h('td', null, tv('projects_lv', p.level)),
      h('td', null, p.valid_to), h('td', null, validity(p)),
      h('td', null, t('projects_appCount', {n: mine.length}), waiting ? [' · ', h('strong', null, t('projects_waiting', {n: waiting}))] : null));
  });
  main.append(h('div.split', null, h('div', null,
    table([t('project'), t('projects_level'), t('projects_validTo'), t('projects_state'), t('projects_apps')], rows)), mapEl), detail);
  // Under the table: each project's applications.
  for (const p of items) {
    const mine = byProject(p.id);
    detail.append(h('h2', null, `${p.name} · ${t('projects_apps')}`), mine.length ? table([t('type'), t('platesCol'), t('validity'), t('status'), ''],
      mine.map(a => h('tr', null, h('td', null, tv('type', a.type)), h('td', null, (a.plates || []).join(', ')),
        h('td', null, `${a.valid_from} – ${a.valid_to}`),
        h('td', null, h(`span.badge.s-${a.status}`, null, tv('status', a.status)), a.fast_track ? h('span.badge.fast', null, t('fastTrack')) : null),
        h('td', null, h('a', {href: `/applications/${a.id}`, onclick: e => { e.preventDefault(); go(`/applications/${a.id}`); }}, t('detail'))))))
      : h('p', null, t('projects_noApps')));
  }
  const map = await createMap(mapEl);
  const layer = L.geoJSON(null, {
    pointToLayer: (f, ll) => L.circleMarker(ll, {radius: 9, color: '#2b6cb0', fillOpacity: 0.8}),
    style: {color: '#2b6cb0', weight: 2, fillOpacity: 0.2},
    onEachFeature: (f, l) => textTip(l, f.properties.name),
  }).addTo(map);
  for (const p of items) if (p.location) layer.addData({type: 'Feature', geometry: p.location, properties: {name: p.name}});
  if (layer.getLayers().length) map.fitBounds(layer.getBounds(), {padding: [40, 40], maxZoom: 14});
}
