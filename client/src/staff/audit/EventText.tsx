import type { ReactNode } from 'react';
import type { AuditEvent, EventPerson } from '../../../../server/src/protocol';
import { label, OUTCOME_NAMES, personLabel, ROLE_NAMES, RULE_NAMES, STATE_NAMES, type Names } from '../catalogue';

// What an event says, as a sentence a person reads (issue 16); the raw payload stays one click away.
const SUBMIT_REASONS: Names = {
  candidate: ['考生本人交卷', 'submitted by the candidate'],
  timer: ['时间到，系统自动交卷', 'time up, submitted automatically'],
  proctor: ['监考收卷', 'collected by a proctor'],
  'time-up': ['时间到，系统自动交卷', 'time up, submitted automatically'],
};
const SIGNALS: Names = {
  'focus-lost': ['切出考试窗口', 'left the exam window'],
  'fullscreen-exit': ['退出全屏', 'left full screen'],
  'copy-attempt': ['尝试复制', 'tried to copy'],
  'paste-attempt': ['尝试粘贴', 'tried to paste'],
  'visibility-hidden': ['页面被隐藏', 'page hidden'],
};
const PURPOSES: Names = {
  assign: ['指派工作人员', 'staff assignment'],
  register: ['考生报名', 'registration'],
  open: ['启封前复核', 'before opening'],
  custodian: ['选择保管人', 'custodian choice'],
  seal: ['封卷前核查', 'before sealing'],
  check: ['核查', 'check'],
};
const INCIDENTS: Names = {
  phone: ['携带手机', 'phone found'],
  cheating: ['作弊', 'cheating'],
  impersonation: ['替考嫌疑', 'impersonation'],
  disruption: ['扰乱考场', 'disruption'],
  equipment: ['设备故障', 'equipment failure'],
  health: ['身体不适', 'health'],
  other: ['其他', 'other'],
};
const LEDGER: Names = {
  open: ['已立案', 'open'],
  rectifying: ['整改中', 'rectifying'],
  rectified: ['已整改待验收', 'rectified'],
  verified: ['已验收', 'verified'],
};
const POOLS: Names = { exam: ['考试题库', 'exam pool'], practice: ['练习题库', 'practice pool'] };
const FIELDS: Names = {
  reason: ['原因', 'reason'],
  note: ['说明', 'note'],
  text: ['内容', 'text'],
  name: ['名称', 'name'],
  username: ['用户名', 'username'],
  seatNo: ['座位', 'seat'],
  score: ['成绩', 'score'],
  count: ['数量', 'count'],
  summary: ['摘要', 'summary'],
  documentNo: ['文号', 'document'],
  authority: ['决定机关', 'authority'],
  decisionDate: ['决定日期', 'decided'],
  problem: ['问题', 'problem'],
  measure: ['举措', 'measure'],
  responsible: ['责任人', 'responsible'],
  deadline: ['整改期限', 'deadline'],
  minutes: ['分钟', 'minutes'],
  seconds: ['秒', 'seconds'],
  lostMs: ['中断毫秒数', 'lost ms'],
  category: ['作业项目', 'category'],
  itemCount: ['题数', 'items'],
  paperCount: ['试卷份数', 'papers'],
  filename: ['文件', 'file'],
};

type Ctx = { people: Record<string, EventPerson>; en: boolean };

const str = (v: unknown): string => (typeof v === 'string' ? v : v === undefined || v === null ? '' : String(v));

/** A code-like value (a hash, a file path, an enum we have no name for) stays visibly technical. */
function value(v: unknown): ReactNode {
  const s = str(v);
  return /^[\w./:-]+$/.test(s) && /[a-z][._:-]|[0-9a-f]{16}/.test(s) ? (
    <code>{s.length > 40 ? `${s.slice(0, 16)}…` : s}</code>
  ) : (
    s
  );
}

function sentence(e: AuditEvent, { people, en }: Ctx): ReactNode {
  const p = e.payload;
  const L = (zh: string, english: string) => (en ? english : zh);
  const who = (key: string) => personLabel(key, people, en);
  const candidate = typeof p.registrationId === 'number' ? who(`candidate:${p.registrationId}`) : null;
  const staff = typeof p.staffId === 'number' ? who(`staff:${p.staffId}`) : null;
  // The candidate is named only when someone else acted about them.
  const about = candidate && e.actor !== `candidate:${String(p.registrationId)}` ? `${candidate}：` : '';
  switch (e.type) {
    case 'session.transition':
      return (
        <>
          {L('状态', 'state')}: {label(STATE_NAMES, str(p.from), en)} → {label(STATE_NAMES, str(p.to), en)}
          {p.reason ? ` · ${str(p.reason)}` : ''}
        </>
      );
    case 'answer.saved':
      return L(
        `第 ${str(p.position)} 题（第 ${str(p.seq)} 次保存）`,
        `question ${str(p.position)} (save #${str(p.seq)})`,
      );
    case 'attempt.submitted':
      return about + label(SUBMIT_REASONS, str(p.reason || 'candidate'), en);
    case 'candidate.logged-in':
      return L(`${str(p.seatNo)} 号座位登录 · 地址 ${str(p.ip)}`, `logged in at seat ${str(p.seatNo)} · ${str(p.ip)}`);
    case 'identity.checked':
      return (
        <>
          {about}
          {p.outcome === 'pass'
            ? L('核验通过', 'passed')
            : p.outcome === 'override'
              ? L('人工确认', 'confirmed manually')
              : L('核验未通过', 'failed')}
          {p.locked ? L('，座位已锁定', ', seat locked') : ''}
          {p.note ? ` · ${str(p.note)}` : ''}
        </>
      );
    case 'identity.snapshot':
      return p.camera === 'none' ? `${L('无摄像头', 'no camera')} · ${str(p.reason)}` : L('已拍照', 'photo taken');
    case 'incident.reported':
      return `${about}${label(INCIDENTS, str(p.type), en)}${p.seatNo ? L(` · ${str(p.seatNo)} 号座`, ` · seat ${str(p.seatNo)}`) : ''} · ${str(p.note)}`;
    case 'proctor.signal':
      return label(SIGNALS, str(p.kind), en);
    case 'proctor.warning':
    case 'proctor.notice':
    case 'proctor.broadcast':
      return `${about}${str(p.text)}`;
    case 'integrity.checked': {
      const rules = Array.isArray(p.rules) ? (p.rules as unknown[]).map(str) : [];
      return (
        <>
          {label(PURPOSES, str(p.purpose), en)} · {L('结论', 'outcome')} {label(OUTCOME_NAMES, str(p.outcome), en)} ·{' '}
          {rules
            .map((r) => {
              const [rule = r, outcome = ''] = r.split(':');
              return `${label(RULE_NAMES, rule, en)} ${label(OUTCOME_NAMES, outcome, en)}`;
            })
            .join('；')}
        </>
      );
    }
    case 'session.staff-assigned':
    case 'session.staff-unassigned':
      return `${staff ?? ''} · ${label(ROLE_NAMES, str(p.duty), en)}`;
    case 'papers.sealed':
      return L(`封存 ${str(p.paperCount)} 份试卷`, `${str(p.paperCount)} papers sealed`);
    case 'papers.opened': {
      const custodians = Array.isArray(p.custodians) ? (p.custodians as { slot?: string; staffId?: number }[]) : [];
      return `${L('保管人', 'custodians')}: ${custodians.map((c) => `${c.slot ?? ''} ${who(`staff:${String(c.staffId)}`)}`).join('、')}`;
    }
    case 'result.recorded':
    case 'result.graded':
      return `${about}${str(p.score)} ${L('分', 'points')} · ${p.passed ? L('合格', 'pass') : L('不合格', 'fail')}`;
    case 'bank.version-created':
      return `${str(p.category)} ${label(POOLS, str(p.pool), en)} · ${str(p.itemCount)} ${L('题', 'items')}`;
    case 'conduct.ledger-transition':
      return `${L('台账', 'ledger')} #${str(p.ledgerId)}: ${label(LEDGER, str(p.from), en)} → ${label(LEDGER, str(p.to), en)} · ${str(p.note)}`;
    case 'staff.created':
      return `${str(p.username)} · ${(Array.isArray(p.roles) ? (p.roles as unknown[]) : []).map((r) => label(ROLE_NAMES, str(r), en)).join('、')}`;
    case 'official.viewed':
      return (
        <>
          {L('查看', 'viewed')} <code>{str(p.path)}</code>
        </>
      );
    default:
      return fields(e, { people, en });
  }
}

/** Events without a sentence: their plain fields, labelled; the rest is in the raw JSON. */
function fields(e: AuditEvent, { people, en }: Ctx): ReactNode {
  const p = e.payload;
  const parts: ReactNode[] = [];
  if (typeof p.registrationId === 'number' && e.actor !== `candidate:${p.registrationId}`)
    parts.push(personLabel(`candidate:${p.registrationId}`, people, en));
  if (typeof p.staffId === 'number') parts.push(personLabel(`staff:${p.staffId}`, people, en));
  if (typeof p.ledgerId === 'number') parts.push(`${en ? 'ledger' : '台账'} #${p.ledgerId}`);
  for (const [k, v] of Object.entries(p)) {
    const name = FIELDS[k];
    if (!name || v === null || v === '' || typeof v === 'object') continue;
    parts.push(
      <span key={k}>
        {name[en ? 1 : 0]}: {value(v)}
      </span>,
    );
  }
  return parts.map((x, i) => (
    <span key={i}>
      {i > 0 && ' · '}
      {x}
    </span>
  ));
}

/** The content cell of a log row: the sentence, then the raw event (seq, hashes, JSON) folded. */
export function EventText({ e, people, en }: { e: AuditEvent } & Ctx) {
  return (
    <>
      <span className="event-sentence">{sentence(e, { people, en })}</span>
      <details className="event-raw">
        <summary>{en ? 'raw' : '原始记录'}</summary>
        <pre>
          {`#${e.seq} ${e.type} ${e.actor}\nhash ${e.hash}\nprev ${e.prevHash}\n`}
          {JSON.stringify(e.payload, null, 2)}
        </pre>
      </details>
    </>
  );
}
