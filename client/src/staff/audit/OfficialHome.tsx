import { useState } from 'react';
import type { ArchiveInfo, ArchiveVerdict, SessionSummary } from '../../../../server/src/protocol';
import { api } from '../../api';
import { useT } from '../../i18n';
import { download } from '../grading/download';
import { StateBadge } from '../components/StateBadge';
import { useApi } from '../use-api';
import { AuditNav, Link } from './AuditLinks';
import { ArchiveVerdictView } from './VerdictView';
import './audit.css';
import { formatDate } from '../../time-format';

const LIVE = new Set(['open', 'running', 'paused']);

/** Officials' console home: live sessions for spot checks, every session's log and anomalies, archives. */
export function OfficialHome({ token, onExpired }: { token: string; onExpired: () => void }) {
  const { lang } = useT();
  const en = lang === 'en';
  const L = (zh: string, e: string) => (en ? e : zh);
  const sessions = useApi<{ sessions: SessionSummary[] }>('/sessions', token, onExpired);
  const archives = useApi<{ archives: ArchiveInfo[] }>('/archives', token, onExpired);
  const [verdicts, setVerdicts] = useState<Record<number, ArchiveVerdict | string>>({});
  const list = sessions.data?.sessions ?? [];
  const base = location.pathname.startsWith('/official') ? '/official' : '/staff';

  return (
    <section className="panel audit" data-testid="official-home">
      <AuditNav en={en} />
      <h1>{L('监管控制台（只读）', "Officials' console (read-only)")}</h1>
      <p className="meta">
        {L('本控制台的每次查看均记入机构日志。', 'Every page you open here is logged on the institution chain.')}
      </p>
      <section>
        <h2>{L('正在进行的考试（现场监督抽查）', 'Live sessions (on-site spot checks)')}</h2>
        {list.filter((s) => LIVE.has(s.state)).length === 0 && (
          <p className="meta">{L('当前没有进行中的场次', 'none running now')}</p>
        )}
        <ul>
          {list
            .filter((s) => LIVE.has(s.state))
            .map((s) => (
              <li key={s.id}>
                {s.code} {s.name} · {s.roomName} · <StateBadge state={s.state} en={en} /> ·{' '}
                <Link href={`${base}/sessions/${s.id}/proctor`}>{L('座位图', 'Seat grid')}</Link> ·{' '}
                <Link href={`${base}/audit/log/session:${s.id}`}>{L('日志', 'Log')}</Link>
              </li>
            ))}
        </ul>
      </section>
      <section>
        <h2>{L('全部场次', 'All sessions')}</h2>
        <table>
          <thead>
            <tr>
              <th>{L('场次', 'Session')}</th>
              <th>{L('状态', 'State')}</th>
              <th>{L('人数', 'Candidates')}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {list.map((s) => (
              <tr key={s.id}>
                <td>
                  {s.code} {s.name}
                </td>
                <td>
                  <StateBadge state={s.state} en={en} />
                </td>
                <td>
                  {s.submitted}/{s.registered}
                </td>
                <td>
                  <Link href={`${base}/audit/log/session:${s.id}`} testId={`log-${s.id}`}>
                    {L('事件日志', 'Event log')}
                  </Link>{' '}
                  · <Link href={`${base}/sessions/${s.id}/anomalies`}>{L('异常', 'Anomalies')}</Link> ·{' '}
                  <Link href={`${base}/sessions/${s.id}/proctor`}>{L('座位图', 'Seats')}</Link> ·{' '}
                  <Link href={`${base}/sessions/${s.id}`}>{L('详情与诚信核查记录', 'Detail & integrity checks')}</Link>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <section>
        <h2>{L('档案（签名归档文件）', 'Archives (signed files)')}</h2>
        <p className="meta">
          {L('离线校验（在任意电脑上，只需机构公钥）：', 'Offline (any computer, with the institution key only): ')}
          <code>
            npx exam-center archive verify {L('文件', 'FILE')} --pubkey {L('机构公钥', 'KEY')}
          </code>
        </p>
        <table data-testid="archives">
          <thead>
            <tr>
              <th>{L('场次', 'Session')}</th>
              <th>{L('文件', 'File')}</th>
              <th>SHA-256</th>
              <th>{L('保存至', 'Retain until')}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {(archives.data?.archives ?? []).map((a) => {
              const v = verdicts[a.id];
              return (
                <tr key={a.id}>
                  <td>{a.sessionCode}</td>
                  <td>
                    <code>{a.file.split('/').pop()}</code> ({Math.round(a.size / 1024)} KB)
                  </td>
                  <td className="mono">{a.sha256.slice(0, 16)}…</td>
                  <td>{formatDate(a.retainUntil)}</td>
                  <td>
                    <button
                      onClick={() =>
                        void download(`/archives/${a.id}/download`, token, a.file.split('/').pop() ?? 'archive.zip')
                      }
                    >
                      {L('下载', 'Download')}
                    </button>{' '}
                    <button
                      data-testid={`verify-archive-${a.id}`}
                      onClick={() =>
                        void api<ArchiveVerdict>(`/archives/${a.id}/verify`, { token }).then(
                          (r) => setVerdicts((x) => ({ ...x, [a.id]: r })),
                          (err: Error) => setVerdicts((x) => ({ ...x, [a.id]: err.message })),
                        )
                      }
                    >
                      {L('校验', 'Verify')}
                    </button>
                    {v && (typeof v === 'string' ? <p className="error">{v}</p> : <ArchiveVerdictView v={v} en={en} />)}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </section>
    </section>
  );
}
