import type { ResultSlip } from '../../../../server/src/protocol';
import { useT } from '../../i18n';
import { formatTime } from '../SessionListPage';
import { useApi } from '../use-api';
import { gradingText, STATUS_LABELS } from './grading-text';
import './grading.css';

/** 成绩通知单: one candidate's result, printable on A4 and handed to the candidate. */
export function ResultSlipPage({
  token,
  registrationId,
  onExpired,
}: {
  token: string;
  registrationId: number;
  onExpired: () => void;
}) {
  const { lang } = useT();
  const g = gradingText(lang);
  const li = lang === 'en' ? 1 : 0;
  const { data, error } = useApi<ResultSlip>(`/results/${registrationId}/slip`, token, onExpired);
  if (error) return <p className="error">{error}</p>;
  if (!data) return <p>…</p>;
  const rows: [string, string][] = [
    [g.name, data.name],
    [g.idNumber, data.idNumber],
    [g.admissionNo, data.admissionNo],
    [g.trainingOrg, data.trainingOrg ?? '—'],
    [g.category, `${data.category} ${data.categoryName}`],
    [g.session, `${data.sessionCode} ${data.sessionName}`],
    [g.examDate, formatTime(data.examStart)],
    [g.score, data.score === null ? '—' : `${data.score} / ${data.maxScore ?? 100}`],
    [g.passMark, String(data.passMark)],
    [g.result, STATUS_LABELS[data.status][li]],
  ];
  return (
    <section className="panel result-slip" data-testid="result-slip">
      <div className="no-print toolbar">
        <a
          href="#back"
          onClick={(e) => {
            e.preventDefault();
            history.back();
          }}
        >
          {g.back}
        </a>
        <span className="spacer" />
        <button onClick={() => window.print()}>{g.print}</button>
      </div>
      <header className="sheet-head">
        <div className="institution">{data.institution}</div>
        <h1>特种设备作业人员理论考试 {g.resultSlip}</h1>
      </header>
      <table className="slip-table">
        <tbody>
          {rows.map(([k, v]) => (
            <tr key={k}>
              <th>{k}</th>
              <td>{v}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {data.corrections.length > 0 && (
        <>
          <h2>{g.corrections}</h2>
          <ul>
            {data.corrections.map((c) => (
              <li key={c.at}>
                {formatTime(c.at)} · {c.kind === 'cancel' ? g.cancel : g.regrade} · {c.reason}
              </li>
            ))}
          </ul>
        </>
      )}
      <p className="hashes mono">
        {data.graderVersion} · paper {data.paperHash?.slice(0, 16)} · answers {data.answersHash?.slice(0, 16)}
      </p>
      <footer className="signatures">
        <div>
          {g.chief}：<span className="sign-line" />
        </div>
        <div>
          {g.date}：<span className="sign-line short" />
        </div>
      </footer>
    </section>
  );
}
