import type { SessionSummary } from '../../../server/src/protocol';
import { useT } from '../i18n';
import { staffText, STATE_NAMES } from './staff-text';
import { useApi } from './use-api';
import { navigate } from './use-route';
import { formatDateTime } from '../time-format';

// One format in the centre's time zone for every page that imports it from here (client/src/time-format.ts).
export const formatTime = formatDateTime;

export function SessionListPage({ token, base, onExpired }: { token: string; base: string; onExpired: () => void }) {
  const { lang } = useT();
  const s = staffText(lang);
  const { data, error } = useApi<{ sessions: SessionSummary[] }>('/sessions', token, onExpired);
  return (
    <section className="panel">
      <h1>{s.sessions}</h1>
      {base === '/staff' && (
        <p>
          <a
            href="/staff/workstation"
            onClick={(e) => {
              e.preventDefault();
              navigate('/staff/workstation');
            }}
          >
            {lang === 'en' ? 'Enrol this PC as a workstation →' : '考位登记（在考场电脑上操作）→'}
          </a>
          {' · '}
          <a
            href="/staff/plan"
            onClick={(e) => {
              e.preventDefault();
              navigate('/staff/plan');
            }}
          >
            {lang === 'en' ? 'Plan a new session →' : '新建考试场次 →'}
          </a>
        </p>
      )}
      {error && <p className="error">{error}</p>}
      {data && data.sessions.length === 0 && <p>{s.empty}</p>}
      {data && data.sessions.length > 0 && (
        <table>
          <thead>
            <tr>
              <th>{s.code}</th>
              <th>{s.name}</th>
              <th>{s.category}</th>
              <th>{s.room}</th>
              <th>{s.start}</th>
              <th>{s.duration}</th>
              <th>{s.state}</th>
              <th>{s.registered}</th>
              <th>{s.submitted}</th>
            </tr>
          </thead>
          <tbody>
            {data.sessions.map((x) => (
              <tr key={x.id}>
                <td>
                  <a
                    href={`${base}/sessions/${x.id}`}
                    onClick={(e) => {
                      e.preventDefault();
                      navigate(`${base}/sessions/${x.id}`);
                    }}
                  >
                    {x.code}
                  </a>
                </td>
                <td>{x.name}</td>
                <td>
                  {x.category} {x.categoryName}
                </td>
                <td>{x.roomName}</td>
                <td>{formatTime(x.scheduledStart)}</td>
                <td>{x.durationMinutes}</td>
                <td>
                  <span className={`state state-${x.state}`}>
                    {STATE_NAMES[x.state]?.[lang === 'en' ? 1 : 0] ?? x.state}
                  </span>
                </td>
                <td>{x.registered}</td>
                <td>{x.submitted}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
