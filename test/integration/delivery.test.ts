import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AnswerSaveAck, ExamSnapshot, ExamSubmitAck } from '../../server/src/protocol';
import { scorePaper } from '../../server/src/grading/score';
import { ManualClock } from '../../server/src/shared/clock';
import { connectSocket, expectOk, type CandidateSocket } from '../support/candidate-socket';
import { candidateToken, startTestServer, type TestServer } from '../support/test-server';
import { prepareDemoSession } from '../support/demo-session';

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

describe('exam delivery over socket.io', () => {
  it('sends no questions before start and only position, type, stem and options after', async () => {
    const socket = await candidate(0);
    const before = expectOk(await socket.call<ExamSnapshot>('exam:join'));
    expect(before.status).toBe('not-started');
    expect(before.questions).toEqual([]);
    const after = expectOk(await socket.call<ExamSnapshot>('exam:start'));
    expect(after.status).toBe('in-progress');
    expect(after.questions).toHaveLength(100);
    for (const q of after.questions) expect(Object.keys(q).sort()).toEqual(['options', 'position', 'stem', 'type']);
    expect(after.remainingMs).toBe(60 * 60_000);
  });

  it('acknowledges saves after they are stored, ignores replays and never lets an older save win', async () => {
    const socket = await candidate(1);
    expectOk(await socket.call('exam:start'));
    const first = expectOk(await socket.call<AnswerSaveAck>('answer:save', { position: 1, choice: [0], seq: 1 }));
    expect(first.applied).toBe(true);
    const replay = expectOk(await socket.call<AnswerSaveAck>('answer:save', { position: 1, choice: [0], seq: 1 }));
    expect(replay.applied).toBe(false);
    expectOk(await socket.call('answer:save', { position: 1, choice: [1], seq: 3 }));
    // seq 2 arrives late (e.g. replayed from the offline queue): stored in history, but seq 3 stays the answer.
    expectOk(await socket.call('answer:save', { position: 1, choice: [0], seq: 2 }));
    const snap = expectOk(await socket.call<ExamSnapshot>('exam:join'));
    expect(snap.answers[1]).toEqual({ choice: [1], seq: 3 });
    expect(snap.lastSeq).toBe(3);
  });

  it('rejects malformed and impossible saves with a clear code and stores nothing', async () => {
    const socket = await candidate(2);
    const snap = expectOk(await socket.call<ExamSnapshot>('exam:start'));
    const single = snap.questions.find((q) => q.type === 'single')!;
    const cases: [unknown, string][] = [
      [{ position: 0, choice: [0], seq: 1 }, 'invalid-input'],
      [{ position: 1, choice: 'A', seq: 1 }, 'invalid-input'],
      [{ position: 1, choice: [0] }, 'invalid-input'],
      ['x'.repeat(1000), 'invalid-input'],
      [{ position: 101, choice: [0], seq: 1 }, 'no-such-question'],
      [{ position: single.position, choice: [0, 1], seq: 1 }, 'invalid-choice'],
      [{ position: single.position, choice: [7], seq: 1 }, 'invalid-choice'],
      [{ position: single.position, choice: [1, 1], seq: 1 }, 'invalid-choice'],
    ];
    for (const [payload, code] of cases) {
      const ack = await socket.call('answer:save', payload);
      expect(ack.ok).toBe(false);
      if (!ack.ok) expect(ack.error.code, JSON.stringify(payload).slice(0, 60)).toBe(code);
    }
    const after = expectOk(await socket.call<ExamSnapshot>('exam:join'));
    expect(after.answers).toEqual({});
  });

  it('grades a submission from the paper key, and refuses changes afterwards', async () => {
    const socket = await candidate(3);
    const snap = expectOk(await socket.call<ExamSnapshot>('exam:start'));
    let seq = 0;
    for (const q of snap.questions.slice(0, 30)) {
      expectOk(await socket.call('answer:save', { position: q.position, choice: [0], seq: ++seq }));
    }
    const submitted = expectOk(await socket.call<ExamSubmitAck>('exam:submit', { confirm: true }));
    const registrationId = server.db
      .prepare('SELECT id FROM registrations WHERE admission_no = ?')
      .pluck()
      .get(server.demo!.candidates[3]!.admissionNo) as number;
    const { paper } = server.app.services.papers.paperFor(registrationId);
    const answers = new Map(
      server.app.services.delivery.repo.answers(registrationId).map((a) => [a.position, a.choice]),
    );
    const expected = scorePaper(paper, answers, 'all-or-nothing');
    expect(submitted.result?.score).toBe(expected.score);
    expect(submitted.result?.passed).toBe(expected.score >= 70);
    const late = await socket.call('answer:save', { position: 40, choice: [0], seq: ++seq });
    expect(late.ok ? 'ok' : late.error.code).toBe('already-submitted');
  });

  it('refuses answers after time is up, logs them, and submits at zero', async () => {
    const socket = await candidate(4);
    expectOk(await socket.call('exam:start'));
    expectOk(await socket.call('answer:save', { position: 2, choice: [1], seq: 1 }));
    clock.advance(60 * 60_000 + 1);
    const late = await socket.call('answer:save', { position: 3, choice: [0], seq: 2 });
    expect(late.ok ? 'ok' : late.error.code).toBe('time-up');
    const submittedEvent = new Promise((resolve) => socket.once('exam:submitted', resolve));
    expect(server.app.services.delivery.sweep()).toBeGreaterThanOrEqual(1);
    await submittedEvent;
    const snap = expectOk(await socket.call<ExamSnapshot>('exam:join'));
    expect(snap.status).toBe('submitted');
    expect(snap.answers[3]).toBeUndefined();
    const refused = server.db
      .prepare("SELECT count(*) FROM events WHERE type = 'answer.refused-after-time'")
      .pluck()
      .get();
    expect(refused).toBe(1);
  });
});
