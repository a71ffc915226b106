import jwt from 'jsonwebtoken';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { candidateToken, http, staffToken, startTestServer, type TestServer } from '../support/test-server';

let server: TestServer;
let secret: Buffer;

beforeAll(async () => {
  server = await startTestServer();
  secret = Buffer.from(readFileSync(join(server.dataDir, 'keys', 'jwt-secret'), 'utf8').trim(), 'base64');
});
afterAll(() => server.stop());

const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');

describe('staff login and roles', () => {
  it('answers health without a token', async () => {
    const res = await http<{ ok: boolean; version: string }>(server.url, '/api/health');
    expect(res.status).toBe(200);
    expect(res.body.ok).toBe(true);
    expect(res.body.version).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('logs in with the right password and lists sessions', async () => {
    const token = await staffToken(server.url, 'chief', 'demo-chief-2026');
    const res = await http<{ sessions: unknown[] }>(server.url, '/api/sessions', { token });
    expect(res.status).toBe(200);
    expect(res.body.sessions.length).toBeGreaterThan(0);
  });

  it('refuses a wrong password with 401 and a stable code', async () => {
    const res = await http<{ error: { code: string } }>(server.url, '/api/auth/login', {
      body: { username: 'chief', password: 'wrong-password' },
    });
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('bad-credentials');
  });

  it('answers 401 without a token and 403 for a candidate token on staff routes', async () => {
    expect((await http(server.url, '/api/sessions')).status).toBe(401);
    const demo = server.demo!.candidates[0]!;
    const token = await candidateToken(server.url, demo.admissionNo, demo.idNumber);
    expect((await http(server.url, '/api/sessions', { token })).status).toBe(403);
  });

  it('answers 403 for a staff role the route does not allow', async () => {
    const token = await staffToken(server.url, 'bank', 'demo-bank-2026');
    const res = await http<{ error: { code: string } }>(server.url, '/api/sessions', { token });
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('forbidden');
  });

  it('refuses expired, forged and alg-none tokens', async () => {
    const claims = { kind: 'staff', sub: '1', roles: ['admin'], name: 'x' };
    const expired = jwt.sign({ ...claims, exp: Math.floor(Date.now() / 1000) - 60 }, secret, { issuer: 'exam-center' });
    const forged = jwt.sign(claims, Buffer.from('not-the-secret'), { issuer: 'exam-center', expiresIn: 600 });
    const none = `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ ...claims, iss: 'exam-center', exp: 9999999999 })}.`;
    const hs512 = jwt.sign(claims, secret, { algorithm: 'HS512', issuer: 'exam-center', expiresIn: 600 });
    for (const token of [expired, forged, none, hs512, 'garbage']) {
      const res = await http<{ error: { code: string; message: string } }>(server.url, '/api/sessions', { token });
      expect(res.status, token).toBe(401);
      expect(res.body.error.code).toBe('unauthorized');
    }
    const res = await http<{ error: { message: string } }>(server.url, '/api/sessions', { token: expired });
    expect(res.body.error.message).toMatch(/expired/);
  });

  it('refuses a well-signed token whose claims are malformed', async () => {
    const token = jwt.sign({ kind: 'staff', sub: '1', roles: ['superuser'] }, secret, {
      issuer: 'exam-center',
      expiresIn: 600,
    });
    expect((await http(server.url, '/api/sessions', { token })).status).toBe(401);
  });

  it('rate-limits repeated failed logins and logs them', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) {
      const res = await http(server.url, '/api/auth/login', { body: { username: 'proctor2', password: `guess-${i}` } });
      statuses.push(res.status);
    }
    expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    expect(statuses.slice(5)).toEqual([429, 429]);
    // Even the right password is refused while locked.
    const locked = await http(server.url, '/api/auth/login', {
      body: { username: 'proctor2', password: 'demo-proctor-2026' },
    });
    expect(locked.status).toBe(429);
    const failures = server.db
      .prepare("SELECT count(*) AS n FROM events WHERE type = 'auth.login-failed' AND payload LIKE '%proctor2%'")
      .get() as { n: number };
    expect(failures.n).toBe(5);
  });

  it('rejects malformed login payloads naming the field', async () => {
    const res = await http<{ error: { code: string; message: string } }>(server.url, '/api/auth/login', {
      body: { username: '', password: 5 },
    });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('invalid-input');
    expect(res.body.error.message).toMatch(/username/);
    expect(res.body.error.message).toMatch(/password/);
    const bad = await fetch(server.url + '/api/auth/login', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{not json',
    });
    expect(bad.status).toBe(400);
  });
});

describe('candidate login', () => {
  it('binds the token to one registration and refuses a wrong ID number', async () => {
    const demo = server.demo!.candidates[1]!;
    const token = await candidateToken(server.url, demo.admissionNo, demo.idNumber);
    const me = await http<{ name: string; admissionNo: string; idNumberMasked: string }>(
      server.url,
      '/api/candidate/me',
      { token },
    );
    expect(me.status).toBe(200);
    expect(me.body.name).toBe(demo.name);
    expect(me.body.idNumberMasked).not.toContain(demo.idNumber.slice(4, 14));
    const wrong = await http(server.url, '/api/auth/candidate', {
      body: { admissionNo: demo.admissionNo, idNumber: server.demo!.candidates[2]!.idNumber },
    });
    expect(wrong.status).toBe(401);
  });
});

describe('real installation', () => {
  it('creates only an admin with a one-time password that must be changed first', async () => {
    const real = await startTestServer({ demo: false });
    try {
      expect(real.demo).toBeNull();
      const password = real.firstAdminPassword!;
      expect(password.length).toBeGreaterThanOrEqual(12);
      const token = await staffToken(real.url, 'admin', password);
      const blocked = await http<{ error: { code: string } }>(real.url, '/api/sessions', { token });
      expect(blocked.status).toBe(403);
      expect(blocked.body.error.code).toBe('password-change-required');
      const changed = await http(real.url, '/api/auth/password', {
        token,
        body: { currentPassword: password, newPassword: 'a-much-better-passphrase' },
      });
      expect(changed.status).toBe(200);
      const fresh = await staffToken(real.url, 'admin', 'a-much-better-passphrase');
      const list = await http<{ sessions: unknown[] }>(real.url, '/api/sessions', { token: fresh });
      expect(list.status).toBe(200);
      expect(list.body.sessions).toEqual([]);
    } finally {
      await real.stop();
    }
  });
});
