import Database from 'better-sqlite3';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { LoadCredentials } from '../load/load-session';
import { freePort, killHard, spawnServer, stopGracefully } from '../load/server-child';
import { answerContinuously, SimulatedCandidate, sleep, waitFor } from '../load/simulator';

const CANDIDATES = Number(process.env.KILL_TEST_CANDIDATES ?? 200);
const KILLS = 2;
const dataDir = mkdtempSync(join(tmpdir(), 'exam-center-kill-'));
let server: ChildProcess | null = null;
let candidates: SimulatedCandidate[] = [];

afterAll(async () => {
  candidates.forEach((c) => c.close());
  if (server) await stopGracefully(server);
  rmSync(dataDir, { recursive: true, force: true });
});

async function staffLogin(url: string): Promise<string> {
  const res = await fetch(`${url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'proctor1', password: 'demo-proctor-2026' }),
  });
  return ((await res.json()) as { token: string }).token;
}

/** Outage time the server gave back (session.outage-compensated events), read from its database. */
function compensatedSince(sessionId: number, since: number): number {
  const db = new Database(join(dataDir, 'exam-center.db'), { readonly: true });
  try {
    const rows = db
      .prepare("SELECT payload FROM events WHERE chain = ? AND type = 'session.outage-compensated' AND at >= ?")
      .pluck()
      .all(`session:${sessionId}`, since) as string[];
    return rows.reduce((t, p) => t + (JSON.parse(p) as { compensatedMs: number }).compensatedMs, 0);
  } finally {
    db.close();
  }
}

describe(`SIGKILL of the server while ${CANDIDATES} candidates answer, move seats and submit`, () => {
  it('loses no acknowledged answer and resumes every clock correctly', async () => {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    server = await spawnServer({ dataDir, port, candidates: CANDIDATES });
    const creds = JSON.parse(readFileSync(join(dataDir, 'load-credentials.json'), 'utf8')) as LoadCredentials;
    candidates = creds.candidates.map((c) => new SimulatedCandidate(url, c));
    for (let i = 0; i < candidates.length; i += 50) {
      await Promise.all(
        candidates.slice(i, i + 50).map(async (c) => (await c.login(), await c.connect(), await c.start())),
      );
    }
    const answering = answerContinuously(candidates, 400);

    for (let kill = 0; kill < KILLS; kill++) {
      await sleep(1000 + Math.random() * 2000); // a random moment mid-exam
      await Promise.all(candidates.map((c) => c.sync()));
      const before = candidates.map((c) => ({ ...c.lastSync! })); // re-joining after restart syncs again
      const killedAt = Date.now();
      await killHard(server);
      const joinsBefore = candidates.map((c) => c.joins);
      await sleep(300 + Math.random() * 700);
      server = await spawnServer({ dataDir, port });
      await waitFor(() => candidates.every((c, i) => c.joins > joinsBefore[i]!), 30_000, 'every candidate to re-join');
      const compensated = compensatedSince(creds.sessionId, killedAt);
      const drift = await Promise.all(
        candidates.map(async (c, i) => {
          const now = await c.sync();
          const expected = before[i]!.remainingMs - (Date.now() - before[i]!.at) + compensated;
          return Math.abs(now!.remainingMs - expected);
        }),
      );
      expect(Math.max(...drift), `kill ${kill + 1}: worst clock error (ms)`).toBeLessThanOrEqual(2000);
      console.info(`kill ${kill + 1}: worst clock error ${Math.max(...drift)} ms, outage given back ${compensated} ms`);
    }

    // Ten machines fail: their candidates move to spare seats and go on answering there.
    const proctor = await staffLogin(url);
    const moved = candidates.slice(0, 10);
    for (const [i, c] of moved.entries()) {
      const res = await fetch(`${url}/api/registrations/${c.registrationId}/seat-move`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${proctor}` },
        body: JSON.stringify({ toSeat: CANDIDATES + 1 + i, reason: '考试机故障，换备用机' }),
      });
      expect(res.status).toBe(200);
      await c.relogin();
    }
    await sleep(1500);

    answering.stop();
    await waitFor(
      () => candidates.every((c) => c.pending.size === 0),
      30_000,
      'every pending answer to be acknowledged',
    );
    for (const c of candidates) await c.submit();
    await stopGracefully(server);
    server = null;

    const db = new Database(join(dataDir, 'exam-center.db'), { readonly: true });
    try {
      const inHistory = db.prepare('SELECT choice FROM answer_history WHERE registration_id = ? AND seq = ?').pluck();
      const current = db.prepare('SELECT seq FROM answers WHERE registration_id = ? AND position = ?').pluck();
      let acked = 0;
      for (const c of candidates) {
        for (const a of c.acked) {
          acked++;
          expect(inHistory.get(c.registrationId, a.seq), `${c.credentials.admissionNo} seq ${a.seq}`).toBe(
            JSON.stringify(a.choice),
          );
          expect(current.get(c.registrationId, a.position) as number).toBeGreaterThanOrEqual(a.seq);
        }
        // The stored answer is the newest acknowledged one: nothing duplicated, nothing older winning.
        const newest = new Map<number, number>();
        for (const a of c.acked) newest.set(a.position, Math.max(newest.get(a.position) ?? 0, a.seq));
        for (const [position, seq] of newest) expect(current.get(c.registrationId, position)).toBe(seq);
      }
      expect(acked).toBeGreaterThan(CANDIDATES * 3);
      console.info(`${acked} acknowledged saves by ${CANDIDATES} candidates, all present after ${KILLS} SIGKILLs`);
      expect(candidates.flatMap((c) => c.errors)).toEqual([]);
      const results = db
        .prepare(
          'SELECT count(*) FROM results WHERE registration_id IN (SELECT id FROM registrations WHERE session_id = ?)',
        )
        .pluck()
        .get(creds.sessionId);
      expect(results).toBe(CANDIDATES);
    } finally {
      db.close();
    }
  }, 240_000);
});
