import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../server/src/shared/clock';
import { connectSocket, type CandidateSocket } from '../support/candidate-socket';
import { prepareDemoSession } from '../support/demo-session';
import { http, staffToken, startTestServer, type TestServer, offDutyChiefToken } from '../support/test-server';

/**
 * Issue 13, "then look for the next one yourselves": further ways one member of staff could get round the
 * product's promises, found by reading the routes and sockets as an insider. Real server, real sockets, real
 * SQLite. proctor3 is the brother of a demo candidate (回避), so the integrity rules kept him out of the demo
 * session; proctor1 is on duty in it.
 */
let server: TestServer;
let parent: string;
const clock = new ManualClock(Date.now());
const sockets: CandidateSocket[] = [];
const t: Record<'chief' | 'proctor1' | 'proctor3' | 'admin' | 'official', string> = {
  chief: '',
  proctor1: '',
  proctor3: '',
  admin: '',
  official: '',
};

type Err = { error?: { code: string; message: string } };
const code = (res: { status: number; body: unknown }) => (res.body as Err).error?.code ?? `status ${res.status}`;

beforeAll(async () => {
  parent = mkdtempSync(join(tmpdir(), 'exam-center-insider-more-'));
  server = await startTestServer({ clock, dataDir: join(parent, 'data') });
  await prepareDemoSession(server);
  t.chief = await staffToken(server.url, 'chief', 'demo-chief-2026');
  t.proctor1 = await staffToken(server.url, 'proctor1', 'demo-proctor-2026');
  t.proctor3 = await staffToken(server.url, 'proctor3', 'demo-proctor-2026');
  t.admin = await staffToken(server.url, 'admin', 'demo-admin-2026');
  t.official = await staffToken(server.url, 'official', 'demo-official-2026');
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
const roomId = () => server.db.prepare('SELECT room_id FROM sessions WHERE id = ?').pluck().get(sessionId()) as number;

describe('reading a session needs a duty in it', () => {
  it("insider: a proctor not on duty cannot read another session's seats, candidates, evidence or tickets", async () => {
    const candidate = await http<{ token: string }>(server.url, '/api/auth/candidate', {
      body: { admissionNo: demo(0).admissionNo, idNumber: demo(0).idNumber },
    });
    const snapshot = await http<{ evidenceId: number }>(server.url, '/api/candidate/snapshot', {
      token: candidate.body.token,
      body: { camera: 'none', reason: '测试' },
    });
    expect(snapshot.status, JSON.stringify(snapshot.body)).toBe(200);
    const reads = [
      `/api/proctoring/sessions/${sessionId()}/seats`,
      // The session's roster: names, admission numbers, seats, progress and scores.
      `/api/sessions/${sessionId()}`,
      `/api/proctoring/registrations/${registrationId(1)}/identity`,
      `/api/evidence/${snapshot.body.evidenceId}`,
      `/api/proctoring/sessions/${sessionId()}/incidents`,
      `/api/proctoring/sessions/${sessionId()}/late-answers`,
      `/api/sessions/${sessionId()}/videos`,
      // Admission number + ID number is the candidate's login: a seat plan is for the session's own staff.
      `/api/sessions/${sessionId()}/tickets`,
    ];
    for (const path of reads) {
      // proctor3 is a candidate's brother, refused for this session: he reads none of it.
      expect(code(await http(server.url, path, { token: t.proctor3 })), path).toBe('not-assigned');
      // The session's own proctor still reads it (the evidence has no image: 'no-image' is its answer).
      expect(code(await http(server.url, path, { token: t.proctor1 })), `proctor1 ${path}`).toMatch(
        /^(status 200|no-image)$/,
      );
    }
    // Scores and result slips of another session's candidates (names, admission and masked ID numbers).
    for (const path of [
      `/api/sessions/${sessionId()}/score-sheet?format=json`,
      `/api/results/${registrationId(1)}/slip`,
    ])
      expect(code(await http(server.url, path, { token: t.proctor3 })), path).toBe('not-assigned');
    // Officials spot-check any session (read-only).
    expect(code(await http(server.url, reads[0]!, { token: t.official }))).toBe('status 200');
  });

  it('insider: a staff socket watches live only a session its owner is on duty in', async () => {
    const watch = async (token: string) => {
      const socket = await connectSocket(server.url, token);
      sockets.push(socket);
      const ack = await socket.call('session:watch', { sessionId: sessionId() });
      return ack.ok ? 'ok' : ack.error.code;
    };
    expect(await watch(t.proctor3)).toBe('not-assigned');
    expect(await watch(t.proctor1)).toBe('ok');
    expect(await watch(t.official)).toBe('ok');
  });

  it("insider: a session's event log and anomalies are read only by its own staff, the admin and officials", async () => {
    // chief9 is a chief examiner by role, on duty in no session: the running session's log is not theirs.
    const otherChief = await offDutyChiefToken(server, 'chief9', '钱亮');
    for (const path of [
      `/api/audit/chains/session:${sessionId()}`,
      `/api/audit/verify/session:${sessionId()}`,
      `/api/audit/sessions/${sessionId()}/anomalies`,
    ]) {
      expect(code(await http(server.url, path, { token: otherChief })), path).toBe('not-assigned');
      expect(code(await http(server.url, path, { token: t.chief })), path).toBe('status 200');
      expect(code(await http(server.url, path, { token: t.official })), path).toBe('status 200');
    }
  });
});

describe('withdrawn bank items', () => {
  it('insider: a session cannot be planned on a bank version whose items were retired since', async () => {
    // The bank keeper withdraws an item (e.g. it leaked to a training school); a chief examiner then plans on
    // the version from before the withdrawal, which still holds it.
    const category = server.db.prepare('SELECT category FROM sessions WHERE id = ?').pluck().get(sessionId()) as string;
    const bank = await staffToken(server.url, 'bank', 'demo-bank-2026');
    const versions = await http<{ versions: { id: number }[] }>(
      server.url,
      `/api/bank/versions?category=${category}&pool=exam`,
      { token: bank },
    );
    const old = Math.max(...versions.body.versions.map((v) => v.id));
    const items = await http<{ items: { contentHash: string }[] }>(server.url, `/api/bank/versions/${old}/items`, {
      token: bank,
    });
    const retired = await http(server.url, `/api/bank/versions/${old}/retire`, {
      token: bank,
      body: { itemHashes: [items.body.items[0]!.contentHash], reason: '题目外泄，停用' },
    });
    expect(retired.status, JSON.stringify(retired.body)).toBe(201);
    const plan = (bankVersionId: number) =>
      http(server.url, '/api/sessions', {
        token: t.chief,
        body: {
          name: '补考',
          category,
          blueprintId: server.db.prepare('SELECT blueprint_id FROM sessions WHERE id = ?').pluck().get(sessionId()),
          bankVersionId,
          roomId: roomId(),
          scheduledStart: clock.now() + 7 * 24 * 3600_000,
        },
      });
    expect(code(await plan(old))).toBe('bank-items-retired');
    const latest = (retired.body as { version: { id: number } }).version.id;
    expect(code(await plan(latest))).toBe('status 201');
  });
});

describe('workstations during the exam', () => {
  it("insider: a proctor cannot enrol a laptop at an absent candidate's seat while the exam is on", async () => {
    server.db
      .prepare("UPDATE sessions SET settings = json_set(settings, '$.requireWorkstation', json('true')) WHERE id = ?")
      .run(sessionId());
    try {
      // The last candidate has not come: a proctor on duty enrols their own laptop at that seat and logs in as them
      // (admission number + ID number are on the seat plan they hold).
      const absent = server.demo!.candidates.at(-1)!;
      const enrol = await http<{ token: string }>(server.url, `/api/rooms/${roomId()}/workstations`, {
        token: t.proctor1,
        body: { seatNo: absent.seatNo, label: 'my laptop' },
      });
      expect(code(enrol)).toBe('room-in-exam');
      const login = await http(server.url, '/api/auth/candidate', {
        body: { admissionNo: absent.admissionNo, idNumber: absent.idNumber, workstationToken: enrol.body.token },
      });
      expect(login.status).not.toBe(200);
      // Nor at a spare seat, to move the absent candidate there afterwards.
      const taken = new Set(server.demo!.candidates.map((c) => c.seatNo));
      const seats = server.db.prepare('SELECT seat_count FROM rooms WHERE id = ?').pluck().get(roomId()) as number;
      const spare = Array.from({ length: seats }, (_, i) => i + 1).find((n) => !taken.has(n))!;
      const enrolSpare = (token: string) =>
        http(server.url, `/api/rooms/${roomId()}/workstations`, { token, body: { seatNo: spare } });
      expect(code(await enrolSpare(t.proctor1))).toBe('room-in-exam');
      // The session's chief examiner can still replace a PC during the exam (a recorded decision).
      expect(code(await enrolSpare(t.chief))).toBe('status 200');
    } finally {
      server.db
        .prepare(
          "UPDATE sessions SET settings = json_set(settings, '$.requireWorkstation', json('false')) WHERE id = ?",
        )
        .run(sessionId());
    }
  });
});

describe('archiving', () => {
  it("insider: a chief examiner of another session cannot archive (and so freeze) this session's record", async () => {
    // Archiving moves a graded session to 'archived' and fixes what officials verify: it is the session's own
    // chief examiner's step (or the admin's), not any chief examiner's. proctor3 (kept out of this session by
    // 回避) is made a chief examiner elsewhere.
    const id = server.db.prepare("SELECT id FROM staff WHERE username = 'proctor3'").pluck().get() as number;
    const roles = await http(server.url, `/api/people/staff/${id}/roles`, {
      token: t.admin,
      method: 'PUT',
      body: { roles: ['proctor', 'chief_examiner'] },
    });
    expect(roles.status, JSON.stringify(roles.body)).toBe(200);
    try {
      const otherChief = await staffToken(server.url, 'proctor3', 'demo-proctor-2026');
      const archive = await http(server.url, `/api/sessions/${sessionId()}/archive`, { token: otherChief, body: {} });
      expect(code(archive)).toBe('not-assigned');
    } finally {
      await http(server.url, `/api/people/staff/${id}/roles`, {
        token: t.admin,
        method: 'PUT',
        body: { roles: ['proctor'] },
      });
    }
  });
});
