import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { verifyArchive } from '../../server/src/audit/archive.verify';
import { checkChain, checkChainLines, eventHashFast, formatChainLine } from '../../server/src/audit/chain-verify';
import { GENESIS_HASH, type StoredEvent } from '../../server/src/audit/events.repo';
import { simulatePastSession } from '../../server/src/demo/past-session';
import type { Figure } from './figure';
import { startTestServer } from '../support/test-server';

const N = Number(process.env.BENCH_CHAIN_EVENTS ?? 1_000_000);
const CANDIDATES = Number(process.env.BENCH_ARCHIVE_CANDIDATES ?? 200);

/**
 * chain-verify-1m-events-ms: checkChainLines (what `archive verify` runs on an archived chain) over 1,000,000
 * 'answer.saved'-shaped events in the archive's chain format: link, SHA-256 over the stored canonical body and
 * chain name of each line. Baseline: a bare SHA-256 chain loop (hash = SHA-256(prev ‖ body)) over the same
 * bodies in the same run. Target < 3 s. extra.fromParsedRowsMs: checkChain over the parsed events, which
 * re-serialises every event canonically (the database path of GET /api/audit/verify/:chain).
 * archive-build-200-ms: ArchiveService.archive for a graded 200-candidate session (sealed, opened, ~100 answers
 * each, identity checks, the full event chain): gather, zip (fflate), Ed25519 signature, write, record, transition.
 * Target < 3 s. archive-verify-200-ms: verifyArchive on that file (signature, hashes, chains, re-derivation of
 * every paper from the seal, every score recomputed).
 */
export async function run(): Promise<Figure[]> {
  const figures: Figure[] = [];

  // 1. One million events, built (untimed) the way the log stores them.
  const events: StoredEvent[] = new Array<StoredEvent>(N);
  let prev = GENESIS_HASH;
  for (let i = 1; i <= N; i++) {
    const e = {
      chain: 'session:1',
      seq: i,
      at: 1_795_600_000_000 + i * 37,
      actor: `candidate:${1 + (i % 200)}`,
      type: 'answer.saved',
      payload: {
        registrationId: 1 + (i % 200),
        position: 1 + (i % 100),
        seq: i,
        choiceHash: createHash('sha256')
          .update(String(i % 7))
          .digest('hex'),
      },
    };
    const hash = eventHashFast(prev, e);
    events[i - 1] = { ...e, id: i, prevHash: prev, hash };
    prev = hash;
  }
  const lines = events.map(formatChainLine);
  const bodies = lines.map((l) => l.slice(130));
  const t0 = performance.now();
  let h = GENESIS_HASH;
  for (const body of bodies) h = createHash('sha256').update(h).update(body).digest('hex');
  const bareMs = performance.now() - t0;
  if (h !== prev) throw new Error('bench: bare loop disagrees with the chain');
  const t1 = performance.now();
  const result = checkChainLines(lines, 'session:1');
  const verifyMs = performance.now() - t1;
  if (result.broken || result.events !== N) throw new Error('bench: chain did not verify');
  // The same chain from parsed rows (what GET /api/audit/verify does over the database), re-serialising each event.
  const t2 = performance.now();
  const fromRows = checkChain(events, 'session:1');
  const rowsMs = performance.now() - t2;
  if (fromRows.broken) throw new Error('bench: row check failed');
  figures.push({
    name: 'chain-verify-1m-events-ms',
    value: Math.round(verifyMs),
    unit: 'ms',
    baseline: Math.round(bareMs),
    ratio: Math.round((verifyMs / bareMs) * 100) / 100,
    target: 3000,
    extra: {
      events: N,
      linksPerSecond: Math.round(N / (verifyMs / 1000)),
      bareLinksPerSecond: Math.round(N / (bareMs / 1000)),
      fromParsedRowsMs: Math.round(rowsMs),
    },
  });
  lines.length = 0;
  bodies.length = 0;
  bodies.length = 0;

  // 2. A graded 200-candidate session, archived and verified.
  const dataDir = mkdtempSync(join(tmpdir(), 'exam-center-bench-'));
  const server = await startTestServer({ dataDir });
  try {
    const sessionId = simulatePastSession(server.app, server.db, { now: () => Date.now() }, CANDIDATES);
    const t2 = performance.now();
    const info = server.app.services.archives.archive(sessionId, 'bench');
    const buildMs = performance.now() - t2;
    const { bytes } = server.app.services.archives.bytesOf(info.id);
    const t3 = performance.now();
    // With the (demo) regulator key: the draw and every score are proved, as the regulator would (issue 13).
    const regulatorKey = readFileSync(join(dataDir, 'demo-regulator', 'regulator-x25519.key'), 'utf8');
    const verdict = verifyArchive(bytes, server.app.keys.institution.publicKeyPem, { regulatorKey });
    const verifyArchiveMs = performance.now() - t3;
    if (!verdict.ok) throw new Error(`bench: archive did not verify: ${verdict.failures.join('; ')}`);
    figures.push({
      name: 'archive-build-200-ms',
      value: Math.round(buildMs),
      unit: 'ms',
      target: 3000,
      extra: { candidates: CANDIDATES, bytes: info.size, verifyMs: Math.round(verifyArchiveMs) },
    });
    figures.push({
      name: 'archive-verify-200-ms',
      value: Math.round(verifyArchiveMs),
      unit: 'ms',
      extra: { candidates: CANDIDATES },
    });
  } finally {
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
  return figures;
}
