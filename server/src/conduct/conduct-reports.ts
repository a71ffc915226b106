import ExcelJS from 'exceljs';
import type { ConductSummary, LedgerEntry, SurveyStat, SurveyStats } from '../protocol';
import type { Clock } from '../shared/clock';
import type { ConductService } from './conduct.service';

const CST_OFFSET_MS = 8 * 3600_000;
/** [start, end) of a Beijing-time calendar year in UTC milliseconds. */
export const yearRange = (year: number): [number, number] => [
  Date.UTC(year, 0, 1) - CST_OFFSET_MS,
  Date.UTC(year + 1, 0, 1) - CST_OFFSET_MS,
];
const dayStart = (day: string): number => Date.parse(`${day}T00:00:00+08:00`);
const round2 = (n: number) => Math.round(n * 100) / 100;

/** Statistics and documents for regulators (行风建设工作总结, 整改工作台账). */
export class ConductReports {
  constructor(
    private readonly conduct: ConductService,
    private readonly clock: Clock,
    private readonly anomalyCount: (sessionId: number) => number,
  ) {}

  /** Satisfaction by session and by month (Beijing time); free-text comments only for officials. */
  surveyStats(fromDay: string, toDay: string, withComments: boolean): SurveyStats {
    const rows = this.conduct.repo.surveys(dayStart(fromDay), dayStart(toDay) + 24 * 3600_000);
    const group = (keyOf: (r: (typeof rows)[number]) => [string, string]): SurveyStat[] => {
      const acc = new Map<string, { label: string; n: number; s: number; f: number; e: number; c: number }>();
      for (const r of rows) {
        const [key, label] = keyOf(r);
        const a = acc.get(key) ?? { label, n: 0, s: 0, f: 0, e: 0, c: 0 };
        a.n += 1;
        a.s += r.service;
        a.f += r.fairness;
        a.e += r.equipment;
        a.c += r.staffConduct;
        acc.set(key, a);
      }
      return [...acc.entries()].map(([key, a]) => ({
        key,
        label: a.label,
        count: a.n,
        service: round2(a.s / a.n),
        fairness: round2(a.f / a.n),
        equipment: round2(a.e / a.n),
        staffConduct: round2(a.c / a.n),
      }));
    };
    const month = (at: number) => new Date(at + CST_OFFSET_MS).toISOString().slice(0, 7);
    return {
      total: rows.length,
      bySession: group((r) => [String(r.sessionId), r.sessionCode]),
      byMonth: group((r) => [month(r.submittedAt), month(r.submittedAt)]).sort((a, b) => a.key.localeCompare(b.key)),
      comments: withComments
        ? rows
            .filter((r) => r.comment)
            .map((r) => ({ sessionCode: r.sessionCode, comment: r.comment, at: r.submittedAt }))
        : null,
    };
  }

  /** The yearly conduct summary due to the province by 20 December. */
  summary(year: number): ConductSummary {
    const [from, to] = yearRange(year);
    const repo = this.conduct.repo;
    const inspections = repo.inspections(`${year}-01-01`, `${year}-12-31`);
    const byArea: Record<string, number> = {};
    for (const i of inspections) for (const a of i.areas) byArea[a] = (byArea[a] ?? 0) + 1;
    const ledger = this.conduct.ledger().filter((e) => e.createdAt >= from && e.createdAt < to);
    const verified = ledger.filter((e) => e.status === 'verified').length;
    const rectified = ledger.filter((e) => e.status === 'rectified').length;
    const reports = repo.reportsFiled(from, to);
    const byKind: Record<string, number> = {};
    for (const r of reports) byKind[r.kind] = (byKind[r.kind] ?? 0) + 1;
    const surveys = repo.surveys(from, to);
    const sessions = repo.sessionsBetween(from, to);
    const results = repo.resultsBetween(from, to);
    let anomalies = 0;
    for (const s of sessions.filter((x) => ['closed', 'graded', 'archived'].includes(x.state))) {
      try {
        anomalies += this.anomalyCount(s.id);
      } catch {
        // a session whose data cannot be analysed is counted as none here; the officials' console shows it
      }
    }
    return {
      year,
      generatedAt: this.clock.now(),
      inspections: {
        total: inspections.length,
        spotChecks: inspections.filter((i) => i.kind === 'spot-check').length,
        byArea,
      },
      findings: {
        total: ledger.length,
        verified,
        rectified,
        open: ledger.length - verified - rectified,
        overdue: ledger.filter((e) => e.overdue).length,
        // 整改率: verified findings over all findings of the year.
        rectificationRate: ledger.length ? round2(verified / ledger.length) : 1,
      },
      reports: {
        total: reports.length,
        anonymous: reports.filter((r) => r.anonymous === 1).length,
        cases: reports.filter((r) => r.status === 'case').length,
        closed: reports.filter((r) => r.status === 'closed').length,
        pending: reports.filter((r) => r.status === 'new').length,
        byKind,
      },
      surveys: {
        total: surveys.length,
        average: surveys.length
          ? round2(
              surveys.reduce((s, r) => s + (r.service + r.fairness + r.equipment + r.staffConduct) / 4, 0) /
                surveys.length,
            )
          : null,
      },
      exams: {
        sessions: sessions.length,
        graded: results.graded,
        passed: results.passed,
        passRate: results.graded ? round2(results.passed / results.graded) : null,
        anomalies,
      },
    };
  }
}

const STATUS_ZH: Record<string, string> = {
  open: '待整改',
  rectifying: '整改中',
  rectified: '已整改待验收',
  verified: '已验收',
};

/** 整改工作台账 as Excel: one row per finding, overdue rows in red. */
export async function ledgerWorkbook(entries: LedgerEntry[]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('整改工作台账');
  ws.columns = [
    { header: '序号', key: 'id', width: 6 },
    { header: '来源', key: 'source', width: 10 },
    { header: '问题清单 Problem', key: 'problem', width: 40 },
    { header: '举措清单 Measure', key: 'measure', width: 40 },
    { header: '责任人 Responsible', key: 'responsible', width: 14 },
    { header: '整改时限 Deadline', key: 'deadline', width: 12 },
    { header: '状态 Status', key: 'status', width: 14 },
    { header: '逾期 Overdue', key: 'overdue', width: 8 },
    { header: '证明材料 Evidence', key: 'evidence', width: 10 },
  ];
  ws.getRow(1).font = { bold: true };
  for (const e of entries) {
    const row = ws.addRow({
      id: e.id,
      source: e.fromReport ? '群众反映' : e.inspectionId ? `检查 #${e.inspectionId}` : '',
      problem: e.problem,
      measure: e.measure,
      responsible: e.responsible,
      deadline: e.deadline,
      status: STATUS_ZH[e.status] ?? e.status,
      overdue: e.overdue ? '是' : '',
      evidence: e.evidence.length,
    });
    if (e.overdue) row.font = { color: { argb: 'FFC00000' } };
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}
