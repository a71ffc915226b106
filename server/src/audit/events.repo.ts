import type { Db } from '../db/open';
import { canonicalJson, sha256Hex } from '../shared/canonical-json';

export const GENESIS_HASH = '0'.repeat(64);
export const INSTITUTION_CHAIN = 'institution';
export const sessionChain = (sessionId: number) => `session:${sessionId}`;

export type NewEvent = {
  chain: string;
  at: number;
  actor: string; // 'staff:<id>', 'candidate:<registrationId>', 'system', 'anonymous'
  type: string; // domain.verb, e.g. 'session.opened', 'answer.saved'
  payload: Record<string, unknown>;
};

export type StoredEvent = NewEvent & { id: number; seq: number; prevHash: string; hash: string };

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

/** The canonical form that is hashed; the archive verifier recomputes it from the same fields. */
export function eventHash(prevHash: string, e: NewEvent & { seq: number }): string {
  const body = canonicalJson({
    chain: e.chain,
    seq: e.seq,
    at: e.at,
    actor: e.actor,
    type: e.type,
    payload: e.payload,
  });
  return sha256Hex(prevHash + body);
}

export class EventsRepo {
  private readonly head;
  private readonly insert;
  private readonly byChain;

  constructor(private readonly db: Db) {
    this.head = db.prepare<[string], { seq: number; hash: string }>(
      'SELECT seq, hash FROM events WHERE chain = ? ORDER BY seq DESC LIMIT 1',
    );
    this.insert = db.prepare(
      `INSERT INTO events (chain, seq, at, actor, type, payload, prev_hash, hash)
       VALUES (@chain, @seq, @at, @actor, @type, @payload, @prevHash, @hash)`,
    );
    this.byChain = db.prepare<[string, number, number], EventRow>(
      'SELECT * FROM events WHERE chain = ? AND seq > ? ORDER BY seq LIMIT ?',
    );
  }

  /**
   * Appends events in order. Call inside the transaction that makes the change they record, so the change
   * and its event commit together (design.md, Session states).
   */
  append(...events: NewEvent[]): StoredEvent[] {
    const heads = new Map<string, { seq: number; hash: string }>();
    return events.map((e) => {
      const prev = heads.get(e.chain) ?? this.head.get(e.chain) ?? { seq: 0, hash: GENESIS_HASH };
      const seq = prev.seq + 1;
      const hash = eventHash(prev.hash, { ...e, seq });
      const info = this.insert.run({ ...e, seq, payload: JSON.stringify(e.payload), prevHash: prev.hash, hash });
      heads.set(e.chain, { seq, hash });
      return { ...e, id: Number(info.lastInsertRowid), seq, prevHash: prev.hash, hash };
    });
  }

  list(chain: string, afterSeq = 0, limit = 500): StoredEvent[] {
    return this.byChain.all(chain, afterSeq, limit).map(toEvent);
  }

  chainHead(chain: string): { seq: number; hash: string } {
    return this.head.get(chain) ?? { seq: 0, hash: GENESIS_HASH };
  }
}

function toEvent(row: EventRow): StoredEvent {
  return {
    id: row.id,
    chain: row.chain,
    seq: row.seq,
    at: row.at,
    actor: row.actor,
    type: row.type,
    payload: JSON.parse(row.payload) as Record<string, unknown>,
    prevHash: row.prev_hash,
    hash: row.hash,
  };
}

/** Recomputes a chain from its first event; returns the first broken link, or null when intact. */
export function verifyChain(events: Iterable<StoredEvent>): { seq: number; reason: string } | null {
  let prev = GENESIS_HASH;
  let expectedSeq = 1;
  for (const e of events) {
    if (e.seq !== expectedSeq) return { seq: e.seq, reason: `expected seq ${expectedSeq}` };
    if (e.prevHash !== prev) return { seq: e.seq, reason: 'prev_hash does not match the previous event' };
    if (eventHash(prev, e) !== e.hash) return { seq: e.seq, reason: 'hash does not match the event content' };
    prev = e.hash;
    expectedSeq++;
  }
  return null;
}
