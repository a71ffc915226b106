import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { io, type Socket } from 'socket.io-client';
import type { LoadCredentials } from '../load/load-session';
import { freePort, spawnServer, stopGracefully } from '../load/server-child';
import { SimulatedCandidate, sleep } from '../load/simulator';
import type { Figure } from './figure';

const N = Number(process.env.BENCH_CANDIDATES ?? 5000);
const SAVE_EVERY_MS = 5_000;
const STEADY_MS = Number(process.env.BENCH_STEADY_MS ?? 120_000);
const SATURATE_MS = Number(process.env.BENCH_SATURATE_MS ?? 15_000);

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;

/** Closed loop: every socket keeps one save in flight; returns acknowledgements per second. */
async function saturate(sockets: Socket[], ms: number, payload: (i: number, n: number) => unknown): Promise<number> {
  let acks = 0;
  let running = true;
  const loops = sockets.map(async (socket, i) => {
    let n = 0;
    while (running) {
      await new Promise<void>((res) => socket.timeout(30_000).emit('answer:save', payload(i, n++), () => res()));
      if (running) acks++;
    }
  });
  const t0 = performance.now();
  await sleep(ms);
  running = false;
  const elapsed = performance.now() - t0;
  await Promise.all(loops);
  return (acks / elapsed) * 1000;
}

function spawnEcho(): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(process.execPath, ['--import', 'tsx', resolve(import.meta.dirname, 'echo-server.ts')], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((res) =>
    child.stdout!.on('data', (d: Buffer) => {
      const m = /READY (\d+)/.exec(d.toString());
      if (m) res({ child, port: Number(m[1]) });
    }),
  );
}

/**
 * One exam centre's worst day (issue 6): N candidates connected at once, each saving an answer every 5 s;
 * then the saturated durable save rate against a bare socket.io echo server with the same clients.
 */
export async function run(): Promise<Figure[]> {
  const dataDir = mkdtempSync(join(tmpdir(), 'exam-center-bench-'));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const server = await spawnServer({ dataDir, port, candidates: N });
  try {
    const creds = JSON.parse(readFileSync(join(dataDir, 'load-credentials.json'), 'utf8')) as LoadCredentials;
    const candidates = creds.candidates.map((c) => new SimulatedCandidate(url, c));
    for (let i = 0; i < candidates.length; i += 250)
      await Promise.all(
        candidates.slice(i, i + 250).map(async (c) => (await c.login(), await c.connect(), await c.start())),
      );

    // Steady load: each candidate saves every 5 s, spread evenly; latency = emit → durable ack.
    const latencies: number[] = [];
    let failed = 0;
    const t0 = Date.now();
    await Promise.all(
      candidates.map(async (c, i) => {
        await sleep((i / candidates.length) * SAVE_EVERY_MS);
        let seq = 0;
        while (Date.now() - t0 < STEADY_MS) {
          const started = performance.now();
          const q = c.questions[seq % c.questions.length]!;
          const ack = await new Promise<{ ok: boolean }>((res) =>
            c
              .socket!.timeout(30_000)
              .emit(
                'answer:save',
                { position: q.position, choice: [0], seq: ++seq + 1_000_000 },
                (err: unknown, a: { ok: boolean }) => res(err ? { ok: false } : a),
              ),
          );
          if (ack.ok) latencies.push(performance.now() - started);
          else failed++;
          await sleep(Math.max(0, SAVE_EVERY_MS - (performance.now() - started)));
        }
      }),
    );
    latencies.sort((a, b) => a - b);
    const sockets = candidates.map((c) => c.socket!);
    const questions = candidates.map((c) => c.questions);
    const saveRate = await saturate(sockets, SATURATE_MS, (i, n) => ({
      position: questions[i]![n % questions[i]!.length]!.position,
      choice: [0],
      seq: 2_000_000 + n,
    }));
    candidates.forEach((c) => c.close());

    const echo = await spawnEcho();
    const echoSockets = await Promise.all(
      candidates.map(
        () =>
          new Promise<Socket>((res) => {
            const s = io(`http://127.0.0.1:${echo.port}`, { transports: ['websocket'], forceNew: true });
            s.once('connect', () => res(s));
          }),
      ),
    );
    const echoRate = await saturate(echoSockets, SATURATE_MS, (_i, n) => ({ position: 1, choice: [0], seq: n }));
    echoSockets.forEach((s) => s.close());
    echo.child.kill('SIGTERM');

    return [
      {
        name: 'answer-save-p99-ms',
        value: Math.round(percentile(latencies, 99) * 10) / 10,
        unit: 'ms',
        target: 20,
        extra: {
          candidates: N,
          saves: latencies.length,
          failed,
          p50: Math.round(percentile(latencies, 50) * 10) / 10,
          p95: Math.round(percentile(latencies, 95) * 10) / 10,
          max: Math.round((latencies.at(-1) ?? 0) * 10) / 10,
        },
      },
      {
        name: 'answer-save-throughput',
        value: Math.round(saveRate),
        unit: 'saves/s',
        baseline: Math.round(echoRate),
        ratio: Math.round((saveRate / echoRate) * 100) / 100,
        target: 0.5,
        extra: { clients: N, baselineIs: 'bare socket.io echo server, same clients, closed loop' },
      },
    ];
  } finally {
    await stopGracefully(server);
    rmSync(dataDir, { recursive: true, force: true });
  }
}
