// The holiday calendar by year (GET/PUT /v1/calendar/{year}): the year's
// public holidays and the weekend days worked instead (调休), which every
// rule's `PH` and weekday hours follow. Everyone may read it; only an
// administrator may change it (the API's rule), so an officer sees it
// read-only. Errors come back at /days/N/field and are shown in that row.
import {api, ApiError} from '../api.js';
import {h, clear, field, append} from '../dom.js';
import {t, addStrings} from '../i18n.js';
import {say, sayError, title, table} from '../ui.js';
import {fieldErrors} from './fielderrors.js';

addStrings({
  zh: {
    nav_calendar: '节假日', calendar_title: '节假日与调休', calendar_year: '年份', calendar_show: '查看',
    calendar_help: '节假日（PH）不算工作日；调休上班日是被改为工作日的周六或周日。未列出的日子：周一至周五上班，周末休息。',
    calendar_readOnly: '只有管理员可以修改日历。', calendar_date: '日期', calendar_weekday: '星期', calendar_kind: '类别',
    calendar_name: '名称', calendar_kind_holiday: '节假日', calendar_kind_workday: '调休上班',
    calendar_remove: '删除', calendar_removeDay: '删除 {date}', calendar_add: '添加一天', calendar_save: '保存整年',
    calendar_saved: '{year} 年日历已保存（{n} 天）。', calendar_empty: '这一年还没有登记任何节假日。',
    calendar_fix: '有 {n} 处需要修改，见标红的行。', calendar_count: '{h} 个节假日，{w} 个调休上班日',
    calendar_wd: '日一二三四五六', calendar_wdPrefix: '周',
  },
  en: {
    nav_calendar: 'Holidays', calendar_title: 'Holidays and working weekends', calendar_year: 'Year', calendar_show: 'Show',
    calendar_help: 'A holiday (PH) is no working day; a working weekend day is a Saturday or Sunday worked instead (调休). Days not listed: Monday to Friday work, weekends rest.',
    calendar_readOnly: 'Only an administrator may change the calendar.', calendar_date: 'Date', calendar_weekday: 'Day', calendar_kind: 'Kind',
    calendar_name: 'Name', calendar_kind_holiday: 'holiday', calendar_kind_workday: 'working weekend day',
    calendar_remove: 'Remove', calendar_removeDay: 'Remove {date}', calendar_add: 'Add a day', calendar_save: 'Save the year',
    calendar_saved: 'The {year} calendar is saved ({n} days).', calendar_empty: 'No day is listed for this year yet.',
    calendar_fix: '{n} things to fix: see the rows marked in red.', calendar_count: '{h} holidays, {w} working weekend days',
    calendar_wd: ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'].join(''), calendar_wdPrefix: '',
  },
});

const weekday = d => {
  const n = new Date(`${d}T12:00:00Z`).getUTCDay();
  if (Number.isNaN(n)) return '';
  const names = t('calendar_wd');
  const one = names.length === 7 ? [...names][n] : names.slice(n * 3, n * 3 + 3);
  return `${t('calendar_wdPrefix')}${one}`;
};

export async function calendar(main, sess) {
  title(main, 'calendar_title');
  const admin = sess.user.role === 'admin';
  const thisYear = new Date().getFullYear();
  const year = h('input', {name: 'year', type: 'number', min: 2000, max: 2100, value: thisYear, required: true});
  const msg = h('div.msg');
  const body = h('div');
  append(main, [h('p.help', null, t('calendar_help')), admin ? null : h('p.help', null, t('calendar_readOnly')),
    h('form.card.row', {onsubmit: e => { e.preventDefault(); load().catch(err => sayError(msg, err)); }},
      field(t('calendar_year'), year), h('button', {type: 'submit'}, t('calendar_show'))), msg, body]);

  let rows = []; // {date, kind, name, tr inputs}
  let shownYear = thisYear;
  const errs = fieldErrors();

  function row(d) {
    const date = h('input', {name: 'day_date', type: 'date', value: d.date || '', required: true, disabled: !admin,
      'aria-label': t('calendar_date')});
    const kind = h('select', {name: 'day_kind', disabled: !admin, 'aria-label': t('calendar_kind')},
      ['holiday', 'workday'].map(k => h('option', {value: k, selected: d.kind === k}, t(`calendar_kind_${k}`))));
    const name = h('input', {name: 'day_name', maxlength: 100, value: d.name || '', disabled: !admin, 'aria-label': t('calendar_name')});
    const wd = h('td.wd', null, weekday(d.date || ''));
    date.addEventListener('change', () => { wd.textContent = weekday(date.value); });
    const r = {date, kind, name};
    const cells = {date: h('td', null, date), kind: h('td', null, kind), name: h('td', null, name)};
    r.cells = cells;
    r.tr = h(`tr.k-${d.kind || 'holiday'}`, null, cells.date, wd, cells.kind, cells.name,
      admin ? h('td', null, h('button.secondary.small', {type: 'button', 'aria-label': t('calendar_removeDay', {date: d.date || ''}),
        onclick: () => { rows = rows.filter(x => x !== r); draw(); }}, t('calendar_remove'))) : null);
    kind.addEventListener('change', () => { r.tr.className = `k-${kind.value}`; counted(); });
    return r;
  }

  const heading = h('h2');
  function counted() {
    const holidays = rows.filter(r => r.kind.value === 'holiday').length;
    heading.textContent = `${shownYear} · ${t('calendar_count', {h: holidays, w: rows.length - holidays})}`;
  }
  function draw() {
    errs.reset();
    counted();
    append(clear(body), [
      heading,
      rows.length ? table([t('calendar_date'), t('calendar_weekday'), t('calendar_kind'), t('calendar_name'), admin ? '' : null],
        rows.map(r => r.tr)) : h('p', null, t('calendar_empty')),
      admin ? h('div.row.actions', null,
        h('button.secondary', {type: 'button', onclick: () => {
          const r = row({date: `${shownYear}-01-01`, kind: 'holiday'});
          rows.push(r); draw(); r.date.focus();
        }}, t('calendar_add')),
        h('button', {type: 'button', onclick: save}, t('calendar_save'))) : null]);
    rows.forEach((r, i) => {
      for (const k of ['date', 'kind', 'name']) errs.add(`/days/${i}/${k}`, r.cells[k], r[k]);
      errs.add(`/days/${i}`, r.cells.date, r.date);
    });
  }

  async function load() {
    clear(msg); msg.className = 'msg';
    const y = await api('GET', `/v1/calendar/${encodeURIComponent(year.value)}`);
    shownYear = y.year;
    rows = y.days.map(row);
    draw();
  }

  async function save() {
    clear(msg); msg.className = 'msg';
    const days = rows.map(r => ({date: r.date.value, kind: r.kind.value, name: r.name.value.trim() || null}));
    try {
      const y = await api('PUT', `/v1/calendar/${shownYear}`, {days});
      rows = y.days.map(row);
      draw();
      say(msg, 'ok', t('calendar_saved', {year: y.year, n: y.days.length}));
    } catch (err) {
      if (err instanceof ApiError && err.problem.errors) {
        const rest = errs.show(err.problem.errors);
        say(msg, 'error', t('calendar_fix', {n: err.problem.errors.length}), rest);
      } else sayError(msg, err);
    }
  }
  await load();
}
