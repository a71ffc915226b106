import { createHash } from 'node:crypto';
import { canonicalFast, checkChain, eventHashFast } from './server/src/audit/chain-verify';
import { GENESIS_HASH, type StoredEvent } from './server/src/audit/events.repo';
const N = Number(process.argv[2] ?? 1_000_000);
const events: StoredEvent[] = new Array(N);
let prev = GENESIS_HASH;
for (let i = 1; i <= N; i++) {
  const e = { chain: 'session:1', seq: i, at: 1_795_600_000_000 + i * 37, actor: `candidate:${1 + (i % 200)}`, type: 'answer.saved', payload: { registrationId: 1 + (i % 200), position: 1 + (i % 100), seq: i, choiceHash: createHash('sha256').update(String(i % 7)).digest('hex') } };
  const hash = eventHashFast(prev, e);
  events[i - 1] = { ...e, id: i, prevHash: prev, hash };
  prev = hash;
}
const bodies = events.map((e) => canonicalFast({ actor: e.actor, at: e.at, chain: e.chain, payload: e.payload, seq: e.seq, type: e.type }));
for (let k = 0; k < 2; k++) {
  let t = performance.now(); let h = GENESIS_HASH; for (const b of bodies) h = createHash('sha256').update(h).update(b).digest('hex'); const bare = performance.now() - t;
  t = performance.now(); const r = checkChain(events, 'session:1'); const v = performance.now() - t;
  t = performance.now(); let n = 0; for (const e of events) { n += canonicalFast(e.payload).length; } const c = performance.now() - t;
  console.log({ bare: Math.round(bare), verify: Math.round(v), canonOnly: Math.round(c), ok: !r.broken });
}
