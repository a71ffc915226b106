import type { Db } from '../db/open';
import type { StoredEvent } from './events.repo';

export type EventFilter = {
  chain: string;
  type?: string; // exact type, or a prefix ending in '.' / '*' (e.g. 'answer.' or 'proctor.*')
  actor?: string;
  from?: number;
  to?: number;
  registrationId?: number;
  ledgerId?: number;
  afterSeq?: number;
  limit: number;
};

type EventRow = {
  id: number;
  chain: string;
  seq: number;
  at: number;
  actor: string;
  type: string;
  payload: string;
  prev_hash: string;
  hash: string;
};

const toEvent = (row: EventRow): StoredEvent => ({
  id: row.id,
  chain: row.chain,
  seq: row.seq,
  at: row.at,
  actor: row.actor,
  type: row.type,
  payload: JSON.parse(row.payload) as Record<string, unknown>,
  prevHash: row.prev_hash,
  hash: row.hash,
});

/** The WHERE clause of a filter (without paging), shared by the page and its count. */
function filterSql(f: EventFilter): { where: string; params: Record<string, unknown> } {
  const where = ['chain = @chain'];
  const params: Record<string, unknown> = { chain: f.chain };
  if (f.type) {
    if (f.type.endsWith('*') || f.type.endsWith('.')) {
      where.push('substr(type, 1, length(@typePrefix)) = @typePrefix');
      params.typePrefix = f.type.replace(/\*$/, '');
    } else {
      where.push('type = @type');
      params.type = f.type;
    }
  }
  if (f.actor) {
    where.push('actor = @actor');
    params.actor = f.actor;
  }
  if (f.from !== undefined) {
    where.push('at >= @from');
    params.from = f.from;
  }
  if (f.to !== undefined) {
    where.push('at <= @to');
    params.to = f.to;
  }
  if (f.registrationId !== undefined) {
    // A candidate's events are both their own acts (saves, logins) and what staff did about them.
    where.push(
      "(actor = 'candidate:' || @registrationId OR json_extract(payload, '$.registrationId') = @registrationId)",
    );
    params.registrationId = f.registrationId;
  }
  if (f.ledgerId !== undefined) {
    where.push("json_extract(payload, '$.ledgerId') = @ledgerId");
    params.ledgerId = f.ledgerId;
  }
  return { where: where.join(' AND '), params };
}

/** Read-only queries over the event log for the officials' console and the audit services. */
export class AuditQueryRepo {
  private readonly allStmt;
  private readonly chainsStmt;

  constructor(private readonly db: Db) {
    this.allStmt = db.prepare<[string], EventRow>('SELECT * FROM events WHERE chain = ? ORDER BY seq');
    this.chainsStmt = db.prepare<[], { chain: string; events: number; last_at: number }>(
      'SELECT chain, count(*) AS events, max(at) AS last_at FROM events GROUP BY chain ORDER BY chain',
    );
  }

  /** Filtered page of one chain; paging by seq so a page is stable while the chain grows. */
  find(f: EventFilter): StoredEvent[] {
    const { where, params } = filterSql(f);
    return this.db
      .prepare<Record<string, unknown>, EventRow>(
        `SELECT * FROM events WHERE ${where} AND seq > @afterSeq ORDER BY seq LIMIT @limit`,
      )
      .all({ ...params, afterSeq: f.afterSeq ?? 0, limit: f.limit })
      .map(toEvent);
  }

  /** How many events the filter matches on the whole chain (the "of N" under a page). */
  count(f: EventFilter): number {
    const { where, params } = filterSql(f);
    return (
      this.db
        .prepare<Record<string, unknown>, number>(`SELECT count(*) FROM events WHERE ${where}`)
        .pluck()
        .get(params) ?? 0
    );
  }

  /** Names and roles of the staff behind `staff:<id>` actors (and `staff:<username>` of failed logins). */
  staffNames(keys: string[]): { key: string; name: string; roles: string }[] {
    return this.db
      .prepare<[string], { key: string; name: string; roles: string }>(
        `SELECT k.value AS key, s.name, s.roles FROM json_each(?) k
           JOIN staff s ON s.id = CAST(k.value AS INTEGER) OR s.username = k.value`,
      )
      .all(JSON.stringify(keys));
  }

  /** Name, seat and admission number behind `candidate:<registrationId>`. */
  registrations(ids: number[]): { id: number; name: string; seatNo: number; admissionNo: string }[] {
    return this.db
      .prepare<[string], { id: number; name: string; seatNo: number; admissionNo: string }>(
        `SELECT r.id, c.name, r.seat_no AS seatNo, r.admission_no AS admissionNo
           FROM registrations r JOIN candidates c ON c.id = r.candidate_id
          WHERE r.id IN (SELECT value FROM json_each(?))`,
      )
      .all(JSON.stringify(ids));
  }

  /** The whole chain in order (for verification and archives). */
  all(chain: string): StoredEvent[] {
    return this.allStmt.all(chain).map(toEvent);
  }

  /** Streams a chain without holding it all in memory. */
  *iterate(chain: string): Generator<StoredEvent> {
    for (const row of this.allStmt.iterate(chain)) yield toEvent(row);
  }

  chains(): { chain: string; events: number; lastAt: number }[] {
    return this.chainsStmt.all().map((r) => ({ chain: r.chain, events: r.events, lastAt: r.last_at }));
  }

  /** Events of given types in a session chain, oldest first (anomaly detection). */
  ofTypes(chain: string, types: string[]): StoredEvent[] {
    const marks = types.map(() => '?').join(', ');
    return this.db
      .prepare<string[], EventRow>(`SELECT * FROM events WHERE chain = ? AND type IN (${marks}) ORDER BY seq`)
      .all(chain, ...types)
      .map(toEvent);
  }
}
