// The console's shell: the bar (title, the role's screens, language,
// sign-out) and a small router over history.pushState, so each screen has
// its own path (/haulier/fleet…), which the server answers with this page.
import {api, session, setSession, whenExpired} from './api.js';
import {h, clear} from './dom.js';
import {t, tv, currentLang, setLang, addStrings} from './i18n.js';
import * as s from './screens.js';
// The officer's own screens (issue 14), one module each.
import {zonesEdit} from './screens/zones.js';
import {calendar} from './screens/calendar.js';
import {sightings} from './screens/sightings.js';
import {escorts} from './screens/escorts.js';
import {audit} from './screens/audit.js';
import {amend} from './screens/amend.js';
// The site's, the haulier's and the admin's further screens (issue 14).
import {escorts as siteEscorts} from './screens/site_escorts.js';
import {zonesByVehicle} from './screens/zonetime.js';
import {applications} from './screens/apply.js';
import {projects} from './screens/projects.js';
import {orgs} from './screens/orgs.js';
import {verify} from './screens/verify.js';

// Screens by path, and which roles see them in the bar (hidden: reached by
// a link from another screen only, e.g. amending a pass from the passes list).
const SCREENS = [
  {path: '/haulier/fleet', key: 'nav_fleet', roles: ['haulier', 'site'], run: s.fleet},
  {path: '/haulier/trip', key: 'nav_trip', roles: ['haulier', 'site', 'officer', 'admin'], run: s.trip},
  {path: '/applications', key: 'nav_applications', roles: ['haulier', 'site'], run: applications},
  {path: '/site/endorse', key: 'nav_endorse', roles: ['site'], run: s.endorse},
  {path: '/officer/queue', key: 'nav_queue', roles: ['officer', 'admin'], run: s.queue},
  {path: '/passes', key: 'nav_passes', roles: ['haulier', 'site', 'officer', 'admin'], run: s.passes},
  {path: '/zones', key: 'nav_zones', roles: ['haulier', 'site', 'officer', 'admin'], run: zonesByVehicle},
  {path: '/admin/users', key: 'nav_users', roles: ['admin'], run: s.users},
  {path: '/site/escorts', key: 'nav_siteEscorts', roles: ['site'], run: siteEscorts},
  {path: '/site/projects', key: 'nav_siteProjects', roles: ['site'], run: projects},
  {path: '/admin/orgs', key: 'nav_adminOrgs', roles: ['admin'], run: orgs},
  {path: '/verify', key: 'verify_nav', roles: ['officer', 'admin'], run: verify},
  {path: '/me/password', key: 'nav_password', roles: ['haulier', 'site', 'officer', 'admin'], run: s.password},
  {path: '/officer/zones', key: 'nav_zonesEdit', roles: ['officer', 'admin'], run: zonesEdit},
  {path: '/officer/calendar', key: 'nav_calendar', roles: ['officer', 'admin'], run: calendar},
  {path: '/officer/sightings', key: 'nav_sightings', roles: ['officer', 'admin'], run: sightings},
  {path: '/officer/escorts', key: 'nav_escorts', roles: ['officer', 'admin'], run: escorts},
  {path: '/officer/audit', key: 'nav_audit', roles: ['officer', 'admin'], run: audit},
  {path: '/passes/amend', key: 'amend_nav', roles: ['haulier', 'site', 'officer', 'admin'], run: amend, hidden: true},
];
// Screens anyone may open without signing in (a roadside check).
const PUBLIC = {'/verify': verify};
const HOME = {haulier: '/haulier/fleet', site: '/site/endorse', officer: '/officer/queue', admin: '/officer/queue'};

// The bar keeps one line on a laptop (1280 px): the screens of everyday
// work stay in it, these go into its "more" menu.
const MORE = new Set(['/verify', '/me/password', '/officer/calendar', '/officer/sightings', '/officer/escorts',
  '/officer/audit', '/admin/orgs']);
addStrings({zh: {nav_more: '更多', nav_moreLabel: '更多页面'}, en: {nav_more: 'More', nav_moreLabel: 'More screens'}});

const bar = document.getElementById('bar');
const main = document.getElementById('main');
let notice = null; // shown once on the sign-in screen

function go(path, replace = false) {
  if (replace) history.replaceState(null, '', path);
  else history.pushState(null, '', path);
  render();
}

function drawBar(sess) {
  clear(bar);
  const lang = h('button.lang', {type: 'button', 'aria-label': t('languageLabel'),
    onclick: () => { setLang(currentLang() === 'zh' ? 'en' : 'zh'); render(); }}, t('language'));
  const brand = h('span.brand', null, t('app'));
  if (!sess) { bar.append(brand, h('span.spacer'), lang); return; }
  const here = location.pathname;
  const mine = SCREENS.filter(x => x.roles.includes(sess.user.role) && !x.hidden);
  const link = x => h('a', {href: x.path, 'aria-current': here === x.path ? 'page' : null,
    onclick: e => { e.preventDefault(); go(x.path); }}, t(x.key));
  const more = mine.filter(x => MORE.has(x.path));
  // A native disclosure: keyboard-usable as it is; Escape or a click
  // elsewhere closes it (closeMenus below).
  const menu = more.length ? h('details.more', null,
    h('summary', {'aria-label': t('nav_moreLabel'), 'data-current': more.some(x => x.path === here) ? 'true' : null}, t('nav_more')),
    h('div.menu', null, more.map(link))) : null;
  const nav = h('nav', {'aria-label': t('app')}, mine.filter(x => !MORE.has(x.path)).map(link), menu);
  const out = h('button.secondary', {type: 'button', onclick: async () => {
    try { await api('DELETE', '/v1/sessions/current'); } catch { /* ended already */ }
    setSession(null);
    go('/', true);
  }}, t('signOut'));
  bar.append(brand, nav, h('span.spacer'),
    h('span.who', null, t('signedInAs', {name: sess.user.name, role: tv('role', sess.user.role)})), lang, out);
}

let renders = 0; // a screen still loading when the user moves on must not mark itself ready
async function render() {
  const mine = ++renders;
  const sess = session();
  delete main.dataset.ready; // set again once the screen is drawn (the tests wait for it)
  drawBar(sess);
  clear(main);
  if (!sess && PUBLIC[location.pathname]) {
    await PUBLIC[location.pathname](main, null, go);
    main.dataset.ready = location.pathname;
    return;
  }
  if (!sess) {
    if (notice) { main.append(h('p.msg.error', {role: 'alert'}, notice)); notice = null; }
    s.signIn(main, () => go(HOME[session().user.role] || '/zones', true));
    main.dataset.ready = 'sign-in';
    return;
  }
  const path = location.pathname;
  if (path === '/') return go(HOME[sess.user.role] || '/zones', true);
  const m = path.match(/^\/applications\/([0-9a-fA-F-]{36})$/);
  const screen = SCREENS.find(x => x.path === path);
  try {
    if (m) await s.applicationDetail(main, sess, go, m[1]);
    else if (screen && screen.roles.includes(sess.user.role)) await screen.run(main, sess, go);
    else if (PUBLIC[path]) await PUBLIC[path](main, sess, go);
    else main.append(h('h1', null, t('notFoundPage')));
  } catch (err) {
    main.append(h('p.msg.error', {role: 'alert'}, (err.problem && err.problem.detail) || err.message || t('error')));
  }
  if (mine !== renders) return; // a later screen has taken over
  // Focus moves to the new screen, unless the user is already in it.
  if (!main.contains(document.activeElement)) main.focus({preventScroll: true});
  main.dataset.ready = path;
}

// The bar's "more" menu closes on Escape and on a click outside it.
const closeMenus = e => {
  for (const d of bar.querySelectorAll('details.more[open]')) {
    if (e.type === 'keydown' ? e.key === 'Escape' : !d.contains(e.target)) {
      d.open = false;
      if (e.type === 'keydown') d.querySelector('summary').focus();
    }
  }
};
document.addEventListener('click', closeMenus);
document.addEventListener('keydown', closeMenus);

whenExpired(() => { notice = t('sessionExpired'); history.replaceState(null, '', '/'); render(); });
window.addEventListener('popstate', render);
render();
