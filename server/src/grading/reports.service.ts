import ExcelJS from 'exceljs';
import type { Db } from '../db/open';
import { EventsRepo, INSTITUTION_CHAIN, sessionChain } from '../audit/events.repo';
import { addDays, dayOf, isDay, type Day } from '../integrity/dates';
import { SessionsRepo } from '../sessions/sessions.repo';
import type { Clock } from '../shared/clock';
import { AppError, notFound } from '../shared/errors';
import type { GradingService } from './grading.service';
import { ReportsRepo, type ResultLine, type SheetStatus } from './reports.repo';

export const STATUS_NAMES: Record<SheetStatus, string> = {
  passed: '合格',
  failed: '不合格',
  cancelled: '成绩取消',
  absent: '缺考',
  pending: '未评分',
};

export type Table = { title: string; columns: string[]; rows: (string | number | null)[][] };

export type ScoreSheet = {
  institution: string;
  session: {
    id: number;
    code: string;
    name: string;
    category: string;
    categoryName: string;
    roomName: string;
    scheduledStart: number;
    state: string;
  };
  passMark: number;
  released: { releasedAt: number } | null;
  lines: (Omit<ResultLine, 'idNumber' | 'paperHash' | 'answersHash'> & { idNumberMasked: string })[];
  summary: { registered: number; sat: number; passed: number; absent: number; passRate: number | null };
  generatedAt: number;
};

/** 3201**********1234: a printed sheet is posted and handed round, so it shows no full ID number. */
export const maskIdNumber = (id: string) =>
  id.length > 10 ? `${id.slice(0, 6)}${'*'.repeat(id.length - 10)}${id.slice(-4)}` : id;

/** 'YYYY-MM-DD'..'YYYY-MM-DD' (China Standard Time, both days included) as [from, to) milliseconds. */
export function dayRange(from: Day, to: Day): [number, number] {
  if (!isDay(from) || !isDay(to)) throw new AppError('invalid-input', 'dates must be YYYY-MM-DD');
  if (to < from) throw new AppError('invalid-input', 'the end date is before the start date');
  const ms = (d: Day) => Date.parse(`${d}T00:00:00+08:00`);
  return [ms(from), ms(addDays(to, 1))];
}

/** Score sheets, result slips and the regulator's export; every export is recorded as an event. */
export class ReportsService {
  readonly repo: ReportsRepo;
  private readonly sessions: SessionsRepo;
  private readonly events: EventsRepo;

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly grading: GradingService,
  ) {
    this.repo = new ReportsRepo(db);
    this.sessions = new SessionsRepo(db);
    this.events = new EventsRepo(db);
  }

  scoreSheet(sessionId: number): ScoreSheet {
    const s = this.sessions.get(sessionId);
    if (!s) throw notFound('session', { sessionId });
    const lines = this.repo.sessionLines(sessionId);
    const sat = lines.filter((l) => l.status === 'passed' || l.status === 'failed').length;
    const passed = lines.filter((l) => l.status === 'passed').length;
    const release = this.grading.results.released(sessionId);
    return {
      institution: this.institutionName(),
      session: {
        id: s.id,
        code: s.code,
        name: s.name,
        category: s.category,
        categoryName: s.categoryName,
        roomName: s.roomName,
        scheduledStart: s.scheduledStart,
        state: s.state,
      },
      passMark: this.grading.passMarkFor(sessionId),
      released: release ? { releasedAt: release.releasedAt } : null,
      lines: lines.map(({ idNumber, paperHash: _p, answersHash: _a, ...l }) => ({
        ...l,
        idNumberMasked: maskIdNumber(idNumber),
      })),
      summary: {
        registered: lines.length,
        sat,
        passed,
        absent: lines.filter((l) => l.status === 'absent').length,
        passRate: sat ? Math.round((passed / sat) * 1000) / 10 : null,
      },
      generatedAt: this.clock.now(),
    };
  }

  scoreSheetTable(sessionId: number): Table {
    const sheet = this.scoreSheet(sessionId);
    return {
      title: `成绩单 ${sheet.session.code}`,
      columns: ['座位号', '准考证号', '姓名', '身份证号', '培训机构', '成绩', '结果', '备注'],
      rows: sheet.lines.map((l) => [
        l.seatNo,
        l.admissionNo,
        l.name,
        l.idNumberMasked,
        l.trainingOrg,
        l.score,
        STATUS_NAMES[l.status],
        l.correctionKind === 'regrade' ? '已更正' : '',
      ]),
    };
  }

  /** A candidate's result slip (成绩通知单); staff print it, so it carries the full line. */
  slip(registrationId: number): ResultLine & {
    passMark: number;
    institution: string;
    corrections: { at: number; kind: string; reason: string }[];
  } {
    const line = this.repo.line(registrationId);
    if (!line) throw notFound('registration', { registrationId });
    return {
      ...line,
      passMark: this.grading.passMarkFor(line.sessionId),
      institution: this.institutionName(),
      corrections: this.grading.results
        .corrections(registrationId)
        .map((c) => ({ at: c.correctedAt, kind: c.kind, reason: c.reason })),
    };
  }

  /** All results of sessions held between two dates, for the provincial platform (监管平台). */
  regulatorTable(from: Day, to: Day): Table {
    const [a, b] = dayRange(from, to);
    return {
      title: `考试成绩 ${from} 至 ${to}`,
      columns: [
        '场次编号',
        '作业项目代码',
        '作业项目',
        '考试日期',
        '准考证号',
        '姓名',
        '身份证号',
        '培训机构',
        '工作单位',
        '成绩',
        '满分',
        '结果',
        '更正',
        '评分程序',
        '试卷哈希',
        '答案哈希',
      ],
      rows: this.repo
        .linesBetween(a, b)
        .map((l) => [
          l.sessionCode,
          l.category,
          l.categoryName,
          dayOf(l.examStart),
          l.admissionNo,
          l.name,
          l.idNumber,
          l.trainingOrg,
          l.employer,
          l.score,
          l.maxScore,
          STATUS_NAMES[l.status],
          l.correctionKind === 'regrade' ? '重新评分' : l.correctionKind === 'cancel' ? '取消成绩' : '',
          l.graderVersion,
          l.paperHash,
          l.answersHash,
        ]),
    };
  }

  /** Exports leave the building with personal data: each one is an event (who, what, how many rows). */
  recordExport(
    what: { kind: string; sessionId?: number; from?: string; to?: string; format: string; rows: number },
    actor: string,
  ): void {
    this.db.transaction(() => {
      this.events.append({
        chain: what.sessionId ? sessionChain(what.sessionId) : INSTITUTION_CHAIN,
        at: this.clock.now(),
        actor,
        type: 'results.exported',
        payload: what,
      });
    })();
  }

  private institutionName(): string {
    return this.db.prepare<[], { name: string }>('SELECT name FROM institution WHERE id = 1').get()?.name ?? '考试机构';
  }
}

const FORMULA_START = /^[=+\-@\t\r]/;

/** RFC 4180 CSV with a BOM (Excel opens UTF-8 Chinese correctly); text that looks like a formula is defused. */
export function toCsv(table: Table): string {
  const cell = (v: string | number | null) => {
    if (v === null) return '';
    if (typeof v === 'number') return String(v);
    const s = FORMULA_START.test(v) ? `'${v}` : v;
    return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
  };
  return '\uFEFF' + [table.columns, ...table.rows].map((r) => r.map(cell).join(',')).join('\r\n') + '\r\n';
}

export async function toXlsx(table: Table): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'exam-center';
  const ws = wb.addWorksheet(table.title.slice(0, 31).replace(/[\\/?*[\]:]/g, '-'));
  ws.addRow(table.columns).font = { bold: true };
  // ID numbers and hashes are text: written as strings so Excel does not turn 18 digits into 1.2E+17.
  for (const r of table.rows) ws.addRow(r.map((v) => (v === null ? '' : v)));
  ws.columns.forEach((c) => {
    c.width = 14;
  });
  ws.views = [{ state: 'frozen', ySplit: 1 }];
  return Buffer.from(await wb.xlsx.writeBuffer());
}
