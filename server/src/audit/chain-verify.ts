import { createHash } from 'node:crypto';
import { GENESIS_HASH, type StoredEvent } from './events.repo';

/**
 * The same bytes as canonicalJson (keys sorted at every depth, undefined members dropped), written in one
 * pass without copying objects: verifying a million events must stay within a few seconds (issue 7
 * benchmark), and copying every payload to sort it was most of the cost.
 */
// Strings JSON.stringify would not escape: no quote, backslash, control character or surrogate half.
const PLAIN = /^[^"\\\u0000-\u001f\ud800-\udfff]*$/;
const keyCache = new Map<string, string>();

function str(s: string): string {
  return s.length < 200 && PLAIN.test(s) ? '"' + s + '"' : JSON.stringify(s);
}

function key(k: string): string {
  let out = keyCache.get(k);
  if (out === undefined) {
    out = JSON.stringify(k) + ':';
    if (keyCache.size < 10_000) keyCache.set(k, out);
  }
  return out;
}

export function canonicalFast(v: unknown): string {
  // Integers (ids, seq, times) and plain strings print the same as with JSON.stringify, and faster.
  if (typeof v === 'number' && Number.isSafeInteger(v)) return String(v);
  if (typeof v === 'string') return str(v);
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
    out += key(k) + canonicalFast(val);
  }
  return out + '}';
}

/** The canonical body of an event (what eventHash hashes after the previous hash); keys in sorted order. */
export function eventBody(e: Pick<StoredEvent, 'chain' | 'seq' | 'at' | 'actor' | 'type' | 'payload'>): string {
  return (
    '{"actor":' +
    str(e.actor) +
    ',"at":' +
    canonicalFast(e.at) +
    ',"chain":' +
    str(e.chain) +
    ',"payload":' +
    canonicalFast(e.payload) +
    ',"seq":' +
    canonicalFast(e.seq) +
    ',"type":' +
    str(e.type) +
    '}'
  );
}

/** eventHash (events.repo.ts) computed with canonicalFast. */
export function eventHashFast(
  prevHash: string,
  e: Pick<StoredEvent, 'chain' | 'seq' | 'at' | 'actor' | 'type' | 'payload'>,
): string {
  return createHash('sha256').update(prevHash).update(eventBody(e)).digest('hex');
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
    if (reason !== null)
      return { events: count, head: { seq: expectedSeq - 1, hash: prev }, broken: { seq: e.seq, reason } };
    prev = e.hash;
    expectedSeq++;
  }
  return { events: count, head: { seq: expectedSeq - 1, hash: prev }, broken: null };
}

/**
 * The archive's chain format (exam-center-chain/1): one line per event, "<hash> <prevHash> <canonical body>".
 * The body is stored as the exact bytes that were hashed, so verifying needs no re-serialisation: a line is
 * authentic when SHA-256(prevHash ‖ body) equals its hash and prevHash equals the previous line's hash.
 * The link from the genesis hash through every line proves order and completeness (no gap, no insertion).
 */
export const formatChainLine = (e: StoredEvent): string => `${e.hash} ${e.prevHash} ${eventBody(e)}`;

export function checkChainLines(lines: readonly string[], chain: string): ChainCheck {
  let prev = GENESIS_HASH;
  const chainKey = ',"chain":' + str(chain) + ',"payload":';
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    const hash = line.slice(0, 64);
    const body = line.slice(130);
    let reason: string | null = null;
    if (line.charCodeAt(64) !== 32 || line.charCodeAt(129) !== 32) reason = 'malformed line';
    else if (line.slice(65, 129) !== prev)
      reason = 'prev_hash does not match the previous event (missing, inserted or reordered event)';
    else if (createHash('sha256').update(prev).update(body).digest('hex') !== hash)
      reason = 'hash does not match the event content';
    // In canonical JSON an unescaped '"chain":' can only be the key itself, and it is the third key.
    else if (body.indexOf(',"chain":') !== body.indexOf(chainKey)) reason = 'event belongs to another chain';
    if (reason !== null) return { events: i + 1, head: { seq: i, hash: prev }, broken: { seq: i + 1, reason } };
    prev = hash;
  }
  return { events: lines.length, head: { seq: lines.length, hash: prev }, broken: null };
}

/** Parses verified lines back into events (after checkChainLines). */
export function parseChainLines(lines: readonly string[]): StoredEvent[] {
  return lines.map((line, i) => {
    const e = JSON.parse(line.slice(130)) as Omit<StoredEvent, 'id' | 'prevHash' | 'hash'>;
    return { ...e, id: i + 1, hash: line.slice(0, 64), prevHash: line.slice(65, 129) };
  });
}
