// The officer's zones: the zones in view (searchable by name), a zone drawn
// vertex by vertex on the map (or typed as lon,lat pairs from the
// keyboard), its rules edited with the server's validation shown at the
// field it concerns, retiring, a zone's versions drawn over each other on
// the map, and KML import whose dry run (the server's own parse, its
// `preview`) is drawn on the map before anything is written.
import {api, ApiError} from '../api.js';
import {h, clear, field} from '../dom.js';
import {t, tv, addStrings} from '../i18n.js';
import {createMap, zonesLayer, textTip, L} from '../map.js';
import {CLASSES, TYPES, say, sayError, title, table, when} from '../ui.js';
import {fieldErrors} from './fielderrors.js';

addStrings({
  zh: {
    nav_zonesEdit: '限行区管理', zonesEdit_title: '限行区管理', zonesEdit_search: '按名称查找（地图范围内）',
    zonesEdit_inView: '地图范围内 {n} 个限行区', zonesEdit_edit: '编辑', zonesEdit_new: '新建限行区',
    zonesEdit_editing: '编辑：{name}（第 {v} 版）', zonesEdit_creating: '新建限行区', zonesEdit_name: '名称',
    zonesEdit_shape: '范围', zonesEdit_draw: '在地图上画范围', zonesEdit_drawing: '画图中：在地图上依次点击各个顶点',
    zonesEdit_undo: '撤销上一个点', zonesEdit_clearShape: '清除范围', zonesEdit_vertices: '{n} 个顶点',
    zonesEdit_coords: '顶点坐标（经度,纬度; …）', zonesEdit_coordsHint: '在地图上点击会自动填写；也可以直接用键盘输入。至少 3 个点，不必重复第一个点。',
    zonesEdit_keepShape: '保留原范围（含多个部分或内洞，未改动）',
    zonesEdit_rules: '限行规则', zonesEdit_rule: '规则 {n}', zonesEdit_addRule: '添加规则', zonesEdit_removeRule: '删除此规则',
    zonesEdit_noRules: '没有规则：此区域不限制任何车辆。', zonesEdit_classes: '限行车型（不选即全部车型）',
    zonesEdit_exempt: '豁免车型', zonesEdit_minMass: '总质量达到（千克）才限行', zonesEdit_minMassHint: '留空：不论质量',
    zonesEdit_hazmatOnly: '仅限危险品车辆', zonesEdit_hours: '限行时段（opening_hours）',
    zonesEdit_hoursHint: '例：Mo-Fr 07:00-09:00,17:00-19:00; PH off。留空：全天限行',
    zonesEdit_from: '生效日期', zonesEdit_to: '截止日期', zonesEdit_liftable: '可凭以下通行证通行（不选即绝对禁行）',
    zonesEdit_save: '保存', zonesEdit_saved: '已保存：{name}（第 {v} 版）。', zonesEdit_retire: '停用此限行区',
    zonesEdit_retireConfirm: '确认停用', zonesEdit_retired: '已停用：{name}。', zonesEdit_needShape: '请先在地图上画出范围（至少 3 个点）或输入坐标。',
    zonesEdit_badCoords: '坐标格式不对：请写成 经度,纬度; 经度,纬度 …', zonesEdit_fixBelow: '有 {n} 处需要修改，见标红的字段。',
    zonesEdit_versions: '历史版本', zonesEdit_showVersions: '在地图上对比版本', zonesEdit_versionA: '较早版本（灰色虚线）',
    zonesEdit_versionB: '较新版本（紫色）', zonesEdit_version: '第 {v} 版', zonesEdit_writtenAt: '写入时间',
    zonesEdit_retiredMark: '（已停用）', zonesEdit_audit: '操作记录',
    zonesEdit_import: '导入 KML', zonesEdit_kmlFile: 'KML 文件', zonesEdit_preview: '预览（不写入）',
    zonesEdit_commit: '确认导入', zonesEdit_previewHelp: '先预览：将要创建的区域以橙色虚线画在地图上，有问题的地标列出原因。确认后才写入。',
    zonesEdit_wouldCreate: '将创建 {n} 个限行区，跳过 {bad} 个地标。', zonesEdit_importedN: '已导入 {n} 个限行区，跳过 {bad} 个。',
    zonesEdit_skipped: '跳过的地标', zonesEdit_placemark: '地标', zonesEdit_pickKml: '请选择一个 KML 文件。',
    zonesEdit_toCreate: '将创建', zonesEdit_rulesN: '{n} 条规则', zonesEdit_liftShort: '凭{types}通行证可通行', zonesEdit_absolute: '绝对禁行',
  },
  en: {
    nav_zonesEdit: 'Zones', zonesEdit_title: 'Zones', zonesEdit_search: 'Find by name (in the map view)',
    zonesEdit_inView: '{n} zones in the map view', zonesEdit_edit: 'Edit', zonesEdit_new: 'New zone',
    zonesEdit_editing: 'Editing: {name} (version {v})', zonesEdit_creating: 'New zone', zonesEdit_name: 'Name',
    zonesEdit_shape: 'Outline', zonesEdit_draw: 'Draw the outline on the map', zonesEdit_drawing: 'Drawing: click each corner on the map in turn',
    zonesEdit_undo: 'Undo last point', zonesEdit_clearShape: 'Clear outline', zonesEdit_vertices: '{n} corners',
    zonesEdit_coords: 'Corners (lon,lat; …)', zonesEdit_coordsHint: 'Filled in as you click the map; or type them. 3 points at least; no need to repeat the first.',
    zonesEdit_keepShape: 'Keeping the outline as it is (several parts or holes, unchanged)',
    zonesEdit_rules: 'Restrictions', zonesEdit_rule: 'Rule {n}', zonesEdit_addRule: 'Add a rule', zonesEdit_removeRule: 'Remove this rule',
    zonesEdit_noRules: 'No rules: this zone restricts no vehicle.', zonesEdit_classes: 'Restricted classes (none picked: every class)',
    zonesEdit_exempt: 'Exempt classes', zonesEdit_minMass: 'Restricted from gross weight (kg)', zonesEdit_minMassHint: 'Blank: any weight',
    zonesEdit_hazmatOnly: 'Hazardous goods vehicles only', zonesEdit_hours: 'Hours in force (opening_hours)',
    zonesEdit_hoursHint: 'E.g. Mo-Fr 07:00-09:00,17:00-19:00; PH off. Blank: at all hours',
    zonesEdit_from: 'In force from', zonesEdit_to: 'In force until', zonesEdit_liftable: 'Passes that lift it (none picked: an absolute ban)',
    zonesEdit_save: 'Save', zonesEdit_saved: 'Saved: {name} (version {v}).', zonesEdit_retire: 'Retire this zone',
    zonesEdit_retireConfirm: 'Confirm: retire', zonesEdit_retired: 'Retired: {name}.', zonesEdit_needShape: 'Draw the outline on the map first (3 points at least) or type the corners.',
    zonesEdit_badCoords: 'The corners cannot be read: write lon,lat; lon,lat …', zonesEdit_fixBelow: '{n} things to fix: see the fields marked in red.',
    zonesEdit_versions: 'Versions', zonesEdit_showVersions: 'Compare versions on the map', zonesEdit_versionA: 'Earlier version (grey, dashed)',
    zonesEdit_versionB: 'Later version (purple)', zonesEdit_version: 'version {v}', zonesEdit_writtenAt: 'Written',
    zonesEdit_retiredMark: ' (retired)', zonesEdit_audit: 'Audit trail',
    zonesEdit_import: 'Import KML', zonesEdit_kmlFile: 'KML file', zonesEdit_preview: 'Preview (writes nothing)',
    zonesEdit_commit: 'Import for real', zonesEdit_previewHelp: 'Preview first: the zones to be created are drawn on the map in orange dashes, and each skipped placemark is listed with why. Nothing is written until you import for real.',
    zonesEdit_wouldCreate: '{n} zones would be created; {bad} placemarks skipped.', zonesEdit_importedN: 'Imported {n} zones; {bad} placemarks skipped.',
    zonesEdit_skipped: 'Skipped placemarks', zonesEdit_placemark: 'Placemark', zonesEdit_pickKml: 'Pick a KML file.',
    zonesEdit_toCreate: 'To be created', zonesEdit_rulesN: '{n} rules', zonesEdit_liftShort: 'a {types} pass lifts it', zonesEdit_absolute: 'absolute ban',
  },
});

const DRAFT = {color: '#9b2c2c', weight: 3, fillOpacity: 0.15};
const OLD = {color: '#4a5568', weight: 2, dashArray: '6 6', fillOpacity: 0.05};
const NEW = {color: '#6b46c1', weight: 3, fillOpacity: 0.12};
const PREVIEW = {color: '#dd6b20', weight: 3, dashArray: '8 6', fillOpacity: 0.2};

// "118.3,35.0; 118.4,35.0" <-> [[118.3, 35.0], …]; null when unreadable.
export function parseCoords(text) {
  const pts = text.split(';').map(s => s.trim()).filter(Boolean).map(p => p.split(',').map(x => Number(x.trim())));
  return pts.every(p => p.length === 2 && p.every(Number.isFinite)) ? pts : null;
}
const fmt = pts => pts.map(([x, y]) => `${+x.toFixed(6)},${+y.toFixed(6)}`).join('; ');

// Checkboxes for a closed list, in a labelled group.
function checks(legend, values, picked, label) {
  const boxes = values.map(v => h('input', {type: 'checkbox', value: v, checked: picked.includes(v)}));
  const set = h('fieldset.checks', null, h('legend', null, legend),
    values.map((v, i) => h('label.check.inline', null, boxes[i], ` ${label(v)}`)));
  return {set, input: set, value: () => boxes.filter(b => b.checked).map(b => b.value)};
}

export async function zonesEdit(main, sess, go) {
  title(main, 'zonesEdit_title');
  const mapEl = h('div.map.tall');
  const side = h('div.side');
  main.append(h('div.split', null, mapEl, side));
  const map = await createMap(mapEl);

  // --- the zones in view, searchable ---------------------------------------
  const q = h('input', {name: 'zone_search', type: 'search', maxlength: 200});
  const count = h('p.count', {'aria-live': 'polite'});
  const names = h('ul.zones.short');
  let inView = [];
  const listZones = () => {
    const needle = q.value.trim().toLowerCase();
    const hits = inView.filter(f => !needle || f.properties.name.toLowerCase().includes(needle));
    count.textContent = t('zonesEdit_inView', {n: hits.length});
    clear(names).append(...hits.slice(0, 200).map(f => h('li', null,
      h('button.link', {type: 'button', onclick: () => map.fitBounds(L.geoJSON(f).getBounds(), {padding: [30, 30], maxZoom: 16})}, f.properties.name),
      ' ', h('button.small', {type: 'button', 'data-zone': f.id, onclick: () => edit(f.id).catch(err => { const m = h('div.msg'); clear(editor).append(m); sayError(m, err); })}, t('zonesEdit_edit')))));
  };
  q.addEventListener('input', listZones);
  const zones = zonesLayer(map, {onLoad: f => { inView = f; listZones(); }});
  const newBtn = h('button', {type: 'button', name: 'new_zone', onclick: () => edit(null)}, t('zonesEdit_new'));

  // --- the editor ------------------------------------------------------------
  const editor = h('div');
  const draft = L.layerGroup().addTo(map);
  const versionsLayer = L.layerGroup().addTo(map);
  const previewLayer = L.layerGroup().addTo(map);
  let drawing = false;
  let pts = [];
  let onShape = () => {};
  map.on('click', e => {
    if (!drawing) return;
    pts.push([e.latlng.lng, e.latlng.lat]);
    onShape(true);
  });
  function drawDraft(keep) {
    draft.clearLayers();
    if (keep) { draft.addLayer(L.geoJSON(keep, {style: DRAFT})); return; }
    if (pts.length >= 2) draft.addLayer(L.polygon(pts.map(([x, y]) => [y, x]), DRAFT));
    for (const [x, y] of pts) draft.addLayer(L.circleMarker([y, x], {radius: 5, color: DRAFT.color, fillOpacity: 1}));
  }

  async function edit(id) {
    clear(editor);
    versionsLayer.clearLayers();
    const z = id ? await api('GET', `/v1/zones/${encodeURIComponent(id)}`) : null;
    const errs = fieldErrors();
    const msg = h('div.msg');
    const name = h('input', {name: 'zone_name', maxlength: 200, required: true, value: z ? z.name : ''});
    // The outline: a simple Polygon is editable vertex by vertex; another
    // shape (holes, several parts) is kept as it is until redrawn.
    const g = z && z.geometry;
    const simple = g && g.type === 'Polygon' && g.coordinates.length === 1;
    let keep = g && !simple ? g : null;
    pts = simple ? g.coordinates[0].slice(0, -1).map(p => [p[0], p[1]]) : [];
    const coords = h('input', {name: 'zone_coords', value: fmt(pts)});
    const verts = h('span.count', {'aria-live': 'polite'});
    const keepNote = h('p.help', null, keep ? t('zonesEdit_keepShape') : '');
    const drawBtn = h('button.secondary', {type: 'button', 'aria-pressed': 'false'}, t('zonesEdit_draw'));
    const setDrawing = on => {
      drawing = on;
      drawBtn.setAttribute('aria-pressed', String(on));
      drawBtn.textContent = on ? t('zonesEdit_drawing') : t('zonesEdit_draw');
      mapEl.classList.toggle('drawing', on);
    };
    onShape = fromMap => {
      if (fromMap || pts.length) { keep = null; keepNote.textContent = ''; }
      coords.value = fmt(pts);
      verts.textContent = t('zonesEdit_vertices', {n: pts.length});
      drawDraft(keep);
    };
    drawBtn.addEventListener('click', () => setDrawing(!drawing));
    coords.addEventListener('change', () => {
      const got = parseCoords(coords.value);
      if (!got) return say(msg, 'error', t('zonesEdit_badCoords'));
      pts = got; onShape(true);
    });
    const shapeBox = h('div.field', null, h('label', {for: 'zone-coords'}, t('zonesEdit_coords')), coords,
      h('small.hint', null, t('zonesEdit_coordsHint')));
    coords.id = 'zone-coords';
    errs.add('/geometry', shapeBox, coords);
    const nameBox = field(t('zonesEdit_name'), name);
    errs.add('/name', nameBox, name);

    // Rules: each a fieldset; its fields registered at their pointers.
    const rulesBox = h('div');
    const rules = [];
    const ruleForm = r => {
      const classes = checks(t('zonesEdit_classes'), CLASSES, r.vehicle_classes || [], c => tv('class', c));
      const exempt = checks(t('zonesEdit_exempt'), CLASSES, r.exempt_classes || [], c => tv('class', c));
      const lift = checks(t('zonesEdit_liftable'), TYPES, r.liftable_by || [], x => tv('type', x));
      const mass = h('input', {name: 'min_gross_weight_kg', type: 'number', min: 0, max: 1000000,
        value: r.min_gross_weight_kg ?? ''});
      const hazmat = h('input', {name: 'hazmat_only', type: 'checkbox', checked: !!r.hazmat_only});
      const hours = h('input', {name: 'hours', value: r.hours || '', size: 40});
      const from = h('input', {name: 'valid_from', type: 'date', value: r.valid_from || ''});
      const to = h('input', {name: 'valid_to', type: 'date', value: r.valid_to || ''});
      const rule = {id: r.id, classes, exempt, lift, mass, hazmat, hours, from, to};
      rule.read = () => {
        const o = {vehicle_classes: classes.value(), exempt_classes: exempt.value(), liftable_by: lift.value(),
          hazmat_only: hazmat.checked, hours: hours.value.trim() || null,
          valid_from: from.value || null, valid_to: to.value || null,
          min_gross_weight_kg: mass.value === '' ? null : Number(mass.value)};
        if (rule.id) o.id = rule.id;
        return o;
      };
      rule.boxes = {hours: field(t('zonesEdit_hours'), hours, t('zonesEdit_hoursHint')),
        min_gross_weight_kg: field(t('zonesEdit_minMass'), mass, t('zonesEdit_minMassHint')),
        hazmat_only: field(t('zonesEdit_hazmatOnly'), hazmat),
        valid_from: field(t('zonesEdit_from'), from), valid_to: field(t('zonesEdit_to'), to)};
      return rule;
    };
    const drawRules = () => {
      errs.reset();
      errs.add('/name', nameBox, name);
      errs.add('/geometry', shapeBox, coords);
      clear(rulesBox);
      if (!rules.length) rulesBox.append(h('p.help', null, t('zonesEdit_noRules')));
      rules.forEach((r, i) => {
        const p = `/rules/${i}`;
        const set = h('fieldset.rule', null, h('legend', null, t('zonesEdit_rule', {n: i + 1})),
          r.classes.set, r.exempt.set,
          h('div.row', null, r.boxes.min_gross_weight_kg, r.boxes.hazmat_only),
          r.boxes.hours,
          h('div.row', null, r.boxes.valid_from, r.boxes.valid_to),
          r.lift.set,
          h('button.secondary.small', {type: 'button', onclick: () => { rules.splice(i, 1); drawRules(); }}, t('zonesEdit_removeRule')));
        errs.add(p, set, set);
        errs.add(`${p}/vehicle_classes`, r.classes.set, r.classes.set);
        errs.add(`${p}/exempt_classes`, r.exempt.set, r.exempt.set);
        errs.add(`${p}/liftable_by`, r.lift.set, r.lift.set);
        for (const [k, box] of Object.entries(r.boxes)) errs.add(`${p}/${k}`, box, box.querySelector('input'));
        rulesBox.append(set);
      });
    };
    for (const r of (z ? z.rules : [{vehicle_classes: ['heavy_truck'], liftable_by: ['construction']}])) rules.push(ruleForm(r));
    drawRules();

    let current = z;
    const form = h('form.card', {
      onsubmit: async e => {
        e.preventDefault();
        errs.clear(); clear(msg); msg.className = 'msg';
        if (coords.value.trim() && fmt(pts) !== coords.value.trim()) {
          const got = parseCoords(coords.value);
          if (!got) return say(msg, 'error', t('zonesEdit_badCoords'));
          pts = got; onShape(true);
        }
        let geometry = keep;
        if (!geometry) {
          if (pts.length < 3) { say(msg, 'error', t('zonesEdit_needShape')); coords.focus(); return; }
          geometry = {type: 'Polygon', coordinates: [[...pts, pts[0]]]};
        }
        const body = {name: name.value, geometry, rules: rules.map(r => r.read())};
        try {
          const saved = current
            ? await api('PUT', `/v1/zones/${current.id}`, body, {headers: {'If-Match': `"${current.version}"`}})
            : await api('POST', '/v1/zones', body);
          setDrawing(false);
          await zones.load();
          await edit(saved.id);
          say(editor.querySelector('.msg'), 'ok', t('zonesEdit_saved', {name: saved.name, v: saved.version}));
        } catch (err) {
          if (err instanceof ApiError && err.problem.errors) {
            const rest = errs.show(err.problem.errors);
            say(msg, 'error', t('zonesEdit_fixBelow', {n: err.problem.errors.length}), rest);
          } else sayError(msg, err);
        }
      },
    },
    h('h2', null, z ? t('zonesEdit_editing', {name: z.name, v: z.version}) : t('zonesEdit_creating')),
    msg,
    nameBox,
    h('fieldset', null, h('legend', null, t('zonesEdit_shape')),
      h('div.row', null, drawBtn,
        h('button.secondary', {type: 'button', onclick: () => { pts.pop(); onShape(true); }}, t('zonesEdit_undo')),
        h('button.secondary', {type: 'button', onclick: () => { pts = []; onShape(true); }}, t('zonesEdit_clearShape')), verts),
      keepNote, shapeBox),
    h('h3', null, t('zonesEdit_rules')), rulesBox,
    h('button.secondary', {type: 'button', onclick: () => { rules.push(ruleForm({})); drawRules(); }}, t('zonesEdit_addRule')),
    h('div.row.actions', null, h('button', {type: 'submit'}, t('zonesEdit_save')),
      z && !z.retired_at ? retireButton(z, msg) : null,
      z ? auditLink(z.id) : null));
    editor.append(form);
    if (z) editor.append(await versionsCard(z));
    onShape(false);
    if (keep || pts.length) map.fitBounds(L.geoJSON(g).getBounds(), {padding: [30, 30], maxZoom: 16});
    if (!z) setDrawing(true);
    name.focus();
  }

  function auditLink(id) {
    const href = `/officer/audit?entity=zone&id=${id}`;
    return h('a.audit-link', {href, onclick: ev => { ev.preventDefault(); go(href); }}, t('zonesEdit_audit'));
  }

  function retireButton(z, msg) {
    const b = h('button.danger', {type: 'button', onclick: async () => {
      // A second press confirms (no dialog: the page stays keyboard-usable).
      if (b.dataset.armed !== '1') { b.dataset.armed = '1'; b.textContent = t('zonesEdit_retireConfirm'); return; }
      try {
        const r = await api('DELETE', `/v1/zones/${z.id}`, undefined, {headers: {'If-Match': `"${z.version}"`}});
        await zones.load();
        clear(editor); draft.clearLayers(); versionsLayer.clearLayers();
        const done = h('div.msg');
        editor.append(done);
        say(done, 'ok', t('zonesEdit_retired', {name: r.name}));
        done.append(auditLink(r.id));
      } catch (err) { sayError(msg, err); }
    }}, t('zonesEdit_retire'));
    return b;
  }

  // A zone's versions: two picked ones drawn over each other.
  async function versionsCard(z) {
    const vs = (await api('GET', `/v1/zones/${z.id}/versions`)).items;
    const label = v => `${t('zonesEdit_version', {v: v.version})}${v.retired ? t('zonesEdit_retiredMark') : ''}`;
    const pick = (name, sel) => h('select', {name}, vs.map(v => h('option', {value: v.version, selected: v.version === sel}, label(v))));
    const a = pick('version_a', vs.length > 1 ? vs[vs.length - 2].version : vs[0].version);
    const b = pick('version_b', vs[vs.length - 1].version);
    const cmp = h('div');
    const show = () => {
      versionsLayer.clearLayers();
      const va = vs.find(v => String(v.version) === a.value);
      const vb = vs.find(v => String(v.version) === b.value);
      const la = L.geoJSON(va.geometry, {style: OLD});
      const lb = L.geoJSON(vb.geometry, {style: NEW});
      textTip(la, `${va.name} · ${label(va)}`); textTip(lb, `${vb.name} · ${label(vb)}`);
      versionsLayer.addLayer(la); versionsLayer.addLayer(lb);
      map.fitBounds(la.getBounds().extend(lb.getBounds()), {padding: [30, 30], maxZoom: 16});
      const rulesText = v => (v.rules.length ? v.rules.map(r => [
        (r.vehicle_classes.length ? r.vehicle_classes.map(c => tv('class', c)).join('、') : '*'),
        r.min_gross_weight_kg != null ? `≥ ${r.min_gross_weight_kg} kg` : null, r.hours || null,
        r.liftable_by.length ? t('zonesEdit_liftShort', {types: r.liftable_by.map(x => tv('type', x)).join('、')}) : t('zonesEdit_absolute')]
        .filter(Boolean).join(' · ')).join(' | ') : t('none'));
      const corners = v => t('zonesEdit_vertices', {n: (v.geometry.type === 'Polygon' ? [v.geometry.coordinates] : v.geometry.coordinates)
        .reduce((n, poly) => n + poly.reduce((m, ring) => m + ring.length - 1, 0), 0)});
      clear(cmp).append(table(['', label(va), label(vb)], [
        h('tr', null, h('th', {scope: 'row'}, t('zonesEdit_name')), h('td', null, va.name), h('td', null, vb.name)),
        h('tr', null, h('th', {scope: 'row'}, t('zonesEdit_rules')), h('td', null, rulesText(va)), h('td', null, rulesText(vb))),
        h('tr', null, h('th', {scope: 'row'}, t('zonesEdit_shape')), h('td', null, corners(va)), h('td', null, corners(vb))),
        h('tr', null, h('th', {scope: 'row'}, t('zonesEdit_writtenAt')), h('td', null, when(va.written_at)), h('td', null, when(vb.written_at)))]));
    };
    a.addEventListener('change', show); b.addEventListener('change', show);
    return h('section.card.versions', {'aria-live': 'polite'}, h('h2', null, t('zonesEdit_versions')),
      h('div.row', null, field(t('zonesEdit_versionA'), a), field(t('zonesEdit_versionB'), b),
        h('button.secondary', {type: 'button', onclick: show}, t('zonesEdit_showVersions'))), cmp);
  }

  // --- KML import: the dry run drawn, then the real one --------------------
  const file = h('input', {name: 'kml', type: 'file', accept: '.kml,application/vnd.google-earth.kml+xml'});
  const imsg = h('div.msg');
  const report = h('div');
  const commit = h('button', {type: 'button', disabled: true}, t('zonesEdit_commit'));
  let previewed = null; // the text that was previewed, the only one commit sends
  const send = async dry => api('POST', `/v1/zones/import${dry ? '?dry_run=true' : ''}`, previewed,
    {contentType: 'application/vnd.google-earth.kml+xml'});
  const skippedTable = r => (r.skipped.length ? [h('h3', null, t('zonesEdit_skipped')),
    table([t('zonesEdit_placemark'), t('reason')], r.skipped.map(s => h('tr.bad', null, h('td', null, String(s.placemark)), h('td', null, s.reason))))] : []);
  const preview = async () => {
    clear(report); previewLayer.clearLayers(); commit.disabled = true;
    if (!file.files.length) return say(imsg, 'error', t('zonesEdit_pickKml'));
    previewed = await file.files[0].text();
    try {
      const r = await send(true);
      say(imsg, r.skipped.length ? 'error' : 'ok', t('zonesEdit_wouldCreate', {n: r.would_create.length, bad: r.skipped.length}));
      const layer = L.geoJSON(r.preview, {style: PREVIEW, onEachFeature: (f, l) =>
        l.bindTooltip(h('span', null, `${t('zonesEdit_toCreate')}: ${f.properties.name}`), {permanent: true, direction: 'center', className: 'zone-label'})});
      previewLayer.addLayer(layer);
      if (r.preview.features.length) map.fitBounds(layer.getBounds(), {padding: [30, 30], maxZoom: 16});
      report.append(h('h3', null, t('zonesEdit_toCreate')),
        h('ul.preview', null, r.preview.features.map(f => h('li', null, f.properties.name, ` · ${t('zonesEdit_rulesN', {n: f.properties.rules.length})}`))),
        ...skippedTable(r));
      commit.disabled = !r.would_create.length;
    } catch (err) { sayError(imsg, err); }
  };
  file.addEventListener('change', () => { commit.disabled = true; previewLayer.clearLayers(); clear(report); });
  commit.addEventListener('click', async () => {
    try {
      const r = await send(false);
      commit.disabled = true;
      previewLayer.clearLayers();
      say(imsg, 'ok', t('zonesEdit_importedN', {n: r.created.length, bad: r.skipped.length}));
      clear(report).append(...skippedTable(r));
      await zones.load();
    } catch (err) { sayError(imsg, err); }
  });
  const importCard = h('section.card', null, h('h2', null, t('zonesEdit_import')), h('p.help', null, t('zonesEdit_previewHelp')),
    field(t('zonesEdit_kmlFile'), file),
    h('div.row', null, h('button.secondary', {type: 'button', onclick: preview}, t('zonesEdit_preview')), commit), imsg, report);

  side.append(h('div.row', null, field(t('zonesEdit_search'), q), newBtn), count, names, editor, importCard);
  await zones.load();
}
