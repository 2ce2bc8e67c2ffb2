// The administrator's organisations and users (/admin/orgs): the
// organisations, a new one; the users of the one picked, and for each a
// new password (which ends their sessions) or a new machine token (shown
// once: the old one stops at once).
import {api, all} from '../api.js';
import {h, clear, field} from '../dom.js';
import {t, tv, addStrings} from '../i18n.js';
import {say, sayError, title, table, when} from '../ui.js';

addStrings({
  zh: {
    nav_adminOrgs: '单位',
    orgs_title: '单位和用户', orgs_create: '新建单位', orgs_name: '单位名称', orgs_kind: '类型', orgs_created: '已新建单位 {name}。',
    orgs_users: '用户', orgs_role: '角色', orgs_pick: '查看用户', orgs_usersOf: '{org} 的用户', orgs_noUsers: '该单位还没有用户。',
    orgs_since: '创建于', orgs_newPassword: '新密码', orgs_setPassword: '重置密码', orgs_passwordSet: '已重置 {name} 的密码，其已登录的会话全部失效。',
    orgs_rotate: '更换接口令牌', orgs_rotated: '{name} 的新接口令牌（只显示这一次，旧令牌已失效）：', orgs_needPassword: '请先填写至少 10 个字符的新密码。',
    orgs_kind_police: '交警', orgs_kind_haulier: '运输企业', orgs_kind_site: '项目工地',
  },
  en: {
    nav_adminOrgs: 'Organisations',
    orgs_title: 'Organisations and users', orgs_create: 'New organisation', orgs_name: 'Name', orgs_kind: 'Kind', orgs_created: 'Created organisation {name}.',
    orgs_users: 'Users', orgs_role: 'Role', orgs_pick: 'Show users', orgs_usersOf: 'Users of {org}', orgs_noUsers: 'This organisation has no user yet.',
    orgs_since: 'Created', orgs_newPassword: 'New password', orgs_setPassword: 'Reset password', orgs_passwordSet: 'The password of {name} is reset; their open sessions have ended.',
    orgs_rotate: 'Rotate machine token', orgs_rotated: 'The new machine token of {name} (shown this once; the old one no longer works):', orgs_needPassword: 'Write a new password of 10 characters at least first.',
    orgs_kind_police: 'police', orgs_kind_haulier: 'haulier', orgs_kind_site: 'project site',
  },
});

export async function orgs(main) {
  title(main, 'orgs_title');
  const msg = h('div.msg');
  const list = h('div');
  const people = h('div');
  const name = h('input', {name: 'org_name', required: true, maxlength: 200});
  const kind = h('select', {name: 'org_kind'}, ['haulier', 'site', 'police'].map(k => h('option', {value: k}, tv('orgs_kind', k))));
  const form = h('form.card', {onsubmit: async e => {
    e.preventDefault();
    try {
      const o = await api('POST', '/v1/orgs', {name: name.value, kind: kind.value});
      say(msg, 'ok', t('orgs_created', {name: o.name}));
      name.value = '';
      await refresh();
      await showUsers(o);
    } catch (err) { sayError(msg, err); }
  }}, h('h2', null, t('orgs_create')), h('div.row', null, field(t('orgs_name'), name), field(t('orgs_kind'), kind),
    h('button', {type: 'submit'}, t('orgs_create'))), msg);

  async function refresh() {
    const items = await all('/v1/orgs');
    clear(list).append(table([t('orgs_name'), t('orgs_kind'), t('orgs_since'), ''], items.map(o =>
      h('tr', {'data-org': o.id}, h('td', null, o.name), h('td', null, tv('orgs_kind', o.kind)), h('td', null, when(o.created_at)),
        h('td', null, h('button.secondary', {type: 'button', 'aria-label': `${t('orgs_pick')}: ${o.name}`, onclick: () => showUsers(o).catch(err => sayError(msg, err))}, t('orgs_pick')))))));
  }

  async function showUsers(o) {
    const umsg = h('div.msg');
    const users = await all(`/v1/users?org_id=${encodeURIComponent(o.id)}`);
    clear(people).append(h('h2', null, t('orgs_usersOf', {org: o.name})), umsg, users.length ? table(
      [t('name'), t('orgs_role'), t('orgs_since'), t('orgs_newPassword'), ''], users.map(u => {
        const pw = h('input', {type: 'password', name: `password_${u.name}`, autocomplete: 'new-password', minlength: 10,
          'aria-label': `${t('orgs_newPassword')}: ${u.name}`});
        return h('tr', {'data-user': u.name}, h('td', null, u.name), h('td', null, tv('role', u.role)), h('td', null, when(u.created_at)),
          h('td', null, pw),
          h('td', null, h('div.row', null,
            h('button', {type: 'button', 'data-action': 'password', onclick: async () => {
              if (pw.value.length < 10) { say(umsg, 'error', t('orgs_needPassword')); pw.focus(); return; }
              try {
                await api('POST', `/v1/users/${u.id}/password`, {password: pw.value});
                pw.value = '';
                say(umsg, 'ok', t('orgs_passwordSet', {name: u.name}));
              } catch (err) { sayError(umsg, err); }
            }}, t('orgs_setPassword')),
            h('button.secondary', {type: 'button', 'data-action': 'token', onclick: async () => {
              try {
                const r = await api('POST', `/v1/users/${u.id}/token`);
                say(umsg, 'ok', t('orgs_rotated', {name: u.name}));
                umsg.append(h('p', null, h('code.token', null, r.token)));
              } catch (err) { sayError(umsg, err); }
            }}, t('orgs_rotate')))));
      })) : h('p', null, t('orgs_noUsers')));
    people.querySelector('h2').scrollIntoView({block: 'nearest'});
  }
  main.append(form, list, people);
  await refresh();
}
