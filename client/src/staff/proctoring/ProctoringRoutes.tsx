import { useState, type ReactElement } from 'react';
import { api } from '../../api';
import { useT } from '../../i18n';
import { Link } from '../audit/AuditLinks';
import { ProctorConsole } from './ProctorConsole';

type Ctx = { token: string; roles: string[]; onExpired: () => void };

/** /staff/sessions/:id/proctor (proctors, chief examiner, admin) and /official/sessions/:id/proctor (read-only). */
export function proctoringPageFor(path: string, ctx: Ctx): ReactElement | null {
  const m = /^\/(staff|official)\/sessions\/(\d+)\/proctor$/.exec(path);
  if (!m) return null;
  const readOnly =
    m[1] === 'official' || !ctx.roles.some((r) => r === 'admin' || r === 'chief_examiner' || r === 'proctor');
  return <ProctorConsole token={ctx.token} sessionId={Number(m[2])} readOnly={readOnly} onExpired={ctx.onExpired} />;
}

/** Links from a session's detail page: proctor console, event log, anomalies; "archive" once graded. */
export function ProctoringLinks({
  token,
  sessionId,
  state,
  onChanged,
}: {
  token: string;
  sessionId: number;
  state: string;
  onChanged: () => void;
}) {
  const { lang } = useT();
  const en = lang === 'en';
  const base = location.pathname.startsWith('/official') ? '/official' : '/staff';
  const [msg, setMsg] = useState<string | null>(null);
  return (
    <nav className="audit-nav">
      <Link href={`${base}/sessions/${sessionId}/proctor`} testId="proctor-console-link">
        {en ? 'Proctor console' : '监考台（座位图）'}
      </Link>
      <Link href={`${base}/audit/log/session:${sessionId}`}>{en ? 'Event log' : '事件日志'}</Link>
      <Link href={`${base}/sessions/${sessionId}/anomalies`}>{en ? 'Anomalies' : '异常分析'}</Link>
      {base === '/staff' && state === 'graded' && (
        <button
          onClick={() =>
            void api<{ file: string }>(`/sessions/${sessionId}/archive`, { token, body: {} }).then(
              (a) => {
                setMsg(`${en ? 'Archived' : '已归档'}: ${a.file}`);
                onChanged();
              },
              (err: Error) => setMsg(err.message),
            )
          }
        >
          {en ? 'Build signed archive' : '生成签名档案并归档'}
        </button>
      )}
      {msg && <span className="meta">{msg}</span>}
    </nav>
  );
}
