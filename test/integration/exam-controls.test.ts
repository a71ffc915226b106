import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExamSnapshot, TimeSync } from '../../server/src/protocol';
import { beat, compensateOutage } from '../../server/src/delivery/outage';
import { ManualClock } from '../../server/src/shared/clock';
import { connectSocket, expectOk, type CandidateSocket } from '../support/candidate-socket';
import { prepareDemoSession } from '../support/demo-session';
import { candidateToken, http, staffToken, startTestServer, type TestServer } from '../support/test-server';

const MIN = 60_000;
let server: TestServer;
const clock = new ManualClock(Date.now());
const sockets: CandidateSocket[] = [];
let proctor: string;
let official: string;

beforeAll(async () => {
  server = await startTestServer({ clock });
  await prepareDemoSession(server);
  proctor = await staffToken(server.url, 'proctor1', 'demo-proctor-2026');
  official = await staffToken(server.url, 'official', 'demo-official-2026');
});
afterAll(async () => {
  sockets.forEach((s) => s.close());
  await server.stop();
});

const demo = (i: number) => server.demo!.candidates[i]!;
const registrationId = (i: number) =>
  server.db.prepare('SELECT id FROM registrations WHERE admission_no = ?').pluck().get(demo(i).admissionNo) as number;

async function started(i: number): Promise<CandidateSocket> {
  const token = await candidateToken(server.url, demo(i).admissionNo, demo(i).idNumber);
  const socket = await connectSocket(server.url, token);
  sockets.push(socket);
  expectOk(await socket.call('exam:start'));
  return socket;
}
const remaining = async (s: CandidateSocket) => expectOk(await s.call<TimeSync>('exam:time'));

describe('emergency controls', () => {
  it('stops every clock during a session-wide pause and keeps refused saves for later', async () => {
    const socket = await started(0);
    clock.advance(5 * MIN);
    expect((await remaining(socket)).remainingMs).toBe(55 * MIN);
    const resync = new Promise((r) => socket.once('exam:resync', r));
    const paused = await http(server.url, `/api/sessions/${server.demo!.sessionId}/pause`, {
      token: proctor,
      body: { reason: '考场停电' },
    });
    expect(paused.status).toBe(200);
    await resync;
    clock.advance(20 * MIN);
    const during = await remaining(socket);
    expect(during).toMatchObject({ remainingMs: 55 * MIN, paused: true });
    const refused = await socket.call('answer:save', { position: 1, choice: [0], seq: 1 });
    expect(refused.ok ? 'ok' : refused.error.code).toBe('session-paused');
    expect(
      (
        await http(server.url, `/api/sessions/${server.demo!.sessionId}/resume`, {
          token: proctor,
          body: { reason: '恢复供电' },
        })
      ).status,
    ).toBe(200);
    clock.advance(1 * MIN);
    expect(await remaining(socket)).toMatchObject({ remainingMs: 54 * MIN, paused: false });
    expectOk(await socket.call('answer:save', { position: 1, choice: [0], seq: 1 }));
  });

  it('extends, pauses and resumes one candidate without touching the others', async () => {
    const a = await started(1);
    const b = await started(2);
    const before = (await remaining(b)).remainingMs;
    const rid = registrationId(1);
    expect(
      (
        await http(server.url, `/api/registrations/${rid}/extend`, {
          token: proctor,
          body: { minutes: 5, reason: '电脑故障耽误' },
        })
      ).status,
    ).toBe(200);
    expect(
      (await http(server.url, `/api/registrations/${rid}/pause`, { token: proctor, body: { reason: '更换鼠标' } }))
        .status,
    ).toBe(200);
    const aBefore = (await remaining(a)).remainingMs;
    clock.advance(3 * MIN);
    expect((await remaining(a)).remainingMs).toBe(aBefore);
    expect((await remaining(b)).remainingMs).toBe(before - 3 * MIN);
    expect(
      (await http(server.url, `/api/registrations/${rid}/resume`, { token: proctor, body: { reason: '已更换' } }))
        .status,
    ).toBe(200);
    expect(aBefore).toBe(60 * MIN + 5 * MIN);
  });

  it('moves a candidate to a spare seat with answers and time, and retires the old seat’s login', async () => {
    const socket = await started(3);
    expectOk(await socket.call('answer:save', { position: 4, choice: [1], seq: 1 }));
    const before = (await remaining(socket)).remainingMs;
    const rid = registrationId(3);
    const moved = new Promise<{ toSeat: number }>((r) => socket.once('exam:seat-moved', r));
    const taken = await http<{ error: { code: string } }>(server.url, `/api/registrations/${rid}/seat-move`, {
      token: proctor,
      body: { toSeat: demo(0).seatNo, reason: '电脑死机' },
    });
    expect(taken.body.error.code).toBe('seat-taken');
    const res = await http(server.url, `/api/registrations/${rid}/seat-move`, {
      token: proctor,
      body: { toSeat: 29, reason: '电脑死机' },
    });
    expect(res.status).toBe(200);
    expect((await moved).toSeat).toBe(29);
    clock.advance(4 * MIN); // walking to the spare seat does not cost exam time
    const oldToken = socket.auth as { token: string };
    await expect(connectSocket(server.url, oldToken.token)).rejects.toThrow(/seat-moved/);
    const again = await connectSocket(
      server.url,
      await candidateToken(server.url, demo(3).admissionNo, demo(3).idNumber),
    );
    sockets.push(again);
    const snap = expectOk(await again.call<ExamSnapshot>('exam:join'));
    expect(snap.answers[4]).toEqual({ choice: [1], seq: 1 });
    expect(snap.remainingMs).toBe(before);
    expect(snap.paused).toBe(false);
  });

  it('lets a candidate log in only at the workstation enrolled at their seat, when the session says so', async () => {
    const sessionId = server.demo!.sessionId;
    server.db
      .prepare("UPDATE sessions SET settings = json_set(settings, '$.requireWorkstation', json('true')) WHERE id = ?")
      .run(sessionId);
    try {
      const c = demo(4);
      const login = (workstationToken?: string) =>
        http<{ error?: { code: string } }>(server.url, '/api/auth/candidate', {
          body: { admissionNo: c.admissionNo, idNumber: c.idNumber, workstationToken },
        });
      expect((await login()).body.error?.code).toBe('workstation-required');
      const roomId = server.db.prepare('SELECT room_id FROM sessions WHERE id = ?').pluck().get(sessionId) as number;
      // The exam is on, so a candidate's seat is enrolled by the session's chief examiner (issue 13).
      const chief = await staffToken(server.url, 'chief', 'demo-chief-2026');
      const enrol = (seatNo: number) =>
        http<{ token: string }>(server.url, `/api/rooms/${roomId}/workstations`, { token: chief, body: { seatNo } });
      const other = (await enrol(c.seatNo + 1)).body.token;
      expect((await login(other)).body.error?.code).toBe('wrong-seat');
      const own = (await enrol(c.seatNo)).body.token;
      expect((await login(own)).status).toBe(200);
      expect((await login('forged.token.value')).body.error?.code).toBe('workstation-required');
      // Re-enrolling the seat (a replaced PC) retires the old browser's token.
      await enrol(c.seatNo);
      expect((await login(own)).body.error?.code).toBe('workstation-required');
    } finally {
      server.db
        .prepare(
          "UPDATE sessions SET settings = json_set(settings, '$.requireWorkstation', json('false')) WHERE id = ?",
        )
        .run(sessionId);
    }
  });

  it('does not let a candidate whose identity check failed start the exam', async () => {
    const rid = registrationId(4);
    const failed = await http(server.url, `/api/proctoring/registrations/${rid}/identity`, {
      token: proctor,
      body: { outcome: 'fail', note: '照片与本人不符' },
    });
    expect(failed.status).toBe(200);
    const token = await candidateToken(server.url, demo(4).admissionNo, demo(4).idNumber);
    const socket = await connectSocket(server.url, token);
    sockets.push(socket);
    const ack = await socket.call('exam:start');
    expect(ack.ok ? 'ok' : ack.error.code).toBe('identity-not-verified');
    const passed = await http(server.url, `/api/proctoring/registrations/${rid}/identity`, {
      token: proctor,
      body: { outcome: 'pass', note: '复核通过', idCard: { number: demo(4).idNumber, photoCompared: true } },
    });
    expect(passed.status).toBe(200);
    expectOk(await socket.call('exam:start'));
  });

  it('refuses every control to officials and candidates', async () => {
    const rid = registrationId(1);
    const candidate = await candidateToken(server.url, demo(1).admissionNo, demo(1).idNumber);
    const routes: [string, unknown][] = [
      [`/api/sessions/${server.demo!.sessionId}/pause`, { reason: '测试' }],
      [`/api/sessions/${server.demo!.sessionId}/close`, { reason: '测试' }],
      [`/api/registrations/${rid}/extend`, { minutes: 5, reason: '测试' }],
      [`/api/registrations/${rid}/seat-move`, { toSeat: 28, reason: '测试' }],
      [`/api/registrations/${rid}/collect`, { reason: '测试' }],
      [`/api/rooms/1/workstations`, { seatNo: 1 }],
    ];
    for (const [path, body] of routes) {
      expect((await http(server.url, path, { token: official, body })).status, path).toBe(403);
      expect((await http(server.url, path, { token: candidate, body })).status, path).toBe(403);
    }
    const noReason = await http<{ error: { code: string } }>(server.url, `/api/registrations/${rid}/extend`, {
      token: proctor,
      body: { minutes: 5 },
    });
    expect(noReason.body.error.code).toBe('invalid-input');
  });

  it('gives back server downtime, up to the session cap, as a pause', async () => {
    const socket = await started(4);
    const before = (await remaining(socket)).remainingMs;
    beat(server.db, clock);
    clock.advance(7 * MIN); // the server was down for 7 minutes
    const compensated = compensateOutage(server.db, clock);
    expect(compensated).toEqual([{ sessionId: server.demo!.sessionId, compensatedMs: 7 * MIN }]);
    expect((await remaining(socket)).remainingMs).toBe(before);
  });

  it('closes the session: every open paper is collected and graded', async () => {
    const token = await staffToken(server.url, 'chief', 'demo-chief-2026');
    const res = await http(server.url, `/api/sessions/${server.demo!.sessionId}/close`, {
      token,
      body: { reason: '考试结束' },
    });
    expect(res.status).toBe(200);
    const ofSession = (sql: string) =>
      server.db
        .prepare(`${sql} AND registration_id IN (SELECT id FROM registrations WHERE session_id = ?)`)
        .pluck()
        .get(server.demo!.sessionId);
    expect(ofSession('SELECT count(*) FROM attempts WHERE submitted_at IS NULL')).toBe(0);
    expect(ofSession('SELECT count(*) FROM results WHERE 1')).toBe(5);
  });
});
