import jwt from 'jsonwebtoken';
import { createHash } from 'node:crypto';
import { readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExamSnapshot } from '../../server/src/protocol';
import { ManualClock } from '../../server/src/shared/clock';
import { simulatedIdNumber } from '../load/load-session';
import { connectSocket, expectOk, type CandidateSocket } from '../support/candidate-socket';
import { prepareDemoSession } from '../support/demo-session';
import { candidateToken, http, staffToken, startTestServer, type TestServer } from '../support/test-server';

/**
 * The hostile-input corpus (issue 9): every case must get a clear error and change nothing. Cases are
 * generated from the app's own routing table where they concern routes, so a new route is covered at once.
 */
let server: TestServer;
const clock = new ManualClock(Date.now());
let secret: Buffer;
let tokens: { candidate: string; official: string; proctor: string; other: string };
let socket: CandidateSocket;
let ran = 0;
const sockets: CandidateSocket[] = [];

// Routes anyone may call, and routes a logged-in candidate may call.
const PUBLIC = ['GET /api/health', 'POST /api/auth/login', 'POST /api/auth/candidate'];
const CANDIDATE_ROUTES = [/^\/api\/candidate\//, /^\/api\/practice\//];
// An official may change their own password; everything else an official does is reading.
const OFFICIAL_MAY_WRITE = [
  'POST /api/auth/password',
  // Conduct supervision (issue 10): inspections, cases on reports, verifying or rejecting a rectification.
  'POST /api/conduct/inspections',
  'POST /api/conduct/reports/:id/case',
  'POST /api/conduct/reports/:id/close',
  'POST /api/conduct/ledger/:id/verify',
  'POST /api/conduct/ledger/:id/reject',
  // The supervising official may hold custodian slot B and enters that code with their own password (issue 13).
  'POST /api/sessions/:id/open/code',
  // Confirming an integrity exception is the supervising official's second-person check (issue 13).
  'POST /api/sessions/:id/integrity/exceptions/:exceptionId/confirm',
];

const concrete = (path: string) => path.replace(/:[a-zA-Z]+/g, '1');

/** Every table's rows except the log (which records refused attempts, as it should) and the heartbeat. */
function stateDigest(): string {
  const tables = server.db
    .prepare(
      "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT IN ('events', 'server_heartbeat', 'chain_heads_signed') AND name NOT LIKE 'sqlite_%' ORDER BY name",
    )
    .pluck()
    .all() as string[];
  const hash = createHash('sha256');
  for (const t of tables) hash.update(t).update(JSON.stringify(server.db.prepare(`SELECT * FROM "${t}"`).raw().all()));
  return hash.digest('hex');
}

beforeAll(async () => {
  server = await startTestServer({ clock });
  await prepareDemoSession(server);
  secret = Buffer.from(readFileSync(join(server.dataDir, 'keys', 'jwt-secret'), 'utf8').trim(), 'base64');
  const [c0, c1] = server.demo!.candidates;
  tokens = {
    candidate: await candidateToken(server.url, c0!.admissionNo, c0!.idNumber),
    other: await candidateToken(server.url, c1!.admissionNo, c1!.idNumber),
    official: await staffToken(server.url, 'official', 'demo-official-2026'),
    proctor: await staffToken(server.url, 'proctor1', 'demo-proctor-2026'),
  };
  socket = await connectSocket(server.url, tokens.candidate);
  sockets.push(socket);
  expectOk(await socket.call('exam:start'));
  expectOk(await socket.call('answer:save', { position: 1, choice: [0], seq: 1 }));
});
afterAll(async () => {
  sockets.forEach((s) => s.close());
  console.info(`hostile-input corpus: ${ran} cases ran (vitest reports whether they passed)`);
  await server.stop();
});

const routes = () => server.app.routes().filter((r) => r.path.startsWith('/api/'));
const key = (r: { method: string; path: string }) => `${r.method} ${r.path}`;

describe('routes refuse callers without the right', () => {
  it('answers 401 to every non-public route without a token', async () => {
    const before = stateDigest();
    for (const r of routes().filter((r) => !PUBLIC.includes(key(r)))) {
      const res = await http<{ error: { code: string } }>(server.url, concrete(r.path), {
        method: r.method,
        body: r.method === 'GET' ? undefined : {},
      });
      expect(res.status, key(r)).toBe(401);
      expect(res.body.error.code).toBe('unauthorized');
      ran++;
    }
    expect(stateDigest()).toBe(before);
  });

  it('answers 403 to a candidate token on every staff and official route', async () => {
    const before = stateDigest();
    for (const r of routes().filter((r) => !PUBLIC.includes(key(r)) && !CANDIDATE_ROUTES.some((p) => p.test(r.path)))) {
      const res = await http(server.url, concrete(r.path), {
        method: r.method,
        token: tokens.candidate,
        body: r.method === 'GET' ? undefined : {},
      });
      expect(res.status, key(r)).toBe(403);
      ran++;
    }
    expect(stateDigest()).toBe(before);
  });

  it('answers 403 to an official token on every mutating route', async () => {
    const before = stateDigest();
    const mutating = routes().filter(
      (r) => r.method !== 'GET' && !PUBLIC.includes(key(r)) && !OFFICIAL_MAY_WRITE.includes(key(r)),
    );
    expect(mutating.length).toBeGreaterThan(40);
    for (const r of mutating) {
      const res = await http(server.url, concrete(r.path), { method: r.method, token: tokens.official, body: {} });
      expect(res.status, key(r)).toBe(403);
      ran++;
    }
    expect(stateDigest()).toBe(before);
  });

  it('refuses forged, expired, alg-none and mis-signed tokens on REST and on the socket', async () => {
    const staff = { kind: 'staff', sub: '1', roles: ['admin'], name: 'x' };
    const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
    const bad = [
      jwt.sign({ ...staff, exp: Math.floor(Date.now() / 1000) - 1 }, secret, { issuer: 'exam-center' }),
      jwt.sign(staff, 'guessed-secret', { issuer: 'exam-center', expiresIn: 60 }),
      `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ ...staff, iss: 'exam-center', exp: 9999999999 })}.`,
      jwt.sign(staff, secret, { algorithm: 'HS384', issuer: 'exam-center', expiresIn: 60 }),
      jwt.sign(staff, secret, { issuer: 'someone-else', expiresIn: 60 }),
      jwt.sign({ kind: 'candidate', sub: '2', sessionId: 1 }, secret, { issuer: 'exam-center', expiresIn: 60 }), // no seat
      `${tokens.candidate.slice(0, -4)}AAAA`,
    ];
    for (const token of bad) {
      expect((await http(server.url, '/api/sessions', { token })).status).toBe(401);
      expect((await http(server.url, '/api/candidate/me', { token })).status).toBe(401);
      await expect(connectSocket(server.url, token)).rejects.toThrow(/unauthorized/);
      ran += 3;
    }
  });

  it('rate-limits a brute-force run on a candidate login', async () => {
    const c = server.demo!.candidates[4]!;
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++)
      statuses.push(
        (
          await http(server.url, '/api/auth/candidate', {
            body: { admissionNo: c.admissionNo, idNumber: `11010519900101${String(1000 + i).slice(-4)}` },
          })
        ).status,
      );
    expect(statuses.slice(-2)).toEqual([429, 429]);
    ran++;
  });
});

describe('socket input', () => {
  const refused = async (event: string, payload: unknown, code: string) => {
    const ack = await socket.call(event, payload);
    expect(ack.ok, `${event} ${JSON.stringify(payload)?.slice(0, 80)}`).toBe(false);
    if (!ack.ok) expect(ack.error.code).toBe(code);
    ran++;
  };

  it('refuses malformed saves with invalid-input and stores nothing', async () => {
    const before = stateDigest();
    const malformed: unknown[] = [
      null,
      'A',
      42,
      [],
      {},
      { position: '1', choice: [0], seq: 2 },
      { position: 1.5, choice: [0], seq: 2 },
      { position: -1, choice: [0], seq: 2 },
      { position: 1, choice: [-1], seq: 2 },
      { position: 1, choice: [0], seq: 0 },
      { position: 1, choice: [0], seq: 2 ** 60 },
      { position: 1, choice: Array(11).fill(0), seq: 2 },
      { position: 1, choice: { 0: 0 }, seq: 2 },
      { position: 1, choice: [0], seq: 2, registrationId: 2 },
      { position: 1, choice: [0], seq: 2, sessionId: 99 },
      JSON.parse('{"position":1,"choice":[0],"seq":2,"__proto__":{"admin":true}}'),
      { position: 1, choice: [0], seq: 2, constructor: { prototype: { admin: true } } },
    ];
    for (const payload of malformed) await refused('answer:save', payload, 'invalid-input');
    await refused('exam:submit', { confirm: 'yes' }, 'invalid-input');
    await refused('exam:submit', {}, 'invalid-input');
    await refused('exam:join', { registrationId: 2 }, 'invalid-input');
    await refused('proctor:signal', { kind: 'rm -rf' }, 'invalid-input');
    expect(stateDigest()).toBe(before);
  });

  it('answers unknown events with unknown-event', async () => {
    for (const event of ['admin:grant', 'session:watch', 'answer:delete', '__proto__', 'exam:join2'])
      await refused(event, {}, 'unknown-event');
  });

  it('drops a connection that sends an oversized payload, storing nothing', async () => {
    const before = stateDigest();
    const big = await connectSocket(server.url, tokens.candidate);
    sockets.push(big);
    const closed = new Promise((r) => big.once('disconnect', r));
    big.emit('answer:save', { position: 2, choice: [0], seq: 3, padding: 'x'.repeat(200_000) }, () => undefined);
    await closed;
    expect(stateDigest()).toBe(before);
    ran++;
  });

  it('ignores a replayed sequence number and keeps the newer answer', async () => {
    expectOk(await socket.call('answer:save', { position: 5, choice: [1], seq: 10 }));
    const replay = expectOk(
      await socket.call<{ applied: boolean }>('answer:save', { position: 5, choice: [0], seq: 10 }),
    );
    expect(replay.applied).toBe(false);
    const older = expectOk(
      await socket.call<{ applied: boolean }>('answer:save', { position: 5, choice: [0], seq: 9 }),
    );
    expect(older.applied).toBe(true); // kept in the history, but not the answer
    const snap = expectOk(await socket.call<ExamSnapshot>('exam:join'));
    expect(snap.answers[5]).toEqual({ choice: [1], seq: 10 });
    ran += 2;
  });

  it('cannot reach another candidate: there is no field to name one, and their paper stays untouched', async () => {
    const other = await connectSocket(server.url, tokens.other);
    sockets.push(other);
    const before = JSON.stringify(expectOk(await other.call<ExamSnapshot>('exam:join')).answers);
    await refused('answer:save', { position: 1, choice: [1], seq: 50, registrationId: 2 }, 'invalid-input');
    expect(JSON.stringify(expectOk(await other.call<ExamSnapshot>('exam:join')).answers)).toBe(before);
  });

  it('refuses answers after time end and never stores them', async () => {
    const late = await connectSocket(
      server.url,
      await candidateToken(server.url, server.demo!.candidates[3]!.admissionNo, server.demo!.candidates[3]!.idNumber),
    );
    sockets.push(late);
    expectOk(await late.call('exam:start'));
    clock.advance(61 * 60_000);
    // The auto-submit sweep may run meanwhile (it should): compare the answers, not the whole database.
    const answers = () =>
      server.db
        .prepare("SELECT (SELECT count(*) FROM answers) || '/' || (SELECT count(*) FROM answer_history)")
        .pluck()
        .get();
    const before = answers();
    const kept = () => server.db.prepare('SELECT count(*) FROM late_answers').pluck().get() as number;
    const keptBefore = kept();
    const ack = await late.call('answer:save', { position: 1, choice: [0], seq: 1 });
    expect(['time-up', 'already-submitted']).toContain(ack.ok ? 'ok' : ack.error.code);
    expect(answers()).toBe(before);
    // Kept as evidence for the proctor, never graded (issue 13 hole 8); an impossible late save is refused
    // for what it is and not kept.
    expect(kept()).toBe(keptBefore + 1);
    const junk = await late.call('answer:save', { position: 1, choice: [9], seq: 2 });
    expect(junk.ok ? 'ok' : junk.error.code).toBe('invalid-choice');
    expect(kept()).toBe(keptBefore + 1);
    ran++;
  });
});

describe('files and text', () => {
  it('refuses path traversal on file routes and static files', async () => {
    const secretText = readFileSync(join(server.dataDir, 'keys', 'jwt-secret'), 'utf8').trim();
    const paths = [
      '/..%2f..%2fpackage.json',
      '/assets/..%2f..%2f..%2fpackage.json',
      '/%2e%2e/%2e%2e/package.json',
      '/api/evidence/..%2f..%2fkeys%2fjwt-secret',
      '/api/archives/..%2f..%2fkeys%2fjwt-secret/download',
      '/api/people/import/template/..%2f..%2f..%2fpackage.json',
      '/api/bank/versions/..%2f1/export',
      '/staff/..%2f..%2fdata%2fkeys%2fjwt-secret',
    ];
    for (const p of paths) {
      const res = await fetch(server.url + p, { headers: { authorization: `Bearer ${tokens.official}` } });
      const text = await res.text();
      expect(text, p).not.toContain('"name": "exam-center"');
      expect(text, p).not.toContain(secretText);
      expect(res.status === 200 ? /<!doctype html>/i.test(text) : true, p).toBe(true);
      ran++;
    }
  });

  it('refuses room video from outside the recordings folder: traversal, absolute paths, symlinks, keys', async () => {
    const chief = await staffToken(server.url, 'chief', 'demo-chief-2026');
    const recordings = server.recordingsDir!;
    const keys = join(server.dataDir, 'keys');
    symlinkSync(join(keys, 'jwt-secret'), join(recordings, 'hostile-link.mp4'));
    symlinkSync(keys, join(recordings, 'hostile-keys'));
    writeFileSync(join(server.dataDir, 'in-data.mp4'), 'x');
    // Counted, not digested: the auto-submit sweep of earlier cases may still change other tables meanwhile.
    const videos = () => server.db.prepare('SELECT count(*) FROM room_videos').pluck().get();
    const before = videos();
    const paths = [
      '../../../../../../etc/passwd',
      `../${join(server.dataDir, 'keys', 'jwt-secret')}`,
      '/etc/passwd',
      join(keys, 'jwt-secret'),
      join(keys, 'institution.key'),
      join(server.dataDir, 'in-data.mp4'),
      join(recordings, '..', 'x.mp4'),
      join(recordings, 'hostile-link.mp4'),
      join(recordings, 'hostile-keys', 'jwt-secret'),
      'hostile-keys/jwt-secret',
      `${recordings}/../${recordings.split('/').pop()}/../etc`,
    ];
    for (const path of paths) {
      const res = await http<{ error: { code: string; message: string } }>(
        server.url,
        `/api/sessions/${server.demo!.sessionId}/videos`,
        { token: chief, body: { path, startsAt: 0, endsAt: 1, includeFile: true } },
      );
      expect(res.status, path).toBe(400);
      expect(['video-outside-recordings', 'file-not-found'], path).toContain(res.body.error.code);
      expect(JSON.stringify(res.body), path).not.toContain(server.dataDir);
      ran++;
    }
    expect(videos()).toBe(before);
  });

  it('refuses live session actions to staff not on duty in the session', async () => {
    // proctor3 was kept out of the demo session by 回避; the admin is not on duty in the room.
    const outsiders = [
      await staffToken(server.url, 'proctor3', 'demo-proctor-2026'),
      await staffToken(server.url, 'admin', 'demo-admin-2026'),
    ];
    const rid = server.db
      .prepare('SELECT id FROM registrations WHERE admission_no = ?')
      .pluck()
      .get(server.demo!.candidates[0]!.admissionNo) as number;
    const sid = server.demo!.sessionId;
    const attempts: [string, unknown][] = [
      [`/api/sessions/${sid}/pause`, { reason: 'x' }],
      [`/api/registrations/${rid}/extend`, { minutes: 120, reason: 'x' }],
      [`/api/registrations/${rid}/seat-move`, { toSeat: 30, reason: 'x' }],
      [`/api/registrations/${rid}/collect`, { reason: 'x' }],
      [`/api/proctoring/registrations/${rid}/identity`, { outcome: 'fail', note: 'x' }],
      [`/api/proctoring/sessions/${sid}/messages`, { kind: 'notice', text: 'x' }],
    ];
    const touched = () =>
      server.db
        .prepare(
          `SELECT (SELECT count(*) FROM pauses) || '/' || (SELECT count(*) FROM seat_moves) || '/' ||
             (SELECT count(*) FROM pending_extensions) || '/' || (SELECT count(*) FROM identity_checks) || '/' ||
             (SELECT extension_ms FROM attempts WHERE registration_id = ?)`,
        )
        .pluck()
        .get(rid);
    const before = touched();
    for (const token of outsiders)
      for (const [path, body] of attempts) {
        const res = await http<{ error: { code: string } }>(server.url, path, { token, body });
        expect(res.body.error?.code, path).toBe('not-assigned');
        ran++;
      }
    expect(touched()).toBe(before);
  });

  it('stores SQL and HTML in names and bank text as plain text', async () => {
    const admin = await staffToken(server.url, 'admin', 'demo-admin-2026');
    const name = `罗伯特');DROP TABLE x;--<img src=x onerror=alert(1)>`;
    const res = await http<{ id: number }>(server.url, '/api/people/candidates', {
      token: admin,
      body: {
        name,
        idNumber: simulatedIdNumber(4343),
        employerOrgId: null,
        trainingOrgId: null,
        courseFrom: null,
        courseTo: null,
        appliedCategory: 'N1',
      },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const stored = server.db
      .prepare('SELECT name FROM candidates WHERE id_number = ?')
      .pluck()
      .get(simulatedIdNumber(4343));
    expect(stored).toBe(name);
    expect(server.db.prepare('SELECT count(*) FROM candidates').pluck().get()).toBeGreaterThan(5);
    ran++;
  });
});
