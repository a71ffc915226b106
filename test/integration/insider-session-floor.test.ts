import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SeatGrid } from '../../server/src/protocol';
import { ManualClock } from '../../server/src/shared/clock';
import { connectSocket, expectOk, type CandidateSocket } from '../support/candidate-socket';
import { prepareDemoSession } from '../support/demo-session';
import { http, staffToken, startTestServer, type TestServer, offDutyChiefToken } from '../support/test-server';

/**
 * Issue 13, "the session floor": what one member of staff can do to a session on the day — holes 1, 10, 13,
 * 14 and 15. Real server, real sockets, real SQLite; each case names the hole it closes.
 */
const MIN = 60_000;
let server: TestServer;
let parent: string;
let recordings: string;
const clock = new ManualClock(Date.now());
const sockets: CandidateSocket[] = [];
const t: Record<'chief' | 'proctor1' | 'proctor2' | 'proctor3' | 'admin', string> = {
  chief: '',
  proctor1: '',
  proctor2: '',
  proctor3: '',
  admin: '',
};

type Err = { error?: { code: string; message: string } };
const code = (res: { status: number; body: unknown }) => (res.body as Err).error?.code ?? `status ${res.status}`;

beforeAll(async () => {
  // The default recordings folder is a sibling of the data folder (<data>/../recordings).
  parent = mkdtempSync(join(tmpdir(), 'exam-center-floor-'));
  recordings = join(parent, 'recordings');
  mkdirSync(recordings);
  server = await startTestServer({ clock, dataDir: join(parent, 'data') });
  await prepareDemoSession(server);
  t.chief = await staffToken(server.url, 'chief', 'demo-chief-2026');
  t.proctor1 = await staffToken(server.url, 'proctor1', 'demo-proctor-2026');
  t.proctor2 = await staffToken(server.url, 'proctor2', 'demo-proctor-2026');
  t.proctor3 = await staffToken(server.url, 'proctor3', 'demo-proctor-2026');
  t.admin = await staffToken(server.url, 'admin', 'demo-admin-2026');
});
afterAll(async () => {
  sockets.forEach((s) => s.close());
  await server.stop();
  rmSync(parent, { recursive: true, force: true });
});

const sessionId = () => server.demo!.sessionId;
const demo = (i: number) => server.demo!.candidates[i]!;
const registrationId = (i: number) =>
  server.db.prepare('SELECT id FROM registrations WHERE admission_no = ?').pluck().get(demo(i).admissionNo) as number;
const staffId = (username: string) =>
  server.db.prepare('SELECT id FROM staff WHERE username = ?').pluck().get(username) as number;
const post = (path: string, token: string, body: unknown = {}) => http(server.url, path, { token, body });

async function started(i: number, workstationToken?: string): Promise<CandidateSocket> {
  const res = await http<{ token: string }>(server.url, '/api/auth/candidate', {
    body: { admissionNo: demo(i).admissionNo, idNumber: demo(i).idNumber, workstationToken },
  });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  const socket = await connectSocket(server.url, res.body.token, workstationToken);
  sockets.push(socket);
  expectOk(await socket.call('exam:start'));
  return socket;
}

describe('hole 1: room video', () => {
  it('insider: room video outside the recordings folder is refused', async () => {
    const attach = (path: string) =>
      post(`/api/sessions/${sessionId()}/videos`, t.chief, { path, startsAt: 0, endsAt: 1, includeFile: true });
    const keys = join(server.dataDir, 'keys', 'jwt-secret');
    writeFileSync(join(parent, 'elsewhere.mp4'), 'not a recording');
    symlinkSync(keys, join(recordings, 'keys-link.mp4'));
    symlinkSync(join(server.dataDir, 'keys'), join(recordings, 'keys-dir'));
    const refused = [
      keys,
      join(recordings, '..', 'data', 'keys', 'jwt-secret'),
      join(recordings, 'keys-link.mp4'),
      join(recordings, 'keys-dir', 'jwt-secret'),
      join(parent, 'elsewhere.mp4'),
      '/etc/passwd',
      '../data/keys/jwt-secret',
    ];
    for (const path of refused) {
      const res = await attach(path);
      expect(code(res), path).toBe('video-outside-recordings');
      expect(JSON.stringify(res.body), path).not.toContain(server.dataDir);
    }
    expect(server.db.prepare('SELECT count(*) FROM room_videos').pluck().get()).toBe(0);
    writeFileSync(join(recordings, 'cam-front.mp4'), Buffer.alloc(1000, 1));
    const ok = await attach(join(recordings, 'cam-front.mp4'));
    expect(ok.status, JSON.stringify(ok.body)).toBe(201);
    // A name relative to the recordings folder is resolved inside it.
    writeFileSync(join(recordings, 'cam-back.mp4'), Buffer.alloc(1000, 2));
    expect((await attach('cam-back.mp4')).status).toBe(201);
  });
});

describe('hole 10: session actions need an assignment', () => {
  it('insider: staff not assigned to the session cannot act on it', async () => {
    const rid = registrationId(1);
    const attempts: [string, unknown][] = [
      [`/api/registrations/${rid}/extend`, { minutes: 5, reason: '测试' }],
      [`/api/sessions/${sessionId()}/pause`, { reason: '测试' }],
      [`/api/registrations/${rid}/seat-move`, { toSeat: 28, reason: '测试' }],
      [`/api/registrations/${rid}/pause`, { reason: '测试' }],
      [`/api/proctoring/registrations/${rid}/identity`, { outcome: 'fail', note: '测试' }],
      [`/api/proctoring/sessions/${sessionId()}/messages`, { kind: 'notice', text: '测试' }],
      [`/api/proctoring/sessions/${sessionId()}/registrations/${rid}/messages`, { kind: 'warning', text: '测试' }],
      [`/api/proctoring/sessions/${sessionId()}/incidents`, { type: 'other', note: '测试' }],
    ];
    for (const [path, body] of attempts) {
      // proctor3 was refused for this session (回避: the brother of a candidate); the admin is not on duty.
      expect(code(await post(path, t.proctor3, body)), path).toBe('not-assigned');
    }
    for (const [path, body] of attempts.slice(0, 4))
      expect(code(await post(path, t.admin, body)), `admin ${path}`).toBe('not-assigned');
    // Closing, starting and attaching video are the session's own chief examiner's, not the admin's.
    expect(code(await post(`/api/sessions/${sessionId()}/close`, t.admin, { reason: '测试' }))).toBe('not-assigned');
    expect(code(await post(`/api/sessions/${sessionId()}/start`, t.admin))).toBe('not-assigned');
    expect(
      code(await post(`/api/sessions/${sessionId()}/videos`, t.admin, { path: 'x.mp4', startsAt: 0, endsAt: 1 })),
    ).toBe('not-assigned');
    const roomId = server.db.prepare('SELECT room_id FROM sessions WHERE id = ?').pluck().get(sessionId()) as number;
    expect(code(await post(`/api/rooms/${roomId}/workstations`, t.proctor3, { seatNo: 1 }))).toBe('not-assigned');
    expect(
      server.db
        .prepare('SELECT count(*) FROM events WHERE actor = ?')
        .pluck()
        .get(`staff:${staffId('proctor3')}`),
    ).toBe(
      server.db
        .prepare("SELECT count(*) FROM events WHERE actor = ? AND type LIKE 'auth.%'")
        .pluck()
        .get(`staff:${staffId('proctor3')}`),
    );
  });

  it('insider: an assigned proctor is refused on a candidate the recusal rule now names', async () => {
    const target = demo(2);
    server.app.services.people.declarations.signed(
      staffId('proctor2'),
      {
        relationships: [
          { kind: 'relative', personIdNumber: target.idNumber, personName: target.name, orgId: null, note: '表亲' },
        ],
        engagements: [],
      },
      'system:test',
    );
    const res = await post(`/api/registrations/${registrationId(2)}/extend`, t.proctor2, {
      minutes: 5,
      reason: '测试',
    });
    expect(code(res)).toBe('recusal-conflict');
    server.app.services.people.declarations.signed(
      staffId('proctor2'),
      { relationships: [], engagements: [] },
      'system:test',
    );
  });

  it('insider: extensions past the per-candidate cap wait for a second assigned person', async () => {
    await started(1);
    const rid = registrationId(1);
    const extend = (token: string, minutes: number) =>
      post(`/api/registrations/${rid}/extend`, token, { minutes, reason: '电脑故障' });
    expect((await extend(t.proctor1, 20)).status).toBe(200);
    const over = await extend(t.proctor1, 20);
    expect(over.status, JSON.stringify(over.body)).toBe(202);
    const pending = (over.body as { pending: { id: number } }).pending;
    const extensionMs = () =>
      server.db.prepare('SELECT extension_ms FROM attempts WHERE registration_id = ?').pluck().get(rid) as number;
    expect(extensionMs()).toBe(20 * MIN);
    expect(code(await post(`/api/extensions/${pending.id}/confirm`, t.proctor1))).toBe('second-person-required');
    expect(code(await post(`/api/extensions/${pending.id}/confirm`, t.proctor3))).toBe('not-assigned');
    expect((await post(`/api/extensions/${pending.id}/confirm`, t.proctor2)).status).toBe(200);
    expect(extensionMs()).toBe(40 * MIN);
    expect(code(await post(`/api/extensions/${pending.id}/confirm`, t.chief))).toBe('extension-not-pending');
  });
});

describe('hole 13: seat binding beyond login', () => {
  it('insider: a candidate token only opens the exam from its enrolled workstation', async () => {
    server.db
      .prepare("UPDATE sessions SET settings = json_set(settings, '$.requireWorkstation', json('true')) WHERE id = ?")
      .run(sessionId());
    try {
      const c = demo(3);
      const roomId = server.db.prepare('SELECT room_id FROM sessions WHERE id = ?').pluck().get(sessionId()) as number;
      // The exam is on, so a candidate's seat is enrolled by the session's chief examiner (insider-more.test.ts).
      const enrol = async (seatNo: number) =>
        (
          await http<{ token: string }>(server.url, `/api/rooms/${roomId}/workstations`, {
            token: t.chief,
            body: { seatNo },
          })
        ).body.token;
      const ws = await enrol(c.seatNo);
      const login = await http<{ token: string }>(server.url, '/api/auth/candidate', {
        body: { admissionNo: c.admissionNo, idNumber: c.idNumber, workstationToken: ws },
      });
      expect(login.status).toBe(200);
      // The token copied to another device (no workstation, or another seat's) opens nothing.
      await expect(connectSocket(server.url, login.body.token)).rejects.toThrow(/workstation-required/);
      const other = await enrol(c.seatNo === 1 ? 2 : 1);
      await expect(connectSocket(server.url, login.body.token, other)).rejects.toThrow(/wrong-workstation/);
      const meOther = await fetch(`${server.url}/api/candidate/me`, {
        headers: { authorization: `Bearer ${login.body.token}` },
      });
      expect(meOther.status).toBe(403);
      // Reporting staff conduct is not bound to the seat: a candidate may do it from their own phone.
      const conduct = await fetch(`${server.url}/api/candidate/conduct`, {
        headers: { authorization: `Bearer ${login.body.token}` },
      });
      expect(conduct.status).toBe(200);
      const socket = await connectSocket(server.url, login.body.token, ws);
      sockets.push(socket);
      // The seat's PC is replaced (re-enrolled): the old browser can no longer start.
      await enrol(c.seatNo);
      const start = await socket.call('exam:start');
      expect(start.ok ? 'ok' : start.error.code).toBe('workstation-required');
    } finally {
      server.db
        .prepare(
          "UPDATE sessions SET settings = json_set(settings, '$.requireWorkstation', json('false')) WHERE id = ?",
        )
        .run(sessionId());
    }
  });

  it('insider: seats move only while the session is open or running', () => {
    const past = server.demo!.pastSession!.sessionId;
    const rid = server.db
      .prepare('SELECT id FROM registrations WHERE session_id = ? LIMIT 1')
      .pluck()
      .get(past) as number;
    expect(() => server.app.services.controls.seatMove(rid, 30, '事后调整', `staff:${staffId('chief')}`)).toThrow(
      expect.objectContaining({ code: 'session-not-live' }) as Error,
    );
  });
});

describe('hole 14: two proctors per room while the exam runs', () => {
  it('insider: unassigning a proctor that leaves the running room below the minimum is refused', async () => {
    const res = await http(server.url, `/api/sessions/${sessionId()}/staff/${staffId('proctor2')}`, {
      method: 'DELETE',
      token: t.chief,
    });
    expect(code(res)).toBe('room-understaffed');
    // Nor is the running session left without its chief examiner (who alone may close it).
    const chief = await http(server.url, `/api/sessions/${sessionId()}/staff/${staffId('chief')}`, {
      method: 'DELETE',
      token: t.chief,
    });
    expect(code(chief)).toBe('chief-required');
    expect(
      server.db
        .prepare('SELECT count(*) FROM session_staff WHERE session_id = ? AND staff_id = ?')
        .pluck()
        .get(sessionId(), staffId('proctor2')),
    ).toBe(1);
  });
});

describe('also found: staff changes while the exam runs', () => {
  it('insider: a chief examiner of another session cannot change this running session’s staff', async () => {
    // A chief examiner by role, on duty elsewhere: not this session's chief.
    const other = await offDutyChiefToken(server, 'chief2', '周明');
    const res = await http(server.url, `/api/sessions/${sessionId()}/staff/${staffId('proctor1')}`, {
      method: 'DELETE',
      token: other,
    });
    expect(code(res)).toBe('not-assigned');
    const add = await post(`/api/sessions/${sessionId()}/staff`, other, {
      staffId: staffId('chief2'),
      duty: 'proctor',
    });
    expect(code(add)).toBe('not-assigned');
  });
});

describe('hole 15: identity check without a registered photo', () => {
  it('insider: without a registered photo a pass records the ID card number read and the photo compared', async () => {
    const rid = registrationId(0);
    const check = (body: unknown) => post(`/api/proctoring/registrations/${rid}/identity`, t.proctor1, body);
    expect(code(await check({ outcome: 'pass' }))).toBe('id-card-check-required');
    expect(code(await check({ outcome: 'pass', idCard: { number: demo(1).idNumber, photoCompared: true } }))).toBe(
      'id-card-mismatch',
    );
    expect(code(await check({ outcome: 'pass', idCard: { number: demo(0).idNumber, photoCompared: false } }))).toBe(
      'id-card-check-required',
    );
    const ok = await check({
      outcome: 'pass',
      idCard: { number: demo(0).idNumber.toLowerCase(), photoCompared: true },
    });
    expect(ok.status, JSON.stringify(ok.body)).toBe(200);
    const grid = await http<SeatGrid>(server.url, `/api/proctoring/sessions/${sessionId()}/seats`, {
      token: await staffToken(server.url, 'official', 'demo-official-2026'),
    });
    expect(grid.body.identityReport).toMatchObject({ passedByIdCard: 1, passedByPhoto: 0 });
    const event = server.db
      .prepare("SELECT payload FROM events WHERE type = 'identity.checked' ORDER BY id DESC LIMIT 1")
      .pluck()
      .get() as string;
    expect(JSON.parse(event)).toMatchObject({ basis: 'id-card', idCardMatched: true, idPhotoCompared: true });
    expect(event).not.toContain(demo(0).idNumber);
  });
});
