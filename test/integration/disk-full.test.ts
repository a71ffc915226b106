import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SimulatedCandidate } from '../load/simulator';
import { prepareDemoSession } from '../support/demo-session';
import { startTestServer, type TestServer } from '../support/test-server';

let server: TestServer;
let candidate: SimulatedCandidate;

beforeAll(async () => {
  server = await startTestServer();
  await prepareDemoSession(server);
  candidate = new SimulatedCandidate(server.url, server.demo!.candidates[0]!);
  await candidate.login();
  await candidate.connect();
  await candidate.start();
});
afterAll(async () => {
  candidate.close();
  await server.stop();
});

describe('the disk fills up during a save', () => {
  it('refuses the save, the client keeps it, and it is stored once there is room again', async () => {
    for (let i = 0; i < 5; i++) await candidate.answerOne();
    expect(candidate.pending.size).toBe(0);
    // SQLITE_FULL is what a full disk gives: cap the database at its current size.
    const pages = server.db.pragma('page_count', { simple: true }) as number;
    server.db.pragma(`max_page_count = ${pages}`);
    let refused = 0;
    for (let i = 0; i < 400 && refused === 0; i++) {
      await candidate.answerOne();
      refused = candidate.pending.size;
    }
    expect(refused, 'a save was refused once the disk was full').toBeGreaterThan(0);
    const lostSeqs = [...candidate.pending.values()].map((p) => p.seq);
    const stored = server.db.prepare('SELECT seq FROM answer_history WHERE registration_id = ? AND seq = ?').pluck();
    for (const seq of lostSeqs) expect(stored.get(candidate.registrationId, seq)).toBeUndefined();
    expect(candidate.errors).toEqual([]); // refused as transient ('save-failed'), never as final

    server.db.pragma('max_page_count = 1073741823');
    await candidate.join(); // the client replays what is pending on (re)join, as after a reconnect
    await expect.poll(() => candidate.pending.size, { timeout: 10_000 }).toBe(0);
    for (const seq of lostSeqs) expect(stored.get(candidate.registrationId, seq)).toBe(seq);
    for (const a of candidate.acked) expect(stored.get(candidate.registrationId, a.seq)).toBe(a.seq);
  });
});
