import type { ArchiveGapCode, EventPerson } from '../../../server/src/protocol';

// The one catalogue of what people call the things the code names (issue 16): every session state, role,
// integrity rule, event type, system actor and archive check has a Chinese and an English label here, so a
// screen never shows `running`, `recusal-conflict`, `answer.saved` or `staff:3`.
export type Names = Record<string, [zh: string, en: string]>;

/** The label of `code` in `names`; an unknown code (a new server version) shows as itself, in brackets. */
export function label(names: Names, code: string, en: boolean): string {
  const n = names[code];
  return n ? n[en ? 1 : 0] : `〔${code}〕`;
}

export const STATE_NAMES: Names = {
  draft: ['草稿', 'draft'],
  scheduled: ['已排期', 'scheduled'],
  sealed: ['已封卷', 'sealed'],
  open: ['入场中', 'admission'],
  running: ['考试中', 'running'],
  paused: ['已暂停', 'paused'],
  closed: ['已结束', 'closed'],
  graded: ['已评分', 'graded'],
  archived: ['已归档', 'archived'],
};

export const CANDIDATE_STATUS_NAMES: Names = {
  'not-logged-in': ['未登录', 'not logged in'],
  'not-started': ['已登录未开考', 'logged in'],
  answering: ['答题中', 'answering'],
  submitted: ['已交卷', 'submitted'],
};

export const ROLE_NAMES: Names = {
  admin: ['管理员', 'admin'],
  bank_keeper: ['题库管理员', 'bank keeper'],
  chief_examiner: ['主考', 'chief examiner'],
  proctor: ['监考', 'proctor'],
  official: ['监管人员', 'official'],
  candidate: ['考生', 'candidate'],
};

/** Integrity rules (回避, 考培分离, bans …) and the codes of their violations. */
export const RULE_NAMES: Names = {
  declaration: ['利益关系申报', 'declaration'],
  'staff-ban': ['工作人员禁入（纪律处分）', 'staff ban (disciplinary)'],
  'organisation-ban': ['单位失信禁入（3 年）', 'organisation ban (3 years)'],
  qualification: ['考评人员资格', 'qualification'],
  recusal: ['回避', 'recusal'],
  'training-separation': ['考培分离（培训人员不监考本人学员）', 'training separation (trainers)'],
  'institution-separation': ['考培分离（考试机构不培训考生）', 'training separation (institution)'],
  'pool-separation': ['考培分离（考试题库与练习题库不重叠）', 'training separation (question pools)'],
  staffing: ['考场人员配备', 'staffing'],
  'declaration-missing': ['未签署利益关系申报', 'declaration missing'],
  'staff-banned': ['工作人员受纪律处分，不得从事考试工作', 'staff member banned'],
  'organisation-banned': ['所在单位失信，3 年内不得从事考试工作', 'organisation banned'],
  'qualification-expired': ['考评资格已过期', 'qualification expired'],
  'qualification-missing': ['无考评资格', 'no qualification'],
  'qualification-not-yet-valid': ['考评资格尚未生效', 'qualification not yet valid'],
  'recusal-conflict': ['应回避（与考生有利害关系）', 'recusal conflict'],
  'same-employer': ['与考生同一单位', 'same employer'],
  'training-conflict': ['培训过该考生（考培分离）', 'trained this candidate'],
  'institution-not-registered': ['考试机构未登记', 'institution not registered'],
  'institution-trains-candidate': ['考试机构培训过该考生', 'institution trained the candidate'],
  'exam-pool-in-practice': ['考试题进入练习题库', 'exam item in the practice pool'],
  'not-exam-pool': ['所用题库不是考试题库', 'not an exam pool'],
  understaffed: ['监考人数不足', 'understaffed'],
  'integrity-violation': ['违反诚信规则', 'integrity violation'],
  'exception-not-allowed': ['此规则不允许例外', 'no exception allowed'],
};

/** The records an integrity finding rests on. */
export const RECORD_NAMES: Names = {
  'bank-version': ['题库版本', 'bank version'],
  candidate: ['考生', 'candidate'],
  disciplinary: ['纪律处分', 'disciplinary record'],
  dishonesty: ['失信记录', 'dishonesty record'],
  engagement: ['培训任职', 'engagement'],
  organisation: ['单位', 'organisation'],
  qualification: ['考评资格', 'qualification'],
  relationship: ['利害关系', 'relationship'],
  settings: ['规则设置', 'settings'],
  'staff-profile': ['工作人员资料', 'staff profile'],
};

export const OUTCOME_NAMES: Names = {
  pass: ['通过', 'pass'],
  fail: ['不通过', 'fail'],
  violation: ['违反', 'violation'],
  exception: ['已批准例外', 'exception granted'],
  warn: ['提示', 'warning'],
};

/** `system:<name>` actors: the server's own steps. */
export const SYSTEM_NAMES: Names = {
  demo: ['系统（演示数据）', 'system (demo data)'],
  sealing: ['系统（封卷）', 'system (sealing)'],
  timer: ['系统（计时，到时自动交卷）', 'system (timer)'],
  outage: ['系统（故障补时）', 'system (outage compensation)'],
  grader: ['系统（评分）', 'system (grading)'],
  install: ['系统（安装）', 'system (installation)'],
  delivery: ['系统（考试服务）', 'system (delivery)'],
  cli: ['系统（命令行）', 'system (command line)'],
  test: ['系统（测试）', 'system (test)'],
};

export const EVENT_NAMES: Names = {
  'answer.saved': ['保存答案', 'answer saved'],
  'answers.saved': ['保存答案（批量）', 'answers saved'],
  'answer.refused-after-time': ['超时答案被拒收', 'answer refused after time'],
  'answer.refused-after-submit': ['交卷后答案被拒收（已留存）', 'answer refused after submission (kept)'],
  'answers.refused-late': ['迟到答案被拒收（批量，已留存）', 'late answers refused (kept)'],
  'people.declaration-removal-reviewed': ['审核声明撤回', 'declaration removal reviewed'],
  'attempt.started': ['开始答题', 'started answering'],
  'attempt.submitted': ['交卷', 'submitted'],
  'archive.created': ['生成签名档案', 'archive created'],
  'archive.deleted': ['删除档案', 'archive deleted'],
  'archive.downloaded': ['下载档案', 'archive downloaded'],
  'auth.login-failed': ['登录失败', 'login failed'],
  'auth.staff-logged-in': ['工作人员登录', 'staff logged in'],
  'bank.blueprint-created': ['新建组卷规则', 'blueprint created'],
  'bank.blueprint-retired': ['停用组卷规则', 'blueprint retired'],
  'bank.import-refused': ['题库导入被拒', 'bank import refused'],
  'bank.imported': ['导入题库', 'bank imported'],
  'bank.items-retired': ['停用试题', 'items retired'],
  'bank.items-viewed': ['查看试题', 'items viewed'],
  'bank.version-created': ['生成题库版本', 'bank version created'],
  'bank.version-exported': ['导出题库版本', 'bank version exported'],
  'candidate.collected': ['监考收卷', 'collected by proctor'],
  'candidate.connected': ['考生连接', 'candidate connected'],
  'candidate.disconnected': ['考生断开', 'candidate disconnected'],
  'candidate.extended': ['考生延时', 'time extended'],
  'candidate.logged-in': ['考生登录', 'candidate logged in'],
  'candidate.paused': ['考生暂停', 'candidate paused'],
  'candidate.resumed': ['考生恢复', 'candidate resumed'],
  'candidate.seat-moved': ['调换座位', 'seat moved'],
  'conduct.case-opened': ['反映问题立案', 'case opened'],
  'conduct.evidence-added': ['上传整改材料', 'evidence added'],
  'conduct.inspection-recorded': ['记录监督检查', 'inspection recorded'],
  'conduct.ledger-created': ['整改台账新增问题', 'ledger entry created'],
  'conduct.ledger-transition': ['整改台账状态变更', 'ledger status changed'],
  'conduct.report-closed': ['反映问题办结', 'report closed'],
  'conduct.spot-check': ['现场抽查', 'spot check'],
  'conduct.survey-answered': ['考生填写问卷', 'survey answered'],
  'grading.run': ['评分', 'grading run'],
  'grading.settings-updated': ['修改评分设置', 'grading settings changed'],
  'identity.checked': ['人证核验', 'identity checked'],
  'identity.snapshot': ['考生拍照', 'identity snapshot'],
  'incident.reported': ['考场事件记录', 'incident reported'],
  'integrity.checked': ['诚信规则核查', 'integrity check'],
  'integrity.exception-recorded': ['记录诚信规则例外', 'integrity exception recorded'],
  'integrity.settings-changed': ['修改诚信规则设置', 'integrity settings changed'],
  'link.stale-list-exception': ['禁入名单过期例外（开考）', 'stale ban list exception (opening)'],
  'official.grant-installed': ['安装监管人员授权', 'official grant installed'],
  'official.viewed': ['监管人员查看', 'official viewed'],
  'papers.code-collected': ['保管人领取启封码', 'custodian code collected'],
  'papers.open-refused': ['启封被拒', 'opening refused'],
  'papers.opened': ['启封试卷', 'papers opened'],
  'papers.seal-voided': ['封卷作废', 'seal voided'],
  'papers.sealed': ['封卷', 'papers sealed'],
  'people.candidate-created': ['新增考生', 'candidate created'],
  'people.candidate-updated': ['修改考生信息', 'candidate updated'],
  'people.candidates-imported': ['导入考生', 'candidates imported'],
  'people.declaration-signed': ['签署利益关系申报', 'declaration signed'],
  'people.disciplinary-recorded': ['记录纪律处分', 'disciplinary record added'],
  'people.disciplinary-revoked': ['撤销纪律处分', 'disciplinary record revoked'],
  'people.dishonesty-recorded': ['记录失信单位', 'dishonesty record added'],
  'people.dishonesty-revoked': ['撤销失信记录', 'dishonesty record revoked'],
  'people.organisation-created': ['新增单位', 'organisation created'],
  'people.organisation-updated': ['修改单位', 'organisation updated'],
  'people.staff-imported': ['导入工作人员', 'staff imported'],
  'people.staff-profile-updated': ['修改工作人员资料', 'staff profile updated'],
  'proctor.broadcast': ['全场广播', 'broadcast'],
  'proctor.notice': ['监考提示', 'proctor notice'],
  'proctor.signal': ['考生端信号（切屏等）', 'candidate signal'],
  'proctor.warning': ['监考警告', 'proctor warning'],
  'result.corrected': ['更正成绩', 'result corrected'],
  'result.graded': ['评定成绩', 'result graded'],
  'result.recorded': ['记录成绩', 'result recorded'],
  'results.exported': ['导出成绩', 'results exported'],
  'results.released': ['发布成绩', 'results released'],
  'room.created': ['新增考场', 'room created'],
  'session.candidate-unregistered': ['取消考生报名', 'candidate unregistered'],
  'session.candidates-registered': ['考生报名', 'candidates registered'],
  'session.opened': ['开放入场', 'admission opened'],
  'session.outage-compensated': ['系统故障补时', 'outage compensated'],
  'session.planned': ['排定场次', 'session planned'],
  'session.seats-allocated': ['分配座位', 'seats allocated'],
  'session.staff-assigned': ['指派工作人员', 'staff assigned'],
  'session.staff-unassigned': ['取消指派', 'staff unassigned'],
  'session.transition': ['场次状态变更', 'session state changed'],
  'staff.created': ['新增工作人员账号', 'staff account created'],
  'staff.password-changed': ['修改密码', 'password changed'],
  'video.attached': ['登记考场录像', 'room video attached'],
  'workstation.enrolled': ['登记考位电脑', 'workstation enrolled'],
};

/** Event-type groups for the log's type filter (a prefix matches every type of the group). */
export const EVENT_GROUPS: [prefix: string, zh: string, en: string][] = [
  ['', '全部', 'all'],
  ['identity.', '人证核验', 'identity'],
  ['incident.', '考场事件记录', 'incidents'],
  ['proctor.', '监考消息、切屏', 'proctor & signals'],
  ['answer.', '答题保存', 'answers'],
  ['attempt.', '开始答题、交卷', 'start & submit'],
  ['session.', '场次状态与安排', 'session'],
  ['candidate.', '考生登录、连接', 'candidates'],
  ['papers.', '试卷封存、启封', 'papers'],
  ['integrity.', '诚信规则核查', 'integrity'],
  ['result.', '成绩', 'results'],
  ['conduct.', '行风监督', 'conduct'],
  ['people.', '人员与单位', 'people'],
  ['bank.', '题库', 'bank'],
  ['auth.', '登录', 'logins'],
  ['official.', '监管查看', 'official views'],
];

/** Archive verification steps (`chain session:2` and `parse x.json` carry their subject after a space). */
export const CHECK_NAMES: Names = {
  container: ['档案文件可读，条目齐全', 'archive readable'],
  signature: ['机构签名（Ed25519）有效', 'institution signature'],
  manifest: ['清单格式规范', 'manifest canonical'],
  'entry-hashes': ['每个文件的哈希与清单一致', 'every entry hash matches'],
  chain: ['事件日志链完整', 'event chain intact'],
  parse: ['文件可解析', 'file parses'],
  'signed-heads': ['日志链头签名有效', 'signed chain heads'],
  answers: ['考生答案与日志一致', 'answers match the log'],
  'seal-signature': ['封卷签名有效', 'seal signature'],
  seal: ['封卷清单有效', 'seal manifest'],
  'papers-rederive': ['试卷可由种子、题库版本和组卷规则重新生成', 'papers re-derived'],
  scores: ['成绩可由答案和封存答案重新算出', 'scores recomputed'],
  evidence: ['照片和录像与哈希一致', 'photos and videos match'],
  confidential: ['加密给监管部门的题目和答案可用监管私钥打开', 'items and keys opened with the regulator key'],
  'signer-key': ['按要求采用档案内附的机构公钥', 'embedded institution key accepted as told'],
};

/** What an archive check that could not be made means, by the verifier's gap code (server/src/protocol/audit.ts). */
export const GAP_NAMES: Record<ArchiveGapCode, [zh: string, en: string]> = {
  'embedded-key': [
    '未指定机构公钥：只能用档案自带的公钥核对，无法证明是谁签的名（请先导入机构公布的公钥）',
    'no pinned institution key: checked with the key inside the archive, which does not prove who signed',
  ],
  'sealed-part-missing': [
    '档案中缺少加密给监管部门的题目和答案：抽题和成绩无法核对',
    'the part encrypted to the regulator is missing: the draw and the scores cannot be checked',
  ],
  'no-regulator-key': [
    '未提供监管部门私钥：题目和答案只加密给监管部门，抽题和成绩未核对',
    'no regulator key: items and keys are encrypted to the regulator, so the draw and the scores were not checked',
  ],
  'other-regulator-key': [
    '所给监管私钥打不开本档案的加密部分：抽题和成绩未核对',
    'the regulator key given does not open this archive: the draw and the scores were not checked',
  ],
  'seal-missing': ['档案中没有封卷清单：无法重新生成试卷', 'no seal in the archive: papers cannot be re-derived'],
  'seed-missing': ['档案中没有公开抽题种子：试卷未重新生成', 'the draw seed is not disclosed: papers not re-derived'],
  'scores-not-recomputed': [
    '成绩未用标准答案重新计算：标准答案只加密给监管部门',
    'scores not recomputed: the answer keys are encrypted to the regulator',
  ],
};

export const gapLabel = (code: string, en: boolean): string => label(GAP_NAMES, code, en);

export function checkLabel(name: string, en: boolean): string {
  const [head = name, subject] = name.split(' ');
  const base = label(CHECK_NAMES, head, en);
  if (!subject) return base;
  if (subject === 'institution') return `${base}（${en ? 'institution chain' : '机构日志'}）`;
  const session = /^session:(\d+)$/.exec(subject);
  if (session) return `${base}（${en ? `session ${session[1]}` : `场次日志`}）`;
  return `${base}（${subject.replace(/\.json$/, '')}）`;
}

/** "王建国（主考）", "孙立伟（考生，3 号座）", "系统（封卷）" — never `staff:3`. */
export function personLabel(actor: string, people: Record<string, EventPerson>, en: boolean): string {
  const p = people[actor];
  const system = /^system:(.+)$/.exec(actor);
  if (system) return label(SYSTEM_NAMES, system[1] ?? '', en);
  if (!p)
    return actor.startsWith('staff:') ? (en ? 'unknown staff account' : '未知工作人员账号') : en ? 'unknown' : '未知';
  if (p.kind === 'staff') return `${p.name}（${p.roles.map((r) => label(ROLE_NAMES, r, en)).join('、')}）`;
  if (p.kind === 'candidate')
    return en ? `${p.name} (candidate, seat ${p.seatNo})` : `${p.name}（考生，${p.seatNo} 号座）`;
  return p.name;
}
