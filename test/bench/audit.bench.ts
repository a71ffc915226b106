import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { verifyArchive } from '../../server/src/audit/archive.verify';
import { checkChain, eventBody } from '../../server/src/audit/chain-verify';
import { EventsRepo, GENESIS_HASH, sessionChain, type NewEvent } from '../../server/src/audit/events.repo';
import { simulatePastSession } from '../../server/src/demo/past-session';
import { startTestServer, type TestServer } from '../support/test-server';
import type { Figure } from './figure';
import { sized } from './inputs';

const N = sized('BENCH_CHAIN_EVENTS', 1_000_000, 1000);
const CANDIDATES = sized('BENCH_ARCHIVE_CANDIDATES', 200, 12);
// The session whose chain is grown to N events: a real graded session (so every check of `archive verify` runs),
// small so that almost all of its N events are the padding below.
const CHAIN_SESSION_CANDIDATES = 12;

const ROOT = join(import.meta.dirname, '../..');

/**
 * Runs `exam-center archive verify <args>` in its own process (its memory apart from this one's, as a user's
 * would be): the time of the command itself, measured inside the child after its modules are loaded, and the
 * wall time of the whole process.
 */
function runArchiveVerify(
  args: string[],
  configDir: string,
): Promise<{ code: number; ms: number; wallMs: number; maxRssMb: number; verdict: string }> {
  const t0 = performance.now();
  const child = spawn(
    process.execPath,
    [
      '--max-old-space-size=8192',
      '--import',
      'tsx',
      join(import.meta.dirname, 'archive-verify-child.ts'),
      'verify',
      ...args,
    ],
    { cwd: ROOT, env: { ...process.env, EXAM_CENTER_CONFIG_DIR: configDir }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  return new Promise((res, rej) =>
    child.once('exit', (code) => {
      const wallMs = performance.now() - t0;
      try {
        const r = JSON.parse(out.trim().split('\n').at(-1) ?? '') as {
          code: number;
          ms: number;
          maxRssMb: number;
          verdict: string;
        };
        res({ ...r, wallMs });
      } catch {
        rej(new Error(`archive verify child exited ${code}: ${err}`));
      }
    }),
  );
}

/**
 * Grows a graded session's chain to n events with per-candidate proctor signals (focus lost, returned), the
 * kind of event a real 5,000-seat session logs by the hundred thousand. Not answer saves: `archive verify`
 * cross-checks every save against the archived answers, and this bench times the chain, not a fake answer set.
 */
function padChain(server: TestServer, sessionId: number, n: number): number {
  const chain = sessionChain(sessionId);
  const events = new EventsRepo(server.db);
  const have = server.app.services.audit.query.all(chain);
  const registrations = [...new Set(have.map((e) => Number(e.payload.registrationId)).filter((x) => x > 0))];
  let at = have.at(-1)?.at ?? Date.now();
  for (let done = have.length; done < n;) {
    const batch: NewEvent[] = [];
    for (let k = 0; k < 10_000 && done < n; k++, done++) {
      const registrationId = registrations[done % registrations.length] ?? 1;
      at += 3;
      batch.push({
        chain,
        at,
        actor: `candidate:${registrationId}`,
        type: 'proctor.signal',
        payload: { registrationId, kind: done % 2 ? 'focus-returned' : 'focus-lost' },
      });
    }
    server.db.transaction(() => events.append(...batch))();
  }
  return have.length;
}

/**
 * chain-verify-1m-events-ms (issue 17): what an official runs — `exam-center archive verify FILE --pubkey KEY
 * --regulator-key KEY`: archiveCommand in its own process, timed after its modules load (read the file, unzip, parse every entry, the signature, every hash, the
 * event chains line by line and their signed heads, answers, papers re-derived, scores recomputed) — on an
 * archive built by ArchiveService.archive for a graded session whose chain holds N events. Baseline in the same
 * run: a bare SHA-256 chain loop, hash = SHA-256(prev ‖ canonical body), over the same N events' bodies already
 * in memory. extra.fromParsedRowsMs: checkChain over the same events as rows (GET /api/audit/verify's path).
 * archive-build-200-ms: ArchiveService.archive for a graded 200-candidate session (sealed, opened, ~100 answers
 * each, identity checks, the full event chain): gather, zip, Ed25519 signature, write, record, transition.
 * Target < 3 s. archive-verify-200-ms: verifyArchive on that file with the regulator key.
 */
export async function run(): Promise<Figure[]> {
  const figures: Figure[] = [];
  const dataDir = mkdtempSync(join(tmpdir(), 'exam-center-bench-'));
  const server = await startTestServer({ dataDir });
  try {
    const pubkeyFile = join(dataDir, 'keys', 'institution-ed25519.pub.pem');
    writeFileSync(pubkeyFile, server.app.keys.institution.publicKeyPem);
    const regulatorKeyFile = join(dataDir, 'demo-regulator', 'regulator-data', 'keys', 'regulator-x25519.key');

    // 1. A graded 200-candidate session, archived and verified.
    const sessionId = simulatePastSession(server.app, server.db, { now: () => Date.now() }, CANDIDATES);
    const t2 = performance.now();
    const info = server.app.services.archives.archive(sessionId, 'bench');
    const buildMs = performance.now() - t2;
    const { bytes } = server.app.services.archives.bytesOf(info.id);
    const t3 = performance.now();
    const regulatorKey = readFileSync(regulatorKeyFile, 'utf8');
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
      extra: { candidates: CANDIDATES, withRegulatorKey: true },
    });

    // 2. A session chain of N events, archived the way the server archives, verified the way a user does.
    const bigSession = simulatePastSession(server.app, server.db, { now: () => Date.now() }, CHAIN_SESSION_CANDIDATES);
    const ownEvents = padChain(server, bigSession, N);
    const bigInfo = server.app.services.archives.archive(bigSession, 'bench');
    const file = join(dataDir, 'chain-bench-archive.zip');
    writeFileSync(file, server.app.services.archives.bytesOf(bigInfo.id).bytes);
    const events = server.app.services.audit.query.all(sessionChain(bigSession));
    const bodies = events.map(eventBody);

    const t0 = performance.now();
    let h = GENESIS_HASH;
    for (const body of bodies) h = createHash('sha256').update(h).update(body).digest('hex');
    const bareMs = performance.now() - t0;
    if (h !== events.at(-1)?.hash) throw new Error('bench: bare loop disagrees with the chain');
    bodies.length = 0;

    const t4 = performance.now();
    const fromRows = checkChain(events, sessionChain(bigSession));
    const rowsMs = performance.now() - t4;
    if (fromRows.broken || fromRows.events !== events.length) throw new Error('bench: row check failed');
    const eventCount = events.length;
    events.length = 0;
    const cli = await runArchiveVerify([file, '--pubkey', pubkeyFile, '--regulator-key', regulatorKeyFile], dataDir);
    if (cli.code !== 0) throw new Error(`bench: archive verify exited ${cli.code}:\n${cli.verdict}`);
    const verifyMs = cli.ms;

    figures.push({
      name: 'chain-verify-1m-events-ms',
      value: Math.round(verifyMs),
      unit: 'ms',
      baseline: Math.round(bareMs),
      ratio: Math.round((verifyMs / bareMs) * 100) / 100,
      target: 3000,
      extra: {
        events: eventCount,
        archiveBytes: statSync(file).size,
        candidates: CHAIN_SESSION_CANDIDATES,
        sessionOwnEvents: ownEvents,
        paddingIs: 'proctor.signal events (focus lost/returned) appended through EventsRepo before archiving',
        measured:
          'archiveCommand(verify FILE --pubkey KEY --regulator-key KEY), the function `exam-center archive verify` runs, in its own process after start-up; exit 0 (VALID)',
        processWallMs: Math.round(cli.wallMs),
        verifierMaxRssMb: cli.maxRssMb,
        baselineIs: 'bare SHA-256(prev ‖ canonical body) loop over the same events, bodies in memory',
        linksPerSecond: Math.round(eventCount / (verifyMs / 1000)),
        bareLinksPerSecond: Math.round(eventCount / (bareMs / 1000)),
        fromParsedRowsMs: Math.round(rowsMs),
      },
    });
  } finally {
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
  return figures;
}
