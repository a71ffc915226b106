import type { AnomalyReport } from '../../../../server/src/protocol';
import { useT } from '../../i18n';
import { useApi } from '../use-api';
import { AuditNav, Link } from './AuditLinks';
import { logHref } from './EventLogPage';
import './audit.css';
import { formatClock } from '../../time-format';

/** Anomalies of one session: focus losses, answers too fast to read, improbable identical wrong answers. */
export function AnomaliesPage({
  token,
  sessionId,
  onExpired,
}: {
  token: string;
  sessionId: number;
  onExpired: () => void;
}) {
  const { lang } = useT();
  const en = lang === 'en';
  const L = (zh: string, e: string) => (en ? e : zh);
  const { data, error } = useApi<AnomalyReport>(`/audit/sessions/${sessionId}/anomalies`, token, onExpired);
  if (error) return <p className="error">{error}</p>;
  if (!data) return <p>…</p>;
  const s = data.settings;
  const base = location.pathname.startsWith('/official') ? '/official' : '/staff';
  const chain = `session:${sessionId}`;
  // The events behind an anomaly: that candidate's signals, or their saves in the fast run.
  const evidence = (registrationId: number, type: string, from?: number, to?: number, who?: string) => (
    <Link
      href={logHref(base, chain, {
        registrationId: String(registrationId),
        type,
        ...(from !== undefined ? { from: String(from) } : {}),
        ...(to !== undefined ? { to: String(to) } : {}),
      })}
    >
      {who ? L(`${who}的作答记录`, `${who}'s answers`) : L('查看相关事件', 'events')}
    </Link>
  );
  return (
    <section className="panel audit">
      <AuditNav en={en} />
      <h1>{L('异常分析', 'Anomalies')}</h1>
      <p>
        <Link href={logHref(base, chain)}>{L('查看事件日志', 'Event log')}</Link> ·{' '}
        <Link href={`${base}/sessions/${sessionId}`}>{L('场次详情', 'Session detail')}</Link>
      </p>
      <details open>
        <summary>{L('判定规则与阈值', 'Rules and thresholds')}</summary>
        <ul className="meta">
          <li>
            {L(
              `切屏/退出全屏 ≥ ${s.focusLossThreshold} 次`,
              `focus losses / fullscreen exits ≥ ${s.focusLossThreshold}`,
            )}
          </li>
          <li>
            {L(
              `连续 ≥ ${s.fastRunLength} 题，相邻两次保存间隔 < ${s.fastGapMs / 1000} 秒（来不及读题）`,
              `a run of ≥ ${s.fastRunLength} answers each saved < ${s.fastGapMs / 1000} s after the previous`,
            )}
          </li>
          <li>
            {L(
              `雷同错误答案（邻座优先）：两名考生在同一道题上选了相同的错误答案的题数，若远多于各自独立作答时可能出现的数目（按全场各错误选项的比例估算，泊松分布），且这种巧合的概率 p < ${s.copyPValue}，即列为异常。`,
              `Identical wrong answers (neighbours first): flagged when two candidates share far more identical wrong answers than independent answering would give (from the session's answer shares, Poisson tail), with p < ${s.copyPValue}.`,
            )}
            <details className="event-raw">
              <summary>{L('统计公式', 'formula')}</summary>
              <pre>{data.statistic}</pre>
            </details>
          </li>
        </ul>
      </details>
      {data.anomalies.length === 0 && <p>{L('未发现异常', 'No anomalies')}</p>}
      <table data-testid="anomalies">
        <thead>
          <tr>
            <th>{L('类型', 'Kind')}</th>
            <th>{L('考生 / 座位', 'Candidate / seat')}</th>
            <th>{L('依据', 'Evidence')}</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {data.anomalies.map((a, i) => (
            <tr key={i}>
              {a.kind === 'focus-loss' && (
                <>
                  <td>{L('频繁切屏', 'Focus losses')}</td>
                  <td>
                    {a.name} · {L('座位', 'seat')} {a.seatNo}
                  </td>
                  <td>
                    {a.count} {L('次', 'times')} (≥ {a.threshold})
                  </td>
                  <td>{evidence(a.registrationId, 'proctor.')}</td>
                </>
              )}
              {a.kind === 'fast-answers' && (
                <>
                  <td>{L('答题过快', 'Answers too fast')}</td>
                  <td>
                    {a.name} · {L('座位', 'seat')} {a.seatNo}
                  </td>
                  <td>
                    {L(
                      `连续 ${a.run} 题，最长间隔 ${(a.maxGapMs / 1000).toFixed(1)} 秒`,
                      `${a.run} answers in a row, longest gap ${(a.maxGapMs / 1000).toFixed(1)} s`,
                    )}{' '}
                    ({formatClock(a.from)}–{formatClock(a.to)})
                  </td>
                  <td>{evidence(a.registrationId, 'answer.', a.from, a.to)}</td>
                </>
              )}
              {a.kind === 'identical-wrong' && (
                <>
                  <td>
                    {L('雷同错误答案', 'Identical wrong answers')}{' '}
                    {a.neighbours && <strong>{L('（邻座）', '(neighbours)')}</strong>}
                  </td>
                  <td>
                    {a.a.name} ({a.a.seatNo}) ↔ {a.b.name} ({a.b.seatNo})
                  </td>
                  <td>
                    {L(
                      `共同题 ${a.sharedItems}，相同错误 ${a.identicalWrong}，独立作答期望 ${a.expected}，p = ${a.pValue.toExponential(2)}`,
                      `${a.sharedItems} shared items, ${a.identicalWrong} identical wrong, expected ${a.expected}, p = ${a.pValue.toExponential(2)}`,
                    )}
                  </td>
                  <td>
                    {evidence(a.a.registrationId, 'answer.', undefined, undefined, a.a.name)} ·{' '}
                    {evidence(a.b.registrationId, 'answer.', undefined, undefined, a.b.name)}
                  </td>
                </>
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
