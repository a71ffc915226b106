import { useState } from 'react';
import type { GradeSessionReport, ScoreSheet } from '../../../../server/src/protocol';
import { api } from '../../api';
import { useT } from '../../i18n';
import { formatTime } from '../SessionListPage';
import { useApi } from '../use-api';
import { navigate } from '../use-route';
import { download } from './download';
import { gradingText, STATUS_LABELS } from './grading-text';
import './grading.css';

type Props = { token: string; roles: string[]; base: string; sessionId: number; onExpired: () => void };

/** 成绩单: the printable per-session score sheet (A4), with grading, release, corrections and exports. */
export function ScoreSheetPage({ token, roles, base, sessionId, onExpired }: Props) {
  const { lang } = useT();
  const g = gradingText(lang);
  const li = lang === 'en' ? 1 : 0;
  const { data, error, reload } = useApi<ScoreSheet>(`/sessions/${sessionId}/score-sheet`, token, onExpired);
  const [busy, setBusy] = useState<string | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [report, setReport] = useState<GradeSessionReport | null>(null);
  const [correcting, setCorrecting] = useState<number | null>(null);
  const examiner = roles.includes('admin') || roles.includes('chief_examiner');

  const act = async (what: string, run: () => Promise<unknown>) => {
    setBusy(what);
    setMessage(null);
    try {
      await run();
      reload();
    } catch (err) {
      setMessage(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(null);
    }
  };

  if (error) return <p className="error">{error}</p>;
  if (!data) return <p>…</p>;
  const { session, summary } = data;
  const file = `成绩单-${session.code}`;
  return (
    <section className="panel score-sheet">
      <div className="no-print toolbar">
        <a
          href={`${base}/sessions/${sessionId}`}
          onClick={(e) => {
            e.preventDefault();
            navigate(`${base}/sessions/${sessionId}`);
          }}
        >
          {g.back}
        </a>
        <span className="spacer" />
        <button onClick={() => window.print()}>{g.print}</button>
        <button
          onClick={() =>
            act('csv', () => download(`/sessions/${sessionId}/score-sheet?format=csv`, token, `${file}.csv`))
          }
        >
          {g.exportCsv}
        </button>
        <button
          onClick={() =>
            act('xlsx', () => download(`/sessions/${sessionId}/score-sheet?format=xlsx`, token, `${file}.xlsx`))
          }
        >
          {g.exportXlsx}
        </button>
        {examiner && (session.state === 'closed' || session.state === 'graded') && (
          <button
            className="primary"
            disabled={busy !== null}
            onClick={() =>
              act('grade', async () =>
                setReport(await api<GradeSessionReport>(`/sessions/${sessionId}/grade`, { method: 'POST', token })),
              )
            }
          >
            {g.grade}
          </button>
        )}
        {examiner && session.state === 'graded' && !data.released && (
          <button
            className="primary"
            disabled={busy !== null}
            onClick={() => act('release', () => api(`/sessions/${sessionId}/release`, { method: 'POST', token }))}
          >
            {g.release}
          </button>
        )}
      </div>
      {message && <p className="error no-print">{message}</p>}
      {report && (
        <div className="grade-report no-print" data-testid="grade-report">
          <strong>{g.gradeReport}</strong>: {lang === 'en' ? 'graded' : '新评分'} {report.graded.length} ·{' '}
          {lang === 'en' ? 'verified' : '复核一致'} {report.verified}
          {report.corrected.length > 0 &&
            ` · ${lang === 'en' ? 'regraded before release' : '发布前重评'} ${report.corrected.length}`}
          {report.mismatches.length > 0 && (
            <p className="error">
              {report.mismatches.length} {g.mismatches}:{' '}
              {report.mismatches.map((m) => `#${m.registrationId} ${m.stored.score}→${m.recomputed.score}`).join('，')}
            </p>
          )}
          {report.errors.length > 0 && (
            <p className="error">
              {g.errors}: {report.errors.map((e) => `#${e.registrationId} ${e.code}`).join('，')}
            </p>
          )}
        </div>
      )}

      <header className="sheet-head">
        <div className="institution">{data.institution}</div>
        <h1>
          {session.categoryName} {g.scoreSheet}
        </h1>
        <div className="sheet-meta">
          <span>
            {g.session}：{session.code} {session.name}
          </span>
          <span>
            {g.examDate}：{formatTime(session.scheduledStart)} · {session.roomName}
          </span>
          <span>
            {g.passMark}：{data.passMark} ·{' '}
            {data.released ? `${g.released} ${formatTime(data.released.releasedAt)}` : g.notReleased}
          </span>
        </div>
      </header>
      <table className="sheet-table" data-testid="score-sheet">
        <thead>
          <tr>
            <th>{g.seat}</th>
            <th>{g.admissionNo}</th>
            <th>{g.name}</th>
            <th>{g.idNumber}</th>
            <th>{g.trainingOrg}</th>
            <th className="num">{g.score}</th>
            <th>{g.result}</th>
            <th>{g.note}</th>
            <th className="no-print" />
          </tr>
        </thead>
        <tbody>
          {data.lines.map((l) => (
            <tr key={l.registrationId} className={`line-${l.status}`}>
              <td>{l.seatNo}</td>
              <td>{l.admissionNo}</td>
              <td>{l.name}</td>
              <td className="mono">{l.idNumberMasked}</td>
              <td>{l.trainingOrg ?? ''}</td>
              <td className="num">{l.score ?? '—'}</td>
              <td>{STATUS_LABELS[l.status][li]}</td>
              <td>{l.correctionKind === 'regrade' ? g.corrected : ''}</td>
              <td className="no-print actions">
                {l.score !== null && (
                  <a
                    href={`${base}/results/${l.registrationId}/slip`}
                    onClick={(e) => {
                      e.preventDefault();
                      navigate(`${base}/results/${l.registrationId}/slip`);
                    }}
                  >
                    {g.slip}
                  </a>
                )}
                {examiner && l.score !== null && l.status !== 'cancelled' && (
                  <button
                    className="link"
                    onClick={() => setCorrecting(correcting === l.registrationId ? null : l.registrationId)}
                  >
                    {g.correction}
                  </button>
                )}
                {correcting === l.registrationId && (
                  <CorrectionForm
                    token={token}
                    registrationId={l.registrationId}
                    onDone={() => {
                      setCorrecting(null);
                      reload();
                    }}
                  />
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="sheet-summary">
        {g.registered} {summary.registered} · {g.sat} {summary.sat} · {g.passed} {summary.passed} · {g.absent}{' '}
        {summary.absent} · {g.passRate} {summary.passRate === null ? '—' : `${summary.passRate}%`}
      </p>
      <footer className="signatures">
        <div>
          {g.chief}：<span className="sign-line" />
        </div>
        <div>
          {g.proctors}：<span className="sign-line" />
          <span className="sign-line" />
        </div>
        <div>
          {g.date}：<span className="sign-line short" />
        </div>
      </footer>
      <p className="printed-at">
        {g.generated}：{formatTime(data.generatedAt)}
      </p>
    </section>
  );
}

function CorrectionForm({
  token,
  registrationId,
  onDone,
}: {
  token: string;
  registrationId: number;
  onDone: () => void;
}) {
  const { lang } = useT();
  const g = gradingText(lang);
  const [kind, setKind] = useState<'regrade' | 'cancel'>('regrade');
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  return (
    <form
      className="correction-form"
      onSubmit={(e) => {
        e.preventDefault();
        api(`/results/${registrationId}/correction`, { body: { kind, reason }, token })
          .then(onDone)
          .catch((err: unknown) => setError(err instanceof Error ? err.message : String(err)));
      }}
    >
      <select value={kind} onChange={(e) => setKind(e.target.value as 'regrade' | 'cancel')}>
        <option value="regrade">{g.regrade}</option>
        <option value="cancel">{g.cancel}</option>
      </select>
      <input required minLength={4} placeholder={g.reason} value={reason} onChange={(e) => setReason(e.target.value)} />
      <button type="submit">{g.submit}</button>
      {error && <span className="error">{error}</span>}
    </form>
  );
}
