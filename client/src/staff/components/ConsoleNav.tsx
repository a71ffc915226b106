import type { SessionSummary } from '../../../../server/src/protocol';
import { useT } from '../../i18n';
import { useApi } from '../use-api';
import { navigate } from '../use-route';
import './components.css';

type Names = Record<string, [zh: string, en: string]>;

function Go({ href, children, current }: { href: string; children: React.ReactNode; current?: boolean }) {
  return (
    <a
      href={href}
      aria-current={current ? 'page' : undefined}
      onClick={(e) => {
        e.preventDefault();
        navigate(href);
      }}
    >
      {children}
    </a>
  );
}

const has = (roles: string[], ...any: string[]) => roles.some((r) => any.includes(r));

/**
 * The console's navigation on every screen (issue 16: the proctor console and the officials' seat grid were
 * dead ends). Only the sections this login's roles may open.
 */
export function ConsoleNav({ roles, base, path }: { roles: string[]; base: string; path: string }) {
  const en = useT().lang === 'en';
  const L = (zh: string, e: string) => (en ? e : zh);
  const official = base === '/official';
  const links: [href: string, label: string, section: string][] = [
    [base, L('考试场次', 'Sessions'), `${base}/sessions`],
  ];
  if (!official && has(roles, 'admin', 'chief_examiner'))
    links.push(['/staff/plan', L('新建场次', 'Plan'), '/staff/plan']);
  if (!official && has(roles, 'admin', 'bank_keeper')) links.push(['/staff/bank', L('题库', 'Bank'), '/staff/bank']);
  if (has(roles, 'admin', 'chief_examiner', 'official'))
    links.push([`${base}/people`, L('人员与回避', 'People'), `${base}/people`]);
  if (has(roles, 'admin', 'chief_examiner', 'official'))
    links.push([`${base}/results-export`, L('成绩', 'Results'), `${base}/results`]);
  if (has(roles, 'admin', 'chief_examiner', 'official'))
    links.push([
      `${base}/audit`,
      official ? L('监管首页', 'Overview') : L('日志与档案', 'Logs & archives'),
      `${base}/audit`,
    ]);
  if (has(roles, 'admin', 'chief_examiner', 'official'))
    links.push([`${base}/conduct/${official ? 'reports' : 'ledger'}`, L('行风监督', 'Conduct'), `${base}/conduct`]);
  if (!official && has(roles, 'admin')) links.push(['/staff/link', L('监管链接', 'Regulator link'), '/staff/link']);
  const current = (section: string, href: string) =>
    href === base ? path === base || path.startsWith(`${base}/sessions`) : path.startsWith(section);
  return (
    <nav className="console-nav no-print" aria-label={L('主导航', 'Main')}>
      {links.map(([href, label, section]) => (
        <Go key={href} href={href} current={current(section, href)}>
          {label}
        </Go>
      ))}
    </nav>
  );
}

const SESSION_PAGES: Names = {
  proctor: ['监考台（座位图）', 'Proctor console'],
  anomalies: ['异常分析', 'Anomalies'],
  seal: ['封卷', 'Seal'],
  open: ['启封与开考', 'Open'],
  'score-sheet': ['成绩单', 'Score sheet'],
  tickets: ['准考证', 'Admission tickets'],
  'seat-plan': ['座位表', 'Seat plan'],
};
const PAGES: Names = {
  plan: ['新建场次', 'Plan a session'],
  bank: ['题库', 'Bank'],
  people: ['人员与回避', 'People'],
  'results-export': ['成绩导出', 'Results export'],
  'item-analysis': ['试题分析', 'Item analysis'],
  'grading-settings': ['补考规则', 'Re-exam policy'],
  workstation: ['考位登记', 'Workstation'],
  audit: ['日志与档案', 'Logs & archives'],
  conduct: ['行风监督', 'Conduct supervision'],
  link: ['监管链接', 'Regulator link'],
};
const SUB_PAGES: Names = {
  staff: ['工作人员', 'Staff'],
  candidates: ['考生', 'Candidates'],
  organisations: ['组织', 'Organisations'],
  records: ['处分与失信记录', 'Discipline & dishonesty'],
  import: ['批量导入', 'Import'],
  declaration: ['我的声明', 'My declaration'],
  reports: ['考生反映', 'Reports'],
  inspections: ['监督检查', 'Inspections'],
  surveys: ['满意度', 'Surveys'],
  summary: ['年度汇总', 'Yearly summary'],
  ledger: ['整改台账', 'Ledger'],
  officials: ['监管人员账号', 'Officials'],
};

/** Where this screen sits: 考试场次 › N1 叉车司机 理论考试 › 监考台 — each step a link back. */
export function Breadcrumb({
  token,
  base,
  path,
  onExpired,
}: {
  token: string;
  base: string;
  path: string;
  onExpired: () => void;
}) {
  const en = useT().lang === 'en';
  const L = (zh: string, e: string) => (en ? e : zh);
  const n = (names: Names, k: string) => names[k]?.[en ? 1 : 0] ?? k;
  const sessions = useApi<{ sessions: SessionSummary[] }>('/sessions', token, onExpired);
  const sessionName = (id: string) => {
    const s = sessions.data?.sessions.find((x) => String(x.id) === id);
    return s ? `${s.name}` : L(`场次 ${id}`, `Session ${id}`);
  };
  const official = base === '/official';
  const crumbs: [href: string | null, label: string][] = [
    [base, official ? L('全部场次', 'All sessions') : L('考试场次', 'Sessions')],
  ];
  const rest = decodeURIComponent(path.slice(base.length));
  const session = /^\/sessions\/(\d+)(?:\/([a-z-]+))?$/.exec(rest);
  const sessionLog = /^\/audit\/log\/session:(\d+)$/.exec(rest);
  if (session?.[1]) {
    crumbs.push([`${base}/sessions/${session[1]}`, sessionName(session[1])]);
    if (session[2]) crumbs.push([null, n(SESSION_PAGES, session[2])]);
  } else if (sessionLog?.[1]) {
    crumbs.push([`${base}/sessions/${sessionLog[1]}`, sessionName(sessionLog[1])]);
    crumbs.push([null, L('事件日志', 'Event log')]);
  } else if (rest === '/audit/log/institution') {
    crumbs.push([`${base}/audit`, official ? L('监管首页', 'Overview') : n(PAGES, 'audit')]);
    crumbs.push([null, L('机构日志', 'Institution log')]);
  } else if (/^\/results\/\d+\/slip$/.test(rest)) {
    crumbs.push([null, L('成绩通知单', 'Result slip')]);
  } else {
    const [, page = '', sub] = rest.split('/');
    if (page) {
      const label = page === 'audit' && official ? L('监管首页', 'Overview') : n(PAGES, page);
      crumbs.push([sub ? `${base}/${page}` : null, label]);
      if (sub) crumbs.push([null, n(SUB_PAGES, sub)]);
    }
  }
  if (crumbs.length < 2) return null; // the sessions list is the console's home
  return (
    <nav className="breadcrumb no-print" aria-label={L('当前位置', 'You are here')} data-testid="breadcrumb">
      {crumbs.map(([href, label], i) => (
        <span key={i}>
          {i > 0 && <span className="sep"> › </span>}
          {href && i < crumbs.length - 1 ? <Go href={href}>{label}</Go> : <span aria-current="page">{label}</span>}
        </span>
      ))}
    </nav>
  );
}
