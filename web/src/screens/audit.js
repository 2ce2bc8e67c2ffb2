// The audit trail of any item (GET /v1/audit?entity=&id=): who did what,
// when, and what changed, field by field. Other screens link here with
// /officer/audit?entity=zone&id=… .
import {all} from '../api.js';
import {h, clear, field} from '../dom.js';
import {t, addStrings} from '../i18n.js';
import {sayError, title, table, when} from '../ui.js';

addStrings({
  zh: {
    nav_audit: '操作记录', audit_title: '操作记录', audit_entity: '对象类别', audit_id: '编号（通行码、车牌或 ID）',
    audit_show: '查看', audit_action: '操作', audit_changes: '改动', audit_none: '没有这件事项的记录。',
    audit_cli: '命令行', audit_help: '选择对象类别并输入编号。从申请、通行证、限行区等页面的“操作记录”链接进来时会自动填写。',
    audit_count: '共 {n} 条记录', audit_removed: '（删除）', audit_empty: '（空）',
    audit_e_zone: '限行区', audit_e_application: '申请', audit_e_pass: '通行证', audit_e_escort: '护送预约',
    audit_e_escort_unit: '护送单元', audit_e_vehicle: '车辆', audit_e_project: '项目', audit_e_user: '用户', audit_e_org: '单位',
    audit_e_calendar: '节假日日历', audit_shape: '（范围，{n} 个坐标点）',
    audit_a_create: '新建', audit_a_update: '修改', audit_a_retire: '停用', audit_a_revoke: '吊销', audit_a_decide: '作出决定',
    audit_a_claim: '领取审核', audit_a_endorse: '项目背书', audit_a_withdraw: '撤回', audit_a_replace: '整年替换',
    audit_a_confirm: '确认', audit_a_complete: '完成', audit_a_cancel: '取消', audit_a_issue: '签发', audit_a_activate: '生效',
    audit_a_expire: '过期', audit_a_suspend: '暂停', 'audit_a_supply-document': '补交材料',
  },
  en: {
    nav_audit: 'Audit trail', audit_title: 'Audit trail', audit_entity: 'Kind of item', audit_id: 'Its id (pass code, plate or id)',
    audit_show: 'Show', audit_action: 'Action', audit_changes: 'What changed', audit_none: 'Nothing is recorded for this item.',
    audit_cli: 'command line', audit_help: 'Pick the kind of item and type its id. The “Audit trail” links of the application, pass and zone screens fill these in.',
    audit_count: '{n} entries', audit_removed: '(removed)', audit_empty: '(empty)',
    audit_e_zone: 'zone', audit_e_application: 'application', audit_e_pass: 'pass', audit_e_escort: 'escort booking',
    audit_e_escort_unit: 'escort unit', audit_e_vehicle: 'vehicle', audit_e_project: 'project', audit_e_user: 'user', audit_e_org: 'organisation',
    audit_e_calendar: 'holiday calendar', audit_shape: '(outline, {n} positions)',
    audit_a_create: 'created', audit_a_update: 'changed', audit_a_retire: 'retired', audit_a_revoke: 'revoked', audit_a_decide: 'decided',
    audit_a_claim: 'claimed for review', audit_a_endorse: 'endorsed', audit_a_withdraw: 'withdrawn', audit_a_replace: 'year replaced',
    audit_a_confirm: 'confirmed', audit_a_complete: 'completed', audit_a_cancel: 'cancelled', audit_a_issue: 'issued', audit_a_activate: 'activated',
    audit_a_expire: 'expired', audit_a_suspend: 'suspended', 'audit_a_supply-document': 'document supplied',
  },
});

const ENTITIES = ['zone', 'application', 'pass', 'escort', 'escort_unit', 'vehicle', 'project', 'user', 'org', 'calendar'];
const SKIP = new Set(['updated_at', 'version']); // change with every write: noise

// A geometry is thousands of numbers: its size says enough here.
const positions = g => JSON.stringify(g.coordinates).split('],[').length;
const short = v => {
  if (v === undefined) return t('audit_removed');
  if (v === null) return t('audit_empty'); // a field with no value, not the word null
  if (v && typeof v === 'object' && typeof v.type === 'string' && Array.isArray(v.coordinates)) return t('audit_shape', {n: positions(v)});
  // An instant as the database wrote it, to the second, in the city's time.
  if (typeof v === 'string' && /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d/.test(v)) return `${v.slice(0, 10)} ${v.slice(11, 19)}`;
  const s = typeof v === 'string' ? v : JSON.stringify(v);
  return s.length > 90 ? `${s.slice(0, 87)}…` : s;
};

// The fields that differ between before and after, as [key, before, after].
export function changes(before, after) {
  const b = before && typeof before === 'object' ? before : {};
  const a = after && typeof after === 'object' ? after : {};
  const keys = [...new Set([...Object.keys(b), ...Object.keys(a)])].filter(k => !SKIP.has(k));
  // A field absent on one side and null on the other did not change: a
  // column added since the older snapshot was written is absent there.
  return keys.filter(k => JSON.stringify(b[k] ?? null) !== JSON.stringify(a[k] ?? null))
    .map(k => [k, b[k], a[k]]);
}

export async function audit(main) {
  title(main, 'audit_title');
  const params = new URLSearchParams(location.search);
  const entity = h('select', {name: 'entity'}, ENTITIES.map(e => h('option', {value: e}, t(`audit_e_${e}`))));
  if (ENTITIES.includes(params.get('entity'))) entity.value = params.get('entity');
  const id = h('input', {name: 'id', maxlength: 100, required: true, value: params.get('id') || '', size: 40});
  const msg = h('div.msg');
  const out = h('div');
  async function show() {
    clear(msg); msg.className = 'msg';
    const v = id.value.trim();
    if (!v) return;
    const q = `entity=${encodeURIComponent(entity.value)}&id=${encodeURIComponent(v)}`;
    if (location.search !== `?${q}`) history.replaceState(null, '', `/officer/audit?${q}`);
    const items = await all(`/v1/audit?${q}`, 1000);
    clear(out).append(h('h2', null, `${t(`audit_e_${entity.value}`)} ${v} · ${t('audit_count', {n: items.length})}`),
      items.length ? table([t('at'), t('actor'), t('audit_action'), t('audit_changes')], items.map(e => h('tr', null,
        h('td', null, when(e.at)), h('td', null, e.actor ? e.actor.name : t('audit_cli')), h('td', {'data-action': e.action}, t(`audit_a_${e.action}`) === `audit_a_${e.action}` ? e.action : t(`audit_a_${e.action}`)),
        h('td', null,
          h('ul.changes', null, changes(e.before, e.after).map(([k, b, a]) => h('li', null, h('code', null, k), ': ',
            e.before == null ? null : [h('del', null, short(b)), ' → '], h('ins', null, short(a)))))))))
        : h('p', null, t('audit_none')));
  }
  main.append(h('p.help', null, t('audit_help')),
    h('form.card', {onsubmit: e => { e.preventDefault(); show().catch(err => sayError(msg, err)); }},
      h('div.row', null, field(t('audit_entity'), entity), field(t('audit_id'), id), h('button', {type: 'submit'}, t('audit_show')))),
    msg, out);
  await show().catch(err => sayError(msg, err));
}
