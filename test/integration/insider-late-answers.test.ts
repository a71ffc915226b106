import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkChain } from '../../server/src/audit/chain-verify';
import { EventsRepo, sessionChain } from '../../server/src/audit/events.repo';
import type { ExamSnapshot, LateAnswerView } from '../../server/src/protocol';
import { sha256Hex } from '../../server/src/shared/canonical-json';
import { ManualClock } from '../../server/src/shared/clock';
import { connectSocket, expectOk, type CandidateSocket } from '../support/candidate-socket';
import { candidateToken, http, staffToken, startTestServer, type TestServer } from '../support/test-server';
import { prepareDemoSession } from '../support/demo-session';

// Issue 13 hole 8: a browser that was offline at zero replays its queue after the sweep auto-submitted the
// paper. Those saves are refused, but each is logged on the session chain with its content hash and kept
// as evidence the proctor can read.

let server: TestServer;
const clock = new ManualClock(Date.now());
const sockets: CandidateSocket[] = [];

beforeAll(async () => {
  server = await startTestServer({ clock });
  await prepareDemoSession(server);
});
afterAll(async () => {
  sockets.forEach((s) => s.close());
  await server.stop();
});

async function candidate(i: number) {
  const c = server.demo!.candidates[i]!;
  const token = await candidateToken(server.url, c.admissionNo, c.idNumber);
  const socket = await connectSocket(server.url, token);
  sockets.push(socket);
  return socket;
}

const registrationOf = (i: number) =>
  server.db
    .prepare('SELECT id FROM registrations WHERE admission_no = ?')
    .pluck()
    .get(server.demo!.candidates[i]!.admissionNo) as number;

type Refusal = { registrationId: number; position: number; seq: number; choiceHash: string; reason: string };

/** Every refused save logged on the session chain, single events and batches alike. */
function refusalsOnChain(sessionId: number): Refusal[] {
  const rows = server.db
    .prepare<[string], { type: string; payload: string }>(
      `SELECT type, payload FROM events WHERE chain = ?
         AND type IN ('answer.refused-after-time', 'answer.refused-after-submit', 'answers.refused-late')
       ORDER BY seq`,
    )
    .all(sessionChain(sessionId));
  return rows.flatMap((r) => {
    const p = JSON.parse(r.payload) as Refusal | { refusals: Refusal[] };
    return 'refusals' in p ? p.refusals : [p];
  });
}

describe('insider: late answers', () => {
  it('insider: saves replayed after the auto-submit are refused, logged with their hash and shown to the proctor', async () => {
    const sessionId = server.demo!.sessionId;
    const offline = await candidate(0);
    const slow = await candidate(1);
    expectOk(await offline.call('exam:start'));
    expectOk(await slow.call('exam:start'));
    expectOk(await offline.call('answer:save', { position: 1, choice: [0], seq: 1 }));

    clock.advance(60 * 60_000 + 1);
    // At zero, before the sweep: refused as time-up, and kept too.
    const timeUp = await slow.call('answer:save', { position: 5, choice: [1], seq: 1 });
    expect(timeUp.ok ? 'ok' : timeUp.error.code).toBe('time-up');
    expect(server.app.services.delivery.sweep()).toBeGreaterThanOrEqual(2);
    const snap = expectOk(await offline.call<ExamSnapshot>('exam:join'));
    expect(snap.status).toBe('submitted');

    // The browser that was offline at zero replays its queue.
    for (const save of [
      { position: 2, choice: [1], seq: 2 },
      { position: 3, choice: [0], seq: 3 },
      { position: 2, choice: [1], seq: 2 }, // the same save replayed twice is one piece of evidence
    ]) {
      const ack = await offline.call('answer:save', save);
      expect(ack.ok ? 'ok' : ack.error.code).toBe('already-submitted');
    }

    const onChain = refusalsOnChain(sessionId);
    expect(onChain).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          registrationId: registrationOf(1),
          position: 5,
          seq: 1,
          choiceHash: sha256Hex(JSON.stringify([1])),
          reason: 'time-up',
        }),
        expect.objectContaining({
          registrationId: registrationOf(0),
          position: 2,
          seq: 2,
          choiceHash: sha256Hex(JSON.stringify([1])),
          reason: 'already-submitted',
        }),
        expect.objectContaining({
          registrationId: registrationOf(0),
          position: 3,
          seq: 3,
          choiceHash: sha256Hex(JSON.stringify([0])),
          reason: 'already-submitted',
        }),
      ]),
    );
    expect(onChain.filter((r) => r.registrationId === registrationOf(0))).toHaveLength(2);
    expect(checkChain(new EventsRepo(server.db).list(sessionChain(sessionId), 0, 100_000)).broken).toBeNull();

    // Never applied to the graded answers.
    const answers = server.app.services.delivery.repo.answers(registrationOf(0)).map((a) => a.position);
    expect(answers).toEqual([1]);

    const proctor = await staffToken(server.url, 'proctor1', 'demo-proctor-2026');
    const listed = await http<{ lateAnswers: LateAnswerView[] }>(
      server.url,
      `/api/proctoring/sessions/${sessionId}/late-answers`,
      { token: proctor },
    );
    expect(listed.status).toBe(200);
    expect(listed.body.lateAnswers).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          registrationId: registrationOf(0),
          position: 2,
          choice: [1],
          seq: 2,
          choiceHash: sha256Hex(JSON.stringify([1])),
          reason: 'already-submitted',
        }),
        expect.objectContaining({ registrationId: registrationOf(0), position: 3, choice: [0] }),
        expect.objectContaining({ registrationId: registrationOf(1), position: 5, reason: 'time-up' }),
      ]),
    );
    expect(listed.body.lateAnswers).toHaveLength(3);

    // A candidate cannot read the evidence.
    const c = server.demo!.candidates[2]!;
    const candidateToken2 = await candidateToken(server.url, c.admissionNo, c.idNumber);
    const denied = await http(server.url, `/api/proctoring/sessions/${sessionId}/late-answers`, {
      token: candidateToken2,
    });
    expect(denied.status).toBe(403);
  });
  it('insider: no answer can be written for a submitted attempt, not even to fill in a blank', () => {
    // The insider with the database: a blank question (position 4) of a submitted paper filled in afterwards.
    const r = registrationOf(0);
    expect(() =>
      server.db
        .prepare('INSERT INTO answers (registration_id, position, choice, seq, saved_at) VALUES (?, 4, ?, 99, 0)')
        .run(r, '[0]'),
    ).toThrow(/attempt is submitted/);
    expect(() =>
      server.db
        .prepare(
          'INSERT INTO answer_history (registration_id, seq, position, choice, saved_at) VALUES (?, 99, 4, ?, 0)',
        )
        .run(r, '[0]'),
    ).toThrow(/attempt is submitted/);
  });
});
