import { createHash } from 'node:crypto';
import { GENESIS_HASH, type StoredEvent } from './events.repo';

/**
 * The same bytes as canonicalJson (keys sorted at every depth, undefined members dropped), written in one
 * pass without copying objects: verifying a million events must stay within a few seconds (issue 7
 * benchmark), and copying every payload to sort it was most of the cost.
 */
export function canonicalFast(v: unknown): string {
  // Integers (ids, seq, times) print the same with String() as with JSON.stringify, and faster.
  if (typeof v === 'number' && Number.isSafeInteger(v)) return String(v);
  if (v === null || typeof v !== 'object') return JSON.stringify(v) ?? 'null';
  if (Array.isArray(v)) {
    let out = '[';
    for (let i = 0; i < v.length; i++) {
      if (i) out += ',';
      const item: unknown = v[i];
      out += item === undefined || typeof item === 'function' ? 'null' : canonicalFast(item);
    }
    return out + ']';
  }
  const obj = v as Record<string, unknown>;
  if (typeof (obj as { toJSON?: unknown }).toJSON === 'function') return canonicalFast(JSON.parse(JSON.stringify(obj)));
  const keys = Object.keys(obj);
  let sorted = true;
  for (let i = 1; i < keys.length; i++) if ((keys[i - 1] as string) > (keys[i] as string)) sorted = false;
  if (!sorted) keys.sort();
  let out = '{';
  let first = true;
  for (const k of keys) {
    const val = obj[k];
    if (val === undefined || typeof val === 'function') continue;
    if (!first) out += ',';
    first = false;
    out += JSON.stringify(k) + ':' + canonicalFast(val);
  }
  return out + '}';
}

/** eventHash (events.repo.ts) computed with canonicalFast; keys in sorted order: actor, at, chain, payload, seq, type. */
export function eventHashFast(prevHash: string, e: Pick<StoredEvent, 'chain' | 'seq' | 'at' | 'actor' | 'type' | 'payload'>): string {
  const body =
    '{"actor":' +
    JSON.stringify(e.actor) +
    ',"at":' +
    canonicalFast(e.at) +
    ',"chain":' +
    JSON.stringify(e.chain) +
    ',"payload":' +
    canonicalFast(e.payload) +
    ',"seq":' +
    canonicalFast(e.seq) +
    ',"type":' +
    JSON.stringify(e.type) +
    '}';
  return createHash('sha256').update(prevHash).update(body).digest('hex');
}

export type ChainBreak = { seq: number; reason: string };
export type ChainCheck = { events: number; head: { seq: number; hash: string }; broken: ChainBreak | null };

/** Recomputes a chain from genesis: sequence continuity, links and content hashes. */
export function checkChain(events: Iterable<StoredEvent>, chain?: string): ChainCheck {
  let prev = GENESIS_HASH;
  let expectedSeq = 1;
  let count = 0;
  for (const e of events) {
    count++;
    let reason: string | null = null;
    if (chain !== undefined && e.chain !== chain) reason = `event belongs to chain ${e.chain}`;
    else if (e.seq !== expectedSeq) reason = `expected seq ${expectedSeq}, found ${e.seq} (missing or reordered event)`;
    else if (e.prevHash !== prev) reason = 'prev_hash does not match the previous event';
    else if (eventHashFast(prev, e) !== e.hash) reason = 'hash does not match the event content';
    if (reason !== null) return { events: count, head: { seq: expectedSeq - 1, hash: prev }, broken: { seq: e.seq, reason } };
    prev = e.hash;
    expectedSeq++;
  }
  return { events: count, head: { seq: expectedSeq - 1, hash: prev }, broken: null };
}
