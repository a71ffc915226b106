import type { SessionDetail } from '../../../server/src/protocol';
import { useT } from '../i18n';
import { formatTime } from './SessionListPage';
import { CANDIDATE_STATUS_NAMES, staffText, STATE_NAMES } from './staff-text';
import { useApi } from './use-api';
import { useSessionWatch } from './use-session-watch';
import { ScoreSheetLink } from './grading/GradingRoutes';
import { PapersLinks } from './papers/PapersRoutes';
import { PlanningBar } from './planning/PlanningBar';
import { ConnectionBanner } from './proctoring/ConnectionBanner';
import { ProctoringLinks } from './proctoring/ProctoringRoutes';

export function SessionDetailPage({
  token,
  sessionId,
  onExpired,
}: {
  token: string;
  sessionId: number;
  onExpired: () => void;
}) {
  const { lang } = useT();
  const s = staffText(lang);
  const li = lang === 'en' ? 1 : 0;
  const { data, error, reload } = useApi<SessionDetail>(`/sessions/${sessionId}`, token, onExpired);

  const { link, dismiss } = useSessionWatch(token, sessionId, reload);

  if (error) return <p className="error">{error}</p>;
  if (!data) return <p>…</p>;
  return (
    <section className="panel">
      <h1>
        {data.name} <small>{data.code}</small>
      </h1>
      <ScoreSheetLink sessionId={sessionId} />
      <PapersLinks sessionId={sessionId} state={data.state} />
      <PlanningBar
        token={token}
        sessionId={sessionId}
        state={data.state}
        counts={{
          registered: data.registered,
          submitted: data.submitted,
          answering: data.roster.filter((r) => r.status === 'answering').length,
          absent: data.roster.filter((r) => r.status === 'not-logged-in' || r.status === 'not-started').length,
        }}
        onChanged={reload}
      />
      <ProctoringLinks token={token} sessionId={sessionId} state={data.state} onChanged={reload} />
      <p className="meta">
        {data.category} {data.categoryName} · {data.roomName} · {formatTime(data.scheduledStart)} ·{' '}
        {data.durationMinutes} {lang === 'en' ? 'min' : '分钟'} ·{' '}
        <span className={`state state-${data.state}`}>{STATE_NAMES[data.state]?.[li] ?? data.state}</span> ·{' '}
        {s.submitted} {data.submitted}/{data.registered}
      </p>
      <ConnectionBanner link={link} onDismiss={dismiss} />
      <table data-testid="roster">
        <thead>
          <tr>
            <th>{s.seat}</th>
            <th>{s.admissionNo}</th>
            <th>{s.candidate}</th>
            <th>{s.status}</th>
            <th>{s.progress}</th>
            <th>{s.score}</th>
          </tr>
        </thead>
        <tbody>
          {data.roster.map((r) => (
            <tr key={r.registrationId} data-testid={`roster-${r.admissionNo}`}>
              <td>{r.seatNo}</td>
              <td>{r.admissionNo}</td>
              <td>{r.name}</td>
              <td>
                <span className={`status status-${r.status}`}>
                  {CANDIDATE_STATUS_NAMES[r.status]?.[li] ?? r.status}
                </span>
              </td>
              <td>
                <progress max={r.questionCount} value={r.answered} /> {r.answered}/{r.questionCount}
              </td>
              <td>{r.score === null ? '—' : `${r.score}${r.passed ? ' ✓' : ' ✗'}`}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
