// Escort units and one unit's day (GET /v1/escort-units/{id}/schedule): its
// duty periods and its bookings as bars on a 24-hour line, and the same
// bookings as a table with what the police do with them (confirm a
// scheduled one, mark a confirmed one done once it has started).
// The bars are placed with element.style (CSSOM), which the strict CSP
// allows; a style="" attribute would not be.
import {api, all} from '../api.js';
import {h, clear, field} from '../dom.js';
import {t, addStrings} from '../i18n.js';
import {say, sayError, title, table, today} from '../ui.js';

addStrings({
  zh: {
    nav_escorts: '护送警力', escorts_title: '护送警力与日程', escorts_units: '护送单元', escorts_unit: '护送单元',
    escorts_date: '日期', escorts_show: '查看日程', escorts_base: '驻地', escorts_hours: '值勤时间', escorts_capacity: '最多带车',
    escorts_day: '{unit} · {date} 的日程', escorts_onDuty: '值勤', escorts_noBookings: '这一天没有预约。',
    escorts_noUnits: '还没有护送单元。', escorts_time: '时间', escorts_project: '项目', escorts_route: '路线检查',
    escorts_routeOk: '路线允许', escorts_routeBad: '路线有违规', escorts_routeUnknown: '未检查',
    escorts_confirm: '确认', escorts_complete: '标记完成', escorts_confirmed: '已确认预约。', escorts_completed: '已标记完成。',
    escorts_st_scheduled: '待确认', escorts_st_confirmed: '已确认', escorts_st_cancelled: '已取消', escorts_st_completed: '已完成',
    escorts_timeline: '{unit} 在 {date} 的时间轴：灰色为值勤时段，色块为预约', escorts_vehicles: '{n} 辆', escorts_audit: '记录', escorts_notYet: '{at} 开始后可标记完成',
  },
  en: {
    nav_escorts: 'Escorts', escorts_title: 'Escort units and their days', escorts_units: 'Escort units', escorts_unit: 'Escort unit',
    escorts_date: 'Date', escorts_show: 'Show the day', escorts_base: 'Base', escorts_hours: 'Duty hours', escorts_capacity: 'Vehicles at most',
    escorts_day: '{unit} · {date}', escorts_onDuty: 'On duty', escorts_noBookings: 'No booking this day.',
    escorts_noUnits: 'No escort unit yet.', escorts_time: 'Time', escorts_project: 'Project', escorts_route: 'Route check',
    escorts_routeOk: 'route allowed', escorts_routeBad: 'route breaks rules', escorts_routeUnknown: 'not checked',
    escorts_confirm: 'Confirm', escorts_complete: 'Mark done', escorts_confirmed: 'Booking confirmed.', escorts_completed: 'Marked done.',
    escorts_st_scheduled: 'to confirm', escorts_st_confirmed: 'confirmed', escorts_st_cancelled: 'cancelled', escorts_st_completed: 'done',
    escorts_timeline: 'Timeline of {unit} on {date}: grey is on duty, coloured blocks are bookings', escorts_vehicles: '{n} vehicles', escorts_audit: 'Audit', escorts_notYet: 'can be marked done from {at}',
  },
});

// Minutes into the local day `date` of an instant the server wrote in the
// city's offset ("2026-12-02T08:30:00+08:00"), clamped to the day.
export function minuteOf(s, date) {
  const d = s.slice(0, 10);
  if (d < date) return 0;
  if (d > date) return 1440;
  return Number(s.slice(11, 13)) * 60 + Number(s.slice(14, 16));
}
const hhmm = s => s.slice(11, 16);

export async function escorts(main, sess, go) {
  title(main, 'escorts_title');
  const msg = h('div.msg');
  const units = await all('/v1/escort-units');
  const projects = Object.fromEntries((await all('/v1/projects').catch(() => [])).map(p => [p.id, p.name]));
  if (!units.length) { main.append(h('p', null, t('escorts_noUnits'))); return; }
  const unit = h('select', {name: 'unit'}, units.map(u => h('option', {value: u.id}, u.name)));
  const date = h('input', {name: 'date', type: 'date', value: today(), required: true});
  const day = h('div');
  const form = h('form.card', {onsubmit: e => { e.preventDefault(); show().catch(err => sayError(msg, err)); }},
    h('div.row', null, field(t('escorts_unit'), unit), field(t('escorts_date'), date), h('button', {type: 'submit'}, t('escorts_show'))));
  main.append(h('h2', null, t('escorts_units')),
    table([t('escorts_unit'), t('escorts_base'), t('escorts_hours'), t('escorts_capacity')], units.map(u => h('tr', null,
      h('td', null, h('button.link', {type: 'button', onclick: () => { unit.value = u.id; show().catch(err => sayError(msg, err)); }}, u.name)),
      h('td', null, u.base.coordinates.map(x => x.toFixed(4)).join(', ')), h('td', null, h('code', null, u.hours)), h('td.num', null, u.capacity)))),
    form, msg, day);

  async function act(b, what) {
    try {
      await api('POST', `/v1/escorts/${b.id}/${what}`);
      await show();
      say(msg, 'ok', t(what === 'confirm' ? 'escorts_confirmed' : 'escorts_completed'));
    } catch (err) { sayError(msg, err); }
  }

  async function show() {
    clear(msg); msg.className = 'msg';
    const d = date.value;
    const s = await api('GET', `/v1/escort-units/${unit.value}/schedule?date=${encodeURIComponent(d)}`);
    const span = (from, to, cls, label) => {
      const a = minuteOf(from, d), z = Math.max(minuteOf(to, d), a + 4);
      const el = h(`div.${cls}`, {title: label}, cls === 'bar' ? label : null);
      el.style.left = `${(a / 1440) * 100}%`;
      el.style.width = `${((z - a) / 1440) * 100}%`;
      return el;
    };
    const line = h('div.timeline', {role: 'img', 'aria-label': t('escorts_timeline', {unit: s.unit.name, date: d})},
      Array.from({length: 13}, (_, i) => { const m = h('span.tick', null, `${String(i * 2).padStart(2, '0')}:00`); m.style.left = `${(i / 12) * 100}%`; return m; }),
      s.on_duty.map(p => span(p.from, p.to, 'duty', `${t('escorts_onDuty')} ${hhmm(p.from)}–${hhmm(p.to)}`)),
      s.bookings.map(b => {
        const el = span(b.start, b.end, 'bar', `${hhmm(b.start)}–${hhmm(b.end)} ${b.plates.join(', ')} · ${t(`escorts_st_${b.status}`)}`);
        el.classList.add(`st-${b.status}`);
        return el;
      }));
    const rc = b => (!b.route_check ? t('escorts_routeUnknown') : b.route_check.allowed ? t('escorts_routeOk') : t('escorts_routeBad'));
    clear(day).append(h('h2', null, t('escorts_day', {unit: s.unit.name, date: d})), line,
      s.bookings.length ? table([t('escorts_time'), t('status'), t('platesCol'), t('escorts_project'), t('escorts_route'), ''],
        s.bookings.map(b => h(`tr.st-${b.status}`, {'data-escort': b.id}, h('td', null, `${hhmm(b.start)}–${hhmm(b.end)}`),
          h('td', null, h(`span.badge.st-${b.status}`, null, t(`escorts_st_${b.status}`))),
          h('td', null, b.plates.join(', ')), h('td', null, projects[b.project_id] || '—'),
          h('td', {class: b.route_check && !b.route_check.allowed ? 'bad-text' : null}, rc(b)),
          h('td', null,
            b.status === 'scheduled' ? h('button', {type: 'button', onclick: () => act(b, 'confirm')}, t('escorts_confirm')) : null,
            // Done only once it has begun (else the API's 409 not-started).
            b.status === 'confirmed' ? (Date.parse(b.start) <= Date.now()
              ? h('button', {type: 'button', onclick: () => act(b, 'complete')}, t('escorts_complete'))
              : h('span.help', null, t('escorts_notYet', {at: hhmm(b.start)}))) : null,
            ' ', h('a', {href: `/officer/audit?entity=escort&id=${b.id}`, onclick: e => { e.preventDefault(); go(`/officer/audit?entity=escort&id=${b.id}`); }}, t('escorts_audit'))))))
        : h('p', null, t('escorts_noBookings')));
  }
  await show();
}
