// Amending a pass (docs/contract.md §13), reached from the passes list
// (/passes/amend?code=…): the holder asks for a change, which goes to the
// queue as an amendment; an officer's change is made at once. Below, the
// pass's revisions: who changed what, and why.
import {api} from '../api.js';
import {h, clear, field} from '../dom.js';
import {addStrings, t, tv} from '../i18n.js';
import {say, sayError, title, table, when} from '../ui.js';

addStrings({
  zh: {
    amend_nav: '变更通行证', amend_title: '变更通行证', amend_code: '通行码',
    amend_plate: '换用车牌（不换则留空）', amend_valid_to: '延期至（不延期则留空）',
    amend_hours: '新的通行时段（不变则留空）', amend_reason: '变更原因',
    amend_submit: '提交变更', amend_show: '查看',
    amend_filed: '变更申请已提交，进入审核队列，截止 {due}。',
    amend_done: '通行证已变更为第 {revision} 版，旧版作废。',
    amend_revisions: '版本记录', amend_revision: '版本', amend_plate_col: '车牌',
    amend_validity: '有效期', amend_status: '状态', amend_changes: '变更内容',
    amend_reason_col: '原因', amend_since: '生效', amend_superseded: '已变更',
    amend_need_code: '请填写通行码。', amend_need_reason: '请填写变更原因。',
    amend_field_plate: '车牌', amend_field_zone_ids: '区域', amend_field_corridor: '通行走廊',
    amend_field_valid_from: '起始日期', amend_field_valid_to: '截止日期', amend_field_hours: '通行时段',
  },
  en: {
    amend_nav: 'Amend a pass', amend_title: 'Amend a pass', amend_code: 'Pass code',
    amend_plate: 'Swap to plate (blank: no change)', amend_valid_to: 'Extend until (blank: no change)',
    amend_hours: 'New hours (blank: no change)', amend_reason: 'Reason for the change',
    amend_submit: 'Ask for the change', amend_show: 'Show',
    amend_filed: 'The amendment is filed and waits in the review queue, due {due}.',
    amend_done: 'The pass is now revision {revision}; the one before is superseded.',
    amend_revisions: 'Revisions', amend_revision: 'Revision', amend_plate_col: 'Plate',
    amend_validity: 'Validity', amend_status: 'Status', amend_changes: 'Changed',
    amend_reason_col: 'Reason', amend_since: 'In force from', amend_superseded: 'superseded',
    amend_need_code: 'Enter the pass code.', amend_need_reason: 'Give the reason for the change.',
    amend_field_plate: 'plate', amend_field_zone_ids: 'zones', amend_field_corridor: 'corridor',
    amend_field_valid_from: 'first day', amend_field_valid_to: 'last day', amend_field_hours: 'hours',
  },
});

export async function amend(main) {
  title(main, 'amend_title');
  const code = h('input', {name: 'code', maxlength: 32, value: new URLSearchParams(location.search).get('code') || ''});
  const plate = h('input', {name: 'plate', maxlength: 20});
  const validTo = h('input', {name: 'valid_to', type: 'date'});
  const hours = h('input', {name: 'hours', maxlength: 200, placeholder: 'Mo-Fr 07:00-19:00'});
  const reason = h('input', {name: 'reason', maxlength: 500});
  const msg = h('div.msg');
  const revisions = h('div');

  async function showRevisions() {
    const c = code.value.trim();
    if (!c) return;
    const r = await api('GET', `/v1/passes/${encodeURIComponent(c)}/revisions`);
    clear(revisions).append(h('h2', null, t('amend_revisions')), table(
      [t('amend_revision'), t('amend_plate_col'), t('amend_validity'), t('amend_status'), t('amend_since'), t('amend_changes'), t('amend_reason_col')],
      r.items.map(v => h(`tr${v.status === 'superseded' ? '.old' : ''}`, null,
        h('td', null, String(v.revision)), h('td', null, v.plate), h('td', null, `${v.valid_from} – ${v.valid_to}`),
        h('td', null, v.status === 'superseded' ? t('amend_superseded') : tv('pstatus', v.status)),
        h('td', null, when(v.started_at)), h('td', null, (v.changes || []).map(c => t(`amend_field_${c}`)).join(', ')), h('td', null, v.reason || '—')))));
  }

  async function submit(e) {
    e.preventDefault();
    clear(msg); msg.className = 'msg';
    if (!code.value.trim()) { say(msg, 'error', t('amend_need_code')); code.focus(); return; }
    if (!reason.value.trim()) { say(msg, 'error', t('amend_need_reason')); reason.focus(); return; }
    const body = {reason: reason.value.trim()};
    if (plate.value.trim()) body.plate = plate.value.trim();
    if (validTo.value) body.valid_to = validTo.value;
    if (hours.value.trim()) body.hours = hours.value.trim();
    try {
      const r = await api('POST', `/v1/passes/${encodeURIComponent(code.value.trim())}/amendments`, body);
      say(msg, 'ok', r.kind === 'amendment' ? t('amend_filed', {due: when(r.due_at)}) : t('amend_done', {revision: r.revision}));
      await showRevisions();
    } catch (err) { sayError(msg, err); }
  }

  const show = h('button.secondary', {type: 'button', onclick: async () => {
    clear(msg); msg.className = 'msg';
    try { await showRevisions(); } catch (err) { sayError(msg, err); }
  }}, t('amend_show'));
  main.append(h('form.card', {onsubmit: submit},
    h('div.row', null, field(t('amend_code'), code), show),
    h('div.row', null, field(t('amend_plate'), plate), field(t('amend_valid_to'), validTo), field(t('amend_hours'), hours)),
    h('div.row', null, field(t('amend_reason'), reason), h('button', {type: 'submit'}, t('amend_submit'))),
    msg), revisions);
  if (code.value) {
    try { await showRevisions(); } catch (err) { sayError(msg, err); }
  }
}
