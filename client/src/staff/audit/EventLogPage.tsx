import { useCallback, useEffect, useState } from 'react';
import type {
  AuditEvent,
  ChainVerificationView,
  EventPage,
  EventPerson,
  SessionDetail,
} from '../../../../server/src/protocol';
import { api, ApiError } from '../../api';
import { useT } from '../../i18n';
import { EVENT_GROUPS, EVENT_NAMES, label, personLabel } from '../catalogue';
import { formatDateTime, parseCentreDateTime } from '../../time-format';
import { useApi } from '../use-api';
import { AuditNav, Link } from './AuditLinks';
import { EventText } from './EventText';
import { ChainVerdictView } from './VerdictView';
import './audit.css';

const PAGE = 50;
// The session's name and roster only label the page: a failure there is not worth a logout (stable identity).
const ignore = () => {};
type Filters = { type: string; actor: string; registrationId: string; ledgerId: string; from: string; to: string };
const KEYS: (keyof Filters)[] = ['type', 'actor', 'registrationId', 'ledgerId', 'from', 'to'];

/** Filters live in the address, so an anomaly or a ledger case can link straight to the events behind it. */
function filtersFromUrl(): Filters {
  const q = new URLSearchParams(location.search);
  return {
    type: q.get('type') ?? '',
    actor: q.get('actor') ?? '',
    registrationId: q.get('registrationId') ?? '',
    ledgerId: q.get('ledgerId') ?? '',
    from: q.get('from') ?? '',
    to: q.get('to') ?? '',
  };
}

/** Link to a chain's log with filters (from/to as epoch ms or datetime-local text). */
export function logHref(base: string, chain: string, filters: Partial<Filters> = {}): string {
  const q = new URLSearchParams();
  for (const k of KEYS) if (filters[k]) q.set(k, filters[k] ?? '');
  const qs = q.toString();
  return `${base}/audit/log/${chain}${qs ? `?${qs}` : ''}`;
}

// Times typed in the filters are the exam centre's wall clock, whatever the PC's zone.
const toMs = (v: string): string => (/^\d+$/.test(v) ? v : v ? String(parseCentreDateTime(v)) : '');
const toLocalInput = (v: string): string => (/^\d+$/.test(v) ? formatDateTime(Number(v)).replace(' ', 'T') : v);

/** The event log of one chain, a page at a time, filtered by type, person, candidate, case and time. */
export function EventLogPage({ token, chain, onExpired }: { token: string; chain: string; onExpired: () => void }) {
  const { lang } = useT();
  const en = lang === 'en';
  const L = (zh: string, e: string) => (en ? e : zh);
  const base = location.pathname.startsWith('/official') ? '/official' : '/staff';
  const sessionId = /^session:(\d+)$/.exec(chain)?.[1];
  const [filters, setFilters] = useState<Filters>(filtersFromUrl);
  const [cursor, setCursor] = useState<number[]>([0]); // afterSeq of each page so far; the last is shown
  const [page, setPage] = useState<EventPage | null>(null);
  const [known, setKnown] = useState<Record<string, EventPerson>>({});
  const [error, setError] = useState<string | null>(null);
  const [verdict, setVerdict] = useState<ChainVerificationView | null>(null);
  const session = useApi<SessionDetail>(sessionId ? `/sessions/${sessionId}` : '/sessions/0', token, ignore);

  const afterSeq = cursor.at(-1) ?? 0;
  const load = useCallback(() => {
    const q = new URLSearchParams({ afterSeq: String(afterSeq), limit: String(PAGE) });
    for (const k of KEYS) {
      const v = k === 'from' || k === 'to' ? toMs(filters[k]) : filters[k];
      if (v) q.set(k, v);
    }
    api<EventPage>(`/audit/chains/${encodeURIComponent(chain)}?${q.toString()}`, { token }).then(
      (p) => {
        setPage(p);
        setKnown((k) => ({ ...k, ...p.people }));
        setError(null);
      },
      (err: unknown) =>
        err instanceof ApiError && err.status === 401 ? onExpired() : setError(String((err as Error).message)),
    );
  }, [afterSeq, chain, filters, token, onExpired]);
  useEffect(load, [load]);

  const change = (patch: Partial<Filters>) => {
    const next = { ...filters, ...patch };
    setFilters(next);
    setCursor([0]);
    history.replaceState(null, '', logHref(base, chain, next));
  };
  const events: AuditEvent[] = page?.events ?? [];
  const first = events[0] ? (cursor.length - 1) * PAGE + 1 : 0;
  const title = chain === 'institution' ? L('机构日志', 'Institution log') : session.data?.name;

  return (
    <section className="panel audit">
      <AuditNav en={en} />
      <h1>
        {L('事件日志', 'Event log')} <small>{title}</small>
      </h1>
      {sessionId && (
        <p>
          <Link href={`${base}/sessions/${sessionId}/anomalies`}>{L('异常分析', 'Anomalies')}</Link> ·{' '}
          <Link href={`${base}/sessions/${sessionId}/proctor`}>
            {L('座位图（现场抽查）', 'Seat grid (spot check)')}
          </Link>{' '}
          · <Link href={`${base}/sessions/${sessionId}`}>{L('场次详情', 'Session detail')}</Link>
        </p>
      )}
      <div className="filters">
        <label>
          {L('类型', 'Type')}
          <select name="type" value={filters.type} onChange={(e) => change({ type: e.target.value })}>
            {EVENT_GROUPS.map(([v, zh, e]) => (
              <option key={v} value={v}>
                {en ? e : zh}
              </option>
            ))}
            {filters.type && !EVENT_GROUPS.some(([v]) => v === filters.type) && (
              <option value={filters.type}>{label(EVENT_NAMES, filters.type, en)}</option>
            )}
          </select>
        </label>
        <label>
          {L('操作人', 'Done by')}
          <select name="actor" value={filters.actor} onChange={(e) => change({ actor: e.target.value })}>
            <option value="">{L('全部', 'anyone')}</option>
            {Object.keys(known)
              .concat(filters.actor && !known[filters.actor] ? [filters.actor] : [])
              .map((a) => (
                <option key={a} value={a}>
                  {personLabel(a, known, en)}
                </option>
              ))}
          </select>
        </label>
        {sessionId && (
          <label>
            {L('考生', 'Candidate')}
            <select
              name="registrationId"
              value={filters.registrationId}
              onChange={(e) => change({ registrationId: e.target.value })}
            >
              <option value="">{L('全部', 'all')}</option>
              {(session.data?.roster ?? []).map((r) => (
                <option key={r.registrationId} value={String(r.registrationId)}>
                  {r.seatNo} {L('号座', '')} {r.name}
                </option>
              ))}
            </select>
          </label>
        )}
        <label>
          {L('从', 'From')}
          <input
            type="datetime-local"
            value={toLocalInput(filters.from)}
            onChange={(e) => change({ from: e.target.value })}
          />
        </label>
        <label>
          {L('到', 'To')}
          <input
            type="datetime-local"
            value={toLocalInput(filters.to)}
            onChange={(e) => change({ to: e.target.value })}
          />
        </label>
        {KEYS.some((k) => filters[k]) && (
          <button onClick={() => change({ type: '', actor: '', registrationId: '', ledgerId: '', from: '', to: '' })}>
            {L('清除筛选', 'Clear filters')}
          </button>
        )}
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
      {filters.ledgerId && (
        <p className="meta">
          {L(`只显示整改台账 #${filters.ledgerId} 的事件`, `Only events of ledger case #${filters.ledgerId}`)}
        </p>
      )}
      {verdict && <ChainVerdictView v={verdict} en={en} />}
      {error && <p className="error">{error}</p>}
      <Pager
        en={en}
        first={first}
        count={events.length}
        total={page?.total ?? 0}
        onPrev={cursor.length > 1 ? () => setCursor(cursor.slice(0, -1)) : null}
        onNext={page?.nextAfterSeq != null ? () => setCursor([...cursor, page.nextAfterSeq ?? 0]) : null}
      />
      <table data-testid="event-log" className="event-log">
        <thead>
          <tr>
            <th>{L('时间', 'Time')}</th>
            <th>{L('操作人', 'Done by')}</th>
            <th>{L('事件', 'Event')}</th>
            <th>{L('内容', 'What happened')}</th>
          </tr>
        </thead>
        <tbody>
          {events.map((e) => (
            <tr key={e.seq} data-type={e.type} data-seq={e.seq}>
              <td className="nowrap">{formatDateTime(e.at, { seconds: true })}</td>
              <td>
                <button
                  className="link"
                  title={L('只看此人的事件', 'only this person’s events')}
                  onClick={() => change({ actor: e.actor })}
                >
                  {personLabel(e.actor, page?.people ?? {}, en)}
                </button>
              </td>
              <td>{label(EVENT_NAMES, e.type, en)}</td>
              <td className="event-content">
                <EventText e={e} people={page?.people ?? {}} en={en} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {page && events.length === 0 && <p className="meta">{L('没有符合条件的事件', 'no matching events')}</p>}
      {events.length > 20 && (
        <Pager
          en={en}
          first={first}
          count={events.length}
          total={page?.total ?? 0}
          onPrev={cursor.length > 1 ? () => setCursor(cursor.slice(0, -1)) : null}
          onNext={page?.nextAfterSeq != null ? () => setCursor([...cursor, page.nextAfterSeq ?? 0]) : null}
        />
      )}
    </section>
  );
}

function Pager(p: {
  en: boolean;
  first: number;
  count: number;
  total: number;
  onPrev: (() => void) | null;
  onNext: (() => void) | null;
}) {
  return (
    <div className="pager" data-testid="pager">
      <button disabled={!p.onPrev} onClick={p.onPrev ?? undefined}>
        {p.en ? '← Previous' : '← 上一页'}
      </button>
      <span>
        {p.count === 0
          ? p.en
            ? `0 of ${p.total}`
            : `共 ${p.total} 条`
          : p.en
            ? `${p.first}–${p.first + p.count - 1} of ${p.total}`
            : `第 ${p.first}–${p.first + p.count - 1} 条，共 ${p.total} 条`}
      </span>
      <button disabled={!p.onNext} onClick={p.onNext ?? undefined} data-testid="next-page">
        {p.en ? 'Next →' : '下一页 →'}
      </button>
    </div>
  );
}
