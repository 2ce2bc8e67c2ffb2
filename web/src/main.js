// The console's shell: the bar (title, the role's screens, language,
// sign-out) and a small router over history.pushState, so each screen has
// its own path (/haulier/fleet…), which the server answers with this page.
import {api, session, setSession, whenExpired} from './api.js';
import {h, clear} from './dom.js';
import {t, tv, currentLang, setLang} from './i18n.js';
import * as s from './screens.js';
import {verify} from './screens/verify.js';

// Screens by path, and which roles see them in the bar.
const SCREENS = [
  {path: '/haulier/fleet', key: 'nav_fleet', roles: ['haulier', 'site'], run: s.fleet},
  {path: '/haulier/trip', key: 'nav_trip', roles: ['haulier', 'site', 'officer', 'admin'], run: s.trip},
  {path: '/applications', key: 'nav_applications', roles: ['haulier', 'site'], run: s.applications},
  {path: '/site/endorse', key: 'nav_endorse', roles: ['site'], run: s.endorse},
  {path: '/officer/queue', key: 'nav_queue', roles: ['officer', 'admin'], run: s.queue},
  {path: '/passes', key: 'nav_passes', roles: ['haulier', 'site', 'officer', 'admin'], run: s.passes},
  {path: '/zones', key: 'nav_zones', roles: ['haulier', 'site', 'officer', 'admin'], run: s.zonesMap},
  {path: '/admin/users', key: 'nav_users', roles: ['admin'], run: s.users},
  {path: '/verify', key: 'verify_nav', roles: ['officer', 'admin'], run: verify},
  {path: '/me/password', key: 'nav_password', roles: ['haulier', 'site', 'officer', 'admin'], run: s.password},
];
// Screens anyone may open without signing in (a roadside check).
const PUBLIC = {'/verify': verify};
const HOME = {haulier: '/haulier/fleet', site: '/site/endorse', officer: '/officer/queue', admin: '/officer/queue'};

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
  const nav = h('nav', {'aria-label': t('app')}, SCREENS.filter(x => x.roles.includes(sess.user.role)).map(x =>
    h('a', {href: x.path, 'aria-current': here === x.path ? 'page' : null,
      onclick: e => { e.preventDefault(); go(x.path); }}, t(x.key))));
  const out = h('button.secondary', {type: 'button', onclick: async () => {
    try { await api('DELETE', '/v1/sessions/current'); } catch { /* ended already */ }
    setSession(null);
    go('/', true);
  }}, t('signOut'));
  bar.append(brand, nav, h('span.spacer'),
    h('span.who', null, t('signedInAs', {name: sess.user.name, role: tv('role', sess.user.role)})), lang, out);
}

async function render() {
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
  // Focus moves to the new screen, unless the user is already in it.
  if (!main.contains(document.activeElement)) main.focus({preventScroll: true});
  main.dataset.ready = path;
}

whenExpired(() => { notice = t('sessionExpired'); history.replaceState(null, '', '/'); render(); });
window.addEventListener('popstate', render);
render();
