import { useState } from 'react';
import type { ConductSummary } from '../../../../server/src/protocol';
import { useApi } from '../use-api';
import { AREA_NAMES, KIND_NAMES, timeCst, todayCst, useL, type Ctx } from './conduct-common';

const pct = (r: number | null) => (r === null ? '—' : `${Math.round(r * 1000) / 10}%`);

/** 行风建设工作总结: the yearly conduct summary due to the province by 20 December, printable on A4. */
export function SummaryPage({ ctx }: { ctx: Ctx }) {
  const L = useL();
  const [year, setYear] = useState(Number(todayCst().slice(0, 4)));
  const { data: s, error } = useApi<ConductSummary>(`/conduct/summary?year=${year}`, ctx.token, ctx.onExpired);
  return (
    <section className="panel conduct-print summary-page" data-testid="conduct-summary">
      <div className="filters no-print">
        <label>
          {L('年度', 'Year')}{' '}
          <input type="number" min={2000} max={2100} value={year} onChange={(e) => setYear(Number(e.target.value))} />
        </label>
        <button onClick={() => window.print()}>{L('打印', 'Print')}</button>
      </div>
      {error && <p className="error">{error}</p>}
      {s && (
        <>
          <h1>{L(`${s.year} 年度行风建设工作总结`, `Conduct summary ${s.year}`)}</h1>
          <p className="meta">
            {L('报送省局（每年 12 月 20 日前）', 'Due to the province by 20 December')} · {L('生成时间', 'generated')}{' '}
            {timeCst(s.generatedAt)}
          </p>
          <h2>{L('一、监督检查', '1. Inspections')}</h2>
          <p>
            {L(
              `全年监督检查 ${s.inspections.total} 次，其中现场抽查 ${s.inspections.spotChecks} 次。`,
              `${s.inspections.total} inspections, ${s.inspections.spotChecks} of them spot checks.`,
            )}{' '}
            {Object.entries(s.inspections.byArea)
              .map(([a, n]) => `${L(...(AREA_NAMES[a] ?? [a, a]))} ${n}`)
              .join('；')}
          </p>
          <h2>{L('二、问题整改', '2. Findings and rectification')}</h2>
          <table className="conduct-table">
            <tbody>
              <tr>
                <th>{L('发现问题', 'Findings')}</th>
                <td data-testid="summary-findings">{s.findings.total}</td>
                <th>{L('已验收', 'Verified')}</th>
                <td>{s.findings.verified}</td>
              </tr>
              <tr>
                <th>{L('已整改待验收', 'Rectified')}</th>
                <td>{s.findings.rectified}</td>
                <th>{L('未完成', 'Open')}</th>
                <td>{s.findings.open}</td>
              </tr>
              <tr>
                <th>{L('逾期', 'Overdue')}</th>
                <td>{s.findings.overdue}</td>
                <th>{L('整改率', 'Rectification rate')}</th>
                <td data-testid="summary-rate">{pct(s.findings.rectificationRate)}</td>
              </tr>
            </tbody>
          </table>
          <h2>{L('三、群众反映', '3. Reports from candidates')}</h2>
          <p data-testid="summary-reports">
            {L(
              `收到反映 ${s.reports.total} 件（匿名 ${s.reports.anonymous} 件）；立案 ${s.reports.cases} 件，办结不立案 ${s.reports.closed} 件，待处理 ${s.reports.pending} 件。`,
              `${s.reports.total} reports (${s.reports.anonymous} anonymous): ${s.reports.cases} cases, ${s.reports.closed} closed without a case, ${s.reports.pending} pending.`,
            )}{' '}
            {Object.entries(s.reports.byKind)
              .map(([k, n]) => `${L(...(KIND_NAMES[k] ?? [k, k]))} ${n}`)
              .join('；')}
          </p>
          <h2>{L('四、满意度调查', '4. Satisfaction')}</h2>
          <p>
            {L(
              `问卷 ${s.surveys.total} 份，平均 ${s.surveys.average ?? '—'} 分（满分 5 分）。`,
              `${s.surveys.total} surveys, average ${s.surveys.average ?? '—'} of 5.`,
            )}
          </p>
          <h2>{L('五、考试数据', '5. Exam data')}</h2>
          <p>
            {L(
              `考试场次 ${s.exams.sessions} 场，评分 ${s.exams.graded} 人次，合格 ${s.exams.passed} 人次，合格率 ${pct(s.exams.passRate)}；系统检出异常 ${s.exams.anomalies} 项。`,
              `${s.exams.sessions} sessions, ${s.exams.graded} graded, ${s.exams.passed} passed, pass rate ${pct(s.exams.passRate)}; ${s.exams.anomalies} anomalies flagged.`,
            )}
          </p>
          <div className="signatures">
            <p>{L('考试机构（盖章）：', 'Institution (seal):')}</p>
            <p>{L('负责人签字：　　　　　　　日期：', 'Head (signature):            Date:')}</p>
          </div>
        </>
      )}
    </section>
  );
}
