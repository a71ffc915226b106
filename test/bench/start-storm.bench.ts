import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { io, type Socket } from 'socket.io-client';
import type { LoadCredentials } from '../load/load-session';
import { freePort, spawnServer, stopGracefully } from '../load/server-child';
import { SimulatedCandidate, sleep } from '../load/simulator';
import { spawnEcho } from './echo-child';
import type { Figure } from './figure';
import { percentile, round1, sized } from './inputs';

const N = sized('BENCH_STORM_CANDIDATES', 5000);
// 开始考试 is announced and every seated candidate logs in within this window (arrival uniformly random in it):
// the "within 60 s" leaves the other half of the minute for the server to deliver every paper.
const ARRIVAL_MS = Number(process.env.BENCH_STORM_ARRIVAL_MS ?? 30_000);
// A candidate whose login or join fails tries again after a second, as the candidate screen does, until this.
const GIVE_UP_MS = 180_000;

type Phases = { loginMs: number; connectMs: number; openMs: number };
type Outcome = { seenAtMs: number; loginToQuestionMs: number; attempts: number; phases: Phases } | null;

/** One seated candidate: log in, connect, open the paper; done when the first question is in hand. */
async function sit(c: SimulatedCandidate, t0: number): Promise<Outcome> {
  const first = performance.now();
  for (let attempts = 1; performance.now() - t0 < GIVE_UP_MS; attempts++) {
    try {
      const a = performance.now();
      await c.login();
      const b = performance.now();
      await c.connect();
      const d = performance.now();
      await c.start();
      if (c.questions.length === 0 || c.questions[0]!.position !== 1) throw new Error('no question 1');
      const now = performance.now();
      const phases = { loginMs: b - a, connectMs: d - b, openMs: now - d };
      return { seenAtMs: now - t0, loginToQuestionMs: now - first, attempts, phases };
    } catch {
      c.close();
      await sleep(1000);
    }
  }
  return null;
}

/** The transport's floor for the same storm: connect a bare socket.io client and get one acknowledgement. */
async function echoStorm(n: number): Promise<{ lastMs: number; p99Ms: number }> {
  const echo = await spawnEcho();
  const sockets: Socket[] = [];
  const t0 = performance.now();
  const times = await Promise.all(
    Array.from({ length: n }, async () => {
      await sleep(Math.random() * ARRIVAL_MS);
      const first = performance.now();
      const s = io(`http://127.0.0.1:${echo.port}`, { transports: ['websocket'], forceNew: true });
      sockets.push(s);
      await new Promise<void>((res) => s.once('connect', () => res()));
      await new Promise<void>((res) => s.timeout(30_000).emit('answer:save', { position: 1 }, () => res()));
      const now = performance.now();
      return { seen: now - t0, latency: now - first };
    }),
  );
  sockets.forEach((s) => s.close());
  echo.child.kill('SIGTERM');
  const latencies = times.map((t) => t.latency).sort((a, b) => a - b);
  return { lastMs: Math.max(...times.map((t) => t.seen)), p99Ms: percentile(latencies, 99) };
}

/**
 * start-storm-5000-s (issue 17): a running session of N seated candidates (sealed, opened by two custodians,
 * started: 开始考试 is t0). Each candidate logs in at a uniformly random moment within ARRIVAL_MS, connects,
 * and opens the exam (its own paper decrypted on the server), retrying after a second on any failure. Value:
 * seconds from t0 until the last candidate holds question 1; extra.p99LoginToQuestionMs: from a candidate's
 * first login request to its first question. Baseline: the same arrivals against a bare socket.io echo server
 * (connect + one acknowledgement), time until the last client is answered. Goal: ≤ 60 s.
 */
export async function run(): Promise<Figure[]> {
  const dataDir = mkdtempSync(join(tmpdir(), 'exam-center-bench-'));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const server = await spawnServer({ dataDir, port, candidates: N });
  try {
    const creds = JSON.parse(readFileSync(join(dataDir, 'load-credentials.json'), 'utf8')) as LoadCredentials;
    const candidates = creds.candidates.map((c) => new SimulatedCandidate(url, c));
    const t0 = performance.now();
    const outcomes = await Promise.all(
      candidates.map(async (c) => {
        await sleep(Math.random() * ARRIVAL_MS);
        return sit(c, t0);
      }),
    );
    candidates.forEach((c) => c.close());
    const done = outcomes.filter((o): o is NonNullable<Outcome> => o !== null);
    const latencies = done.map((o) => o.loginToQuestionMs).sort((a, b) => a - b);
    const lastS = done.length ? Math.max(...done.map((o) => o.seenAtMs)) / 1000 : GIVE_UP_MS / 1000;
    const echo = await echoStorm(N);
    return [
      {
        name: 'start-storm-5000-s',
        value: round1(done.length === N ? lastS : GIVE_UP_MS / 1000),
        unit: 's',
        baseline: round1(echo.lastMs / 1000),
        target: 60,
        extra: {
          candidates: N,
          arrivalWindowMs: ARRIVAL_MS,
          reachedQuestion1: done.length,
          gaveUp: N - done.length,
          retried: done.filter((o) => o.attempts > 1).length,
          p99LoginToQuestionMs: Math.round(percentile(latencies, 99)),
          p50LoginToQuestionMs: Math.round(percentile(latencies, 50)),
          maxLoginToQuestionMs: Math.round(latencies.at(-1) ?? 0),
          // Where the time goes (last attempt of each candidate): login (HTTP), socket connect, exam:start.
          p99PhaseMs: Object.fromEntries(
            (['loginMs', 'connectMs', 'openMs'] as const).map((k) => [
              k,
              Math.round(
                percentile(
                  done.map((o) => o.phases[k]).sort((x, y) => x - y),
                  99,
                ),
              ),
            ]),
          ),
          baselineIs: 'bare socket.io echo, same arrivals, connect + one acknowledgement; time until the last',
          echoP99Ms: Math.round(echo.p99Ms),
          clientsOnSameMachine: true,
        },
      },
    ];
  } finally {
    await stopGracefully(server);
    rmSync(dataDir, { recursive: true, force: true });
  }
}
