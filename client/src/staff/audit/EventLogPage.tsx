import { useCallback, useEffect, useState } from 'react';
import type { AuditEvent, ChainVerificationView, EventPage } from '../../../../server/src/protocol';
import { api, ApiError } from '../../api';
import { useT } from '../../i18n';
import { AuditNav, Link } from './AuditLinks';
import { ChainVerdictView } from './VerdictView';
import './audit.css';

const TYPE_GROUPS: [string, string, string][] = [
  ['', '全部', 'all'],
  ['identity.', '人证核验', 'identity'],
  ['incident.', '事件记录', 'incidents'],
  ['proctor.', '监考消息/切屏', 'proctor & signals'],
  ['answer.', '答题保存', 'answers'],
  ['session.', '场次状态', 'session'],
  ['candidate.', '考生登录/连接', 'candidates'],
  ['papers.', '试卷封存/启封', 'papers'],
  ['result.', '成绩', 'results'],
  ['official.', '监管查看', 'official views'],
];

/** The event log of one chain with filters (type, actor, candidate, time) and chain verification. */
export function EventLogPage({ token, chain, onExpired }: { token: string; chain: string; onExpired: () => void }) {
  const { lang } = useT();
  const en = lang === 'en';
  const L = (zh: string, e: string) => (en ? e : zh);
  const [filters, setFilters] = useState({ type: '', actor: '', registrationId: '', from: '', to: '' });
  const [events, setEvents] = useState<AuditEvent[]>([]);
  const [next, setNext] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [verdict, setVerdict] = useState<ChainVerificationView | null>(null);

  const query = useCallback(
    (afterSeq: number) => {
      const q = new URLSearchParams({ afterSeq: String(afterSeq), limit: '200' });
      if (filters.type) q.set('type', filters.type);
      if (filters.actor) q.set('actor', filters.actor);
      if (filters.registrationId) q.set('registrationId', filters.registrationId);
      if (filters.from) q.set('from', String(new Date(filters.from).getTime()));
      if (filters.to) q.set('to', String(new Date(filters.to).getTime()));
      return api<EventPage>(`/audit/chains/${encodeURIComponent(chain)}?${q.toString()}`, { token });
    },
    [chain, filters, token],
  );
  const load = useCallback(
    (append: boolean, afterSeq = 0) => {
      query(afterSeq).then(
        (page) => {
          setEvents((prev) => (append ? [...prev, ...page.events] : page.events));
          setNext(page.nextAfterSeq);
          setError(null);
        },
        (err: unknown) =>
          err instanceof ApiError && err.status === 401 ? onExpired() : setError(String((err as Error).message)),
      );
    },
    [query, onExpired],
  );
  useEffect(() => load(false), [load]);
  const sessionId = /^session:(\d+)$/.exec(chain)?.[1];

  return (
    <section className="panel audit">
      <AuditNav en={en} />
      <h1>
        {L('事件日志', 'Event log')} <small className="mono">{chain}</small>
      </h1>
      {sessionId && (
        <p>
          <Link href={`/official/sessions/${sessionId}/anomalies`}>{L('异常分析', 'Anomalies')}</Link> ·{' '}
          <Link href={`/official/sessions/${sessionId}/proctor`}>
            {L('座位图（现场抽查）', 'Seat grid (spot check)')}
          </Link>
        </p>
      )}
      <div className="filters">
        <label>
          {L('类型', 'Type')}
          <select name="type" value={filters.type} onChange={(e) => setFilters({ ...filters, type: e.target.value })}>
            {TYPE_GROUPS.map(([v, zh, e]) => (
              <option key={v} value={v}>
                {en ? e : zh}
              </option>
            ))}
          </select>
        </label>
        <label>
          {L('操作者', 'Actor')}
          <input
            name="actor"
            value={filters.actor}
            onChange={(e) => setFilters({ ...filters, actor: e.target.value })}
            placeholder="staff:4 / candidate:2"
          />
        </label>
        <label>
          {L('报名号（registration）', 'Registration id')}
          <input
            name="registrationId"
            value={filters.registrationId}
            onChange={(e) => setFilters({ ...filters, registrationId: e.target.value })}
            style={{ width: 90 }}
          />
        </label>
        <label>
          {L('从', 'From')}
          <input
            type="datetime-local"
            value={filters.from}
            onChange={(e) => setFilters({ ...filters, from: e.target.value })}
          />
        </label>
        <label>
          {L('到', 'To')}
          <input
            type="datetime-local"
            value={filters.to}
            onChange={(e) => setFilters({ ...filters, to: e.target.value })}
          />
        </label>
        <button
          data-testid="verify-chain"
          onClick={() =>
            void api<ChainVerificationView>(`/audit/verify/${encodeURIComponent(chain)}`, { token }).then(
              setVerdict,
              (err: Error) => setError(err.message),
            )
          }
        >
          {L('校验日志链', 'Verify chain')}
        </button>
      </div>
      {verdict && <ChainVerdictView v={verdict} en={en} />}
      {error && <p className="error">{error}</p>}
      <table data-testid="event-log">
        <thead>
          <tr>
            <th>#</th>
            <th>{L('时间', 'Time')}</th>
            <th>{L('操作者', 'Actor')}</th>
            <th>{L('类型', 'Type')}</th>
            <th>{L('内容', 'Payload')}</th>
            <th>hash</th>
          </tr>
        </thead>
        <tbody>
          {events.map((e) => (
            <tr key={e.seq} data-type={e.type}>
              <td>{e.seq}</td>
              <td>{new Date(e.at).toLocaleString()}</td>
              <td>{e.actor}</td>
              <td>{e.type}</td>
              <td className="event-payload">{JSON.stringify(e.payload)}</td>
              <td className="mono">{e.hash.slice(0, 12)}…</td>
            </tr>
          ))}
        </tbody>
      </table>
      {events.length === 0 && <p className="meta">{L('没有符合条件的事件', 'no matching events')}</p>}
      {next !== null && <button onClick={() => load(true, next)}>{L('加载更多', 'More')}</button>}
    </section>
  );
}
