// Chinese and English: chosen from the browser (navigator.language),
// switchable, remembered in localStorage (a preference, not a secret).
// Every label of the console is here; the server's problem detail is shown
// as the server wrote it.
const zh = {
  app: '货运通行证', signIn: '登录', signOut: '退出登录', name: '用户名', password: '密码',
  language: 'English', languageLabel: '切换语言', signedInAs: '当前用户：{name}（{role}）',
  role_admin: '管理员', role_officer: '民警', role_haulier: '运输企业', role_site: '项目工地',
  wrongCredentials: '用户名或密码错误。', locked: '连续输错密码次数过多，该账号已锁定，请 {min} 分钟后再试。',
  sessionExpired: '登录已过期，请重新登录。', networkError: '无法连接服务器。',
  nav_fleet: '车队', nav_trip: '行程检查', nav_applications: '通行证申请', nav_queue: '审核队列',
  nav_zones: '限行区地图', nav_endorse: '项目背书', nav_users: '用户管理', nav_password: '修改密码',
  fleet: '车队', plate: '车牌', class: '车型', grossWeight: '总质量（千克）', axles: '轴数',
  hazmat: '危险品', addVehicle: '登记车辆', added: '已登记 {plate}。', noVehicles: '还没有车辆。',
  yes: '是', no: '否', save: '保存', cancel: '取消', loading: '加载中…', none: '无',
  class_light_truck: '轻型货车', class_medium_truck: '中型货车', class_heavy_truck: '重型货车',
  class_tractor: '牵引车', class_pickup: '皮卡', class_construction: '工程车', class_muck_truck: '渣土车',
  class_concrete_mixer: '混凝土搅拌车', class_hazmat_tanker: '危险品罐车', class_special: '专项作业车',
  importCsv: '批量导入（CSV）', csvHelp: '第一行为列名：plate, class, gross_weight_kg，可选 axles, length_mm, width_mm, height_mm, hazmat, new_energy。有错的行不影响其他行。', csvFile: 'CSV 文件', pickFile: '请选择一个 CSV 文件。', imported: '已导入 {n} 辆，{bad} 行未导入。', csvLine: '行号',
  nav_passes: '通行证', passes: '通行证', code: '通行码', plateOrCode: '车牌或通行码', search: '查询', revoke: '吊销', revokeReason: '吊销理由', needReason: '请先填写吊销理由。', revokedPass: '通行证 {code} 已吊销。', noPasses: '没有通行证。',
  pstatus_active: '有效', pstatus_provisional: '容缺有效', pstatus_suspended: '已暂停', pstatus_revoked: '已吊销', pstatus_expired: '已过期', pstatus_superseded: '已被新版本取代',
  documentsLater: '后补材料（每行一项，容缺受理）', missing: '待补', documentsDue: '补交期限', supply: '已补交：{name}', missingDocs: '缺少的材料（容缺批准）', approveProvisional: '容缺批准',
  statsTitle: '按类型统计', decidedCount: '已办结', medianHours: '办结用时中位数（小时）', withinDeadline: '按期办结比例', routeText: '或输入路线坐标', routeTextHint: '经度,纬度; 经度,纬度 …（键盘输入，代替在地图上点击）',
  trip: '行程检查', tripHelp: '在地图上依次点击路线经过的点（至少两个），再选择车牌和出发时间。',
  departAt: '出发时间', check: '检查', clearRoute: '清除路线', points: '已选 {n} 个点',
  allowed: '允许通行', notAllowed: '不允许通行', crossings: '经过的限行区', violations: '违规',
  zone: '限行区', enterAt: '进入', exitAt: '离开', reason: '原因', length: '全长 {km} 公里，预计 {at} 到达',
  needTwoPoints: '请至少在地图上点两个点。', needPlate: '请选择车牌。',
  applications: '通行证申请', newApplication: '新申请', type: '类型', status: '状态', due: '审结期限',
  fastTrack: '绿色通道', validFrom: '有效期自', validTo: '有效期至', zonesPick: '限行区（可多选）',
  project: '重大项目', noProject: '不涉及项目', plates: '车牌（可多选）', documents: '材料（每行一项）',
  note: '备注', submit: '提交', withdraw: '撤回', detail: '详情', history: '办理记录', back: '返回',
  submitted: '已提交申请。', withdrawn: '已撤回。', noApplications: '没有申请。',
  type_construction: '工程运输', type_urban_delivery: '城市配送', type_oversize: '大件运输',
  type_hazmat: '危险品运输', type_temporary: '临时通行', type_road_occupation: '占道施工',
  status_awaiting_endorsement: '待项目背书', status_queued: '排队中', status_in_review: '审核中',
  status_approved: '已批准', status_approved_provisional: '容缺批准', status_rejected: '已驳回',
  status_withdrawn: '已撤回',
  queue: '审核队列', claimNext: '领取下一件', queueEmpty: '队列里没有待审的申请。', open: '待办',
  overdue: '已超期', approve: '批准', reject: '驳回', decisionReason: '理由（必填）',
  decided: '已作出决定：{status}。', claimedUntil: '领取至 {at}', applicant: '申请单位',
  zonesMap: '限行区地图', zoneCount: '地图范围及周边共 {n} 个限行区', rules: '规则',
  endorse: '项目背书', endorseHelp: '以下申请注明了本工地的项目。背书即确认车辆为项目服务，申请进入绿色通道，审结期限减半。', endorseAction: '背书', endorsed: '已背书，进入绿色通道。', nothingToEndorse: '没有待背书的申请。',
  users: '用户管理', org: '单位', createUser: '创建用户', created: '已创建用户 {name}。', newPassword: '新密码',
  currentPassword: '当前密码', changePassword: '修改密码', passwordChanged: '密码已修改。',
  passwordHint: '至少 10 个字符', notFoundPage: '页面不存在。', error: '出错了',
  from: '从', to: '到', at: '时间', actor: '操作人', mapLabel: '地图', platesCol: '车牌', documentsCol: '材料', validity: '有效期', inQueue: '队列中的申请', claimed: '正在审核：{plates}',
};
const en = {
  app: 'Freight passes', signIn: 'Sign in', signOut: 'Sign out', name: 'Name', password: 'Password',
  language: '中文', languageLabel: 'Switch language', signedInAs: 'Signed in as {name} ({role})',
  role_admin: 'administrator', role_officer: 'officer', role_haulier: 'haulier', role_site: 'project site',
  wrongCredentials: 'The name or the password is wrong.', locked: 'Too many wrong passwords in a row: this name is locked; try again in {min} minutes.',
  sessionExpired: 'Your session has ended; please sign in again.', networkError: 'The server cannot be reached.',
  nav_fleet: 'Fleet', nav_trip: 'Trip check', nav_applications: 'Applications', nav_queue: 'Review queue',
  nav_zones: 'Zones map', nav_endorse: 'Endorse', nav_users: 'Users', nav_password: 'Password',
  fleet: 'Fleet', plate: 'Plate', class: 'Class', grossWeight: 'Gross weight (kg)', axles: 'Axles',
  hazmat: 'Hazardous goods', addVehicle: 'Register vehicle', added: 'Registered {plate}.', noVehicles: 'No vehicles yet.',
  yes: 'yes', no: 'no', save: 'Save', cancel: 'Cancel', loading: 'Loading…', none: 'none',
  class_light_truck: 'light truck', class_medium_truck: 'medium truck', class_heavy_truck: 'heavy truck',
  class_tractor: 'tractor', class_pickup: 'pickup', class_construction: 'construction vehicle', class_muck_truck: 'muck truck',
  class_concrete_mixer: 'concrete mixer', class_hazmat_tanker: 'hazmat tanker', class_special: 'special vehicle',
  importCsv: 'Import (CSV)', csvHelp: 'A header row names the columns: plate, class, gross_weight_kg, and optionally axles, length_mm, width_mm, height_mm, hazmat, new_energy. A bad row never stops the good ones.', csvFile: 'CSV file', pickFile: 'Pick a CSV file.', imported: 'Imported: {n}; refused: {bad}.', csvLine: 'Line',
  nav_passes: 'Passes', passes: 'Passes', code: 'Code', plateOrCode: 'Plate or pass code', search: 'Search', revoke: 'Revoke', revokeReason: 'Reason to revoke', needReason: 'Write the reason to revoke first.', revokedPass: 'Pass {code} revoked.', noPasses: 'No passes.',
  pstatus_active: 'active', pstatus_provisional: 'provisional', pstatus_suspended: 'suspended', pstatus_revoked: 'revoked', pstatus_expired: 'expired', pstatus_superseded: 'replaced by a newer revision',
  documentsLater: 'Documents to follow (one a line)', missing: 'missing', documentsDue: 'Documents due', supply: 'Supplied: {name}', missingDocs: 'Missing documents (provisional approval)', approveProvisional: 'Approve provisionally',
  statsTitle: 'By type', decidedCount: 'Decided', medianHours: 'Median hours to decision', withinDeadline: 'Decided within deadline', routeText: 'Or type the route', routeTextHint: 'lon,lat; lon,lat … (from the keyboard, instead of clicking the map)',
  trip: 'Trip check', tripHelp: 'Click the points of the route on the map in order (two at least), then pick the plate and the departure.',
  departAt: 'Departure', check: 'Check', clearRoute: 'Clear route', points: '{n} points chosen',
  allowed: 'Allowed', notAllowed: 'Not allowed', crossings: 'Zones crossed', violations: 'Violations',
  zone: 'Zone', enterAt: 'Enters', exitAt: 'Leaves', reason: 'Reason', length: '{km} km in all, arriving {at}',
  needTwoPoints: 'Click two points on the map at least.', needPlate: 'Pick a plate.',
  applications: 'Applications', newApplication: 'New application', type: 'Type', status: 'Status', due: 'Decision due',
  fastTrack: 'Fast track', validFrom: 'Valid from', validTo: 'Valid to', zonesPick: 'Zones (pick one or more)',
  project: 'Major project', noProject: 'No project', plates: 'Plates (pick one or more)', documents: 'Documents (one a line)',
  note: 'Note', submit: 'Submit', withdraw: 'Withdraw', detail: 'Detail', history: 'History', back: 'Back',
  submitted: 'Application submitted.', withdrawn: 'Withdrawn.', noApplications: 'No applications.',
  type_construction: 'construction', type_urban_delivery: 'urban delivery', type_oversize: 'oversize load',
  type_hazmat: 'hazardous goods', type_temporary: 'temporary', type_road_occupation: 'road occupation',
  status_awaiting_endorsement: 'awaiting endorsement', status_queued: 'queued', status_in_review: 'in review',
  status_approved: 'approved', status_approved_provisional: 'approved provisionally', status_rejected: 'rejected',
  status_withdrawn: 'withdrawn',
  queue: 'Review queue', claimNext: 'Claim the next', queueEmpty: 'No application waits for review.', open: 'Open',
  overdue: 'Overdue', approve: 'Approve', reject: 'Reject', decisionReason: 'Reason (required)',
  decided: 'Decided: {status}.', claimedUntil: 'Claimed until {at}', applicant: 'Applicant',
  zonesMap: 'Zones map', zoneCount: '{n} zones in and around the view', rules: 'Rules',
  endorse: 'Endorse', endorseHelp: 'These applications name one of your projects. Endorsing one vouches that the vehicles work for the project: it goes on the fast track, with half the time to a decision.', endorseAction: 'Endorse', endorsed: 'Endorsed: it is on the fast track.', nothingToEndorse: 'No application awaits your endorsement.',
  users: 'Users', org: 'Organisation', createUser: 'Create user', created: 'Created user {name}.', newPassword: 'New password',
  currentPassword: 'Current password', changePassword: 'Change password', passwordChanged: 'Password changed.',
  passwordHint: '10 characters at least', notFoundPage: 'There is no such page.', error: 'Something went wrong',
  from: 'From', to: 'To', at: 'At', actor: 'By', mapLabel: 'Map', platesCol: 'Plates', documentsCol: 'Documents', validity: 'Valid', inQueue: 'Applications in the queue', claimed: 'Under your review: {plates}',
};
const dicts = {zh, en};

function initial() {
  const saved = localStorage.getItem('haulpass.lang');
  if (saved && dicts[saved]) return saved;
  return (navigator.language || 'zh').toLowerCase().startsWith('zh') ? 'zh' : 'en';
}
let lang = initial();

export function currentLang() { return lang; }
export function setLang(l) {
  lang = l;
  localStorage.setItem('haulpass.lang', l);
  document.documentElement.lang = l === 'zh' ? 'zh-CN' : 'en';
}
document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';

// The label for key, {name} replaced from vars; a missing key shows as
// itself (never blank) so a gap is visible.
export function t(key, vars) {
  let s = dicts[lang][key] ?? en[key] ?? key;
  for (const [k, v] of Object.entries(vars || {})) s = s.replaceAll(`{${k}}`, String(v));
  return s;
}
// A screen module's own labels, added when the module loads, so each
// screen keeps its words next to its code: addStrings({zh: {...}, en: {...}}).
// A key defined twice is a mistake that would silently change another
// screen's label, so it throws (at load, in every test).
export function addStrings(more) {
  for (const l of Object.keys(dicts)) {
    for (const [k, v] of Object.entries(more[l] || {})) {
      if (k in dicts[l]) throw new Error(`i18n: ${k} is defined twice`);
      dicts[l][k] = v;
    }
  }
}
// A value from a closed list (status, type, class, role) in words.
export function tv(prefix, value) {
  const k = `${prefix}_${value}`;
  return dicts[lang][k] ?? value;
}
