import jwt from 'jsonwebtoken';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { io } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectSocket } from '../support/candidate-socket';
import { http, staffToken, startTestServer, type TestServer } from '../support/test-server';

/**
 * Issue 13, "accounts, bans, tokens": what the institution's own staff could do with logins — holes 11 and 12.
 * Real server, real sockets, real SQLite; each case names the hole it closes.
 */
let server: TestServer;

type Err = { error?: { code: string; message: string } };
const code = (res: { status: number; body: unknown }) => (res.body as Err).error?.code ?? `status ${res.status}`;
const staffId = (username: string) =>
  server.db.prepare('SELECT id FROM staff WHERE username = ?').pluck().get(username) as number;
const me = (token: string) => http(server.url, '/api/auth/me', { token });
const today = () => new Date().toISOString().slice(0, 10);

/** A socket.io handshake with a staff token: resolves 'connected' or the refusal's message. */
function handshake(token: string): Promise<string> {
  return new Promise((resolve) => {
    const s = io(server.url, { auth: { token }, transports: ['websocket'], reconnection: false, forceNew: true });
    s.once('connect', () => {
      s.close();
      resolve('connected');
    });
    s.once('connect_error', (err) => {
      s.close();
      resolve(err.message);
    });
  });
}

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.stop());

describe('hole 12: staff tokens end when the account changes', () => {
  it('insider: a password change ends every other token of that person at once', async () => {
    const kept = await staffToken(server.url, 'bank', 'demo-bank-2026');
    const used = await staffToken(server.url, 'bank', 'demo-bank-2026');
    expect((await me(kept)).status).toBe(200);
    const changed = await http(server.url, '/api/auth/password', {
      token: used,
      body: { currentPassword: 'demo-bank-2026', newPassword: 'bank-new-password-2026' },
    });
    expect(changed.status).toBe(200);
    const after = await me(kept);
    expect([after.status, code(after)]).toEqual([401, 'token-revoked']);
    expect(await handshake(kept)).toBe('token-revoked');
    // The new password logs in as usual.
    expect((await me(await staffToken(server.url, 'bank', 'bank-new-password-2026'))).status).toBe(200);
  });

  it('insider: disabling an account or changing its roles ends its tokens on REST and socket handshakes', async () => {
    const proctor = await staffToken(server.url, 'proctor1', 'demo-proctor-2026');
    const chief = await staffToken(server.url, 'chief', 'demo-chief-2026');
    expect(await handshake(proctor)).toBe('connected');
    // Whatever path changes the row (a route, a CLI, a hand edit of the database), the token follows it.
    server.db.prepare('UPDATE staff SET disabled = 1 WHERE id = ?').run(staffId('proctor1'));
    expect(code(await me(proctor))).toBe('token-revoked');
    expect(await handshake(proctor)).toBe('token-revoked');
    server.db.prepare('UPDATE staff SET disabled = 0 WHERE id = ?').run(staffId('proctor1'));
    // Re-enabling does not revive the old token: it was ended, not paused.
    expect(code(await me(proctor))).toBe('token-revoked');

    server.db.prepare(`UPDATE staff SET roles = '["proctor"]' WHERE id = ?`).run(staffId('chief'));
    const stale = await http(server.url, `/api/sessions/${server.demo!.sessionId}/seal`, { token: chief });
    expect([stale.status, code(stale)]).toEqual([401, 'token-revoked']);
    server.db.prepare(`UPDATE staff SET roles = '["chief_examiner"]' WHERE id = ?`).run(staffId('chief'));
  });

  it('insider: an open staff socket stops answering once its account is disabled', async () => {
    const token = await staffToken(server.url, 'proctor2', 'demo-proctor-2026');
    const socket = await connectSocket(server.url, token);
    try {
      const watch = () => socket.call('session:watch', { sessionId: server.demo!.sessionId });
      expect((await watch()).ok).toBe(true);
      server.db.prepare('UPDATE staff SET disabled = 1 WHERE id = ?').run(staffId('proctor2'));
      const refused = await watch();
      expect(refused.ok ? 'ok' : refused.error.code).toBe('token-revoked');
    } finally {
      socket.close();
      server.db.prepare('UPDATE staff SET disabled = 0 WHERE id = ?').run(staffId('proctor2'));
    }
  });

  it('insider: a staff token lasts one exam half-day (240 minutes) by default, not longer', async () => {
    const token = await staffToken(server.url, 'admin', 'demo-admin-2026');
    const { iat, exp } = jwt.decode(token) as { iat: number; exp: number };
    expect(exp - iat).toBe(240 * 60);
  });

  it('insider: a token minted without the current token version is refused', async () => {
    // Whoever holds the JWT secret can still mint a token; what it cannot do is outlive a change of the account.
    const secret = Buffer.from(readFileSync(join(server.dataDir, 'keys', 'jwt-secret'), 'utf8').trim(), 'base64');
    const admin = staffId('admin');
    // A role given and taken back: the account is as before, but the tokens of before are not.
    server.db.prepare(`UPDATE staff SET roles = '["admin","proctor"]' WHERE id = ?`).run(admin);
    server.db.prepare(`UPDATE staff SET roles = '["admin"]' WHERE id = ?`).run(admin);
    const version = server.db.prepare('SELECT token_version FROM staff WHERE id = ?').pluck().get(admin) as number;
    const mint = (tv: number) =>
      jwt.sign({ kind: 'staff', sub: String(admin), roles: ['admin'], name: '王建国', tv }, secret, {
        issuer: 'exam-center',
        expiresIn: 600,
      });
    expect((await me(mint(version))).status).toBe(200);
    expect(code(await me(mint(version - 1)))).toBe('token-revoked');
  });
});

describe('hole 11: bans hold at login and on every request', () => {
  it('insider: a person with a disciplinary record cannot log in to any staff role, and their tokens end', async () => {
    const admin = await staffToken(server.url, 'admin', 'demo-admin-2026');
    const before = await staffToken(server.url, 'proctor2', 'demo-proctor-2026');
    const ban = await http<{ id: number }>(server.url, `/api/people/staff/${staffId('proctor2')}/disciplinary`, {
      token: admin,
      body: {
        kind: 'conduct',
        decisionDate: today(),
        authority: '济南市市场监督管理局',
        documentNo: '济市监特〔2026〕77号',
        summary: '行风处分（测试）',
      },
    });
    expect(ban.status).toBe(201);
    const login = await http(server.url, '/api/auth/login', {
      body: { username: 'proctor2', password: 'demo-proctor-2026' },
    });
    expect([login.status, code(login)]).toEqual([403, 'staff-barred']);
    expect(code(await me(before))).toBe('token-revoked');
    // The demo's proctor4 was disciplined before this change: barred too.
    const old = await http(server.url, '/api/auth/login', {
      body: { username: 'proctor4', password: 'demo-proctor-2026' },
    });
    expect(code(old)).toBe('staff-barred');
  });

  it('insider: revoking a record needs the revoking authority and document number, and officials see it as an exception', async () => {
    const admin = await staffToken(server.url, 'admin', 'demo-admin-2026');
    const official = await staffToken(server.url, 'official', 'demo-official-2026');
    const records = await http<{ disciplinary: { id: number; staffId: number; revokedAt: number | null }[] }>(
      server.url,
      '/api/people/records',
      { token: admin },
    );
    const rec = records.body.disciplinary.find((r) => r.staffId === staffId('proctor4') && r.revokedAt === null)!;
    const bare = await http(server.url, `/api/people/disciplinary/${rec.id}/revoke`, {
      token: admin,
      body: { reason: '认定有误，撤销' },
    });
    expect([bare.status, code(bare)]).toEqual([400, 'invalid-input']);
    const revoked = await http(server.url, `/api/people/disciplinary/${rec.id}/revoke`, {
      token: admin,
      body: { reason: '复议撤销原处分', authority: '山东省市场监督管理局', documentNo: '鲁市监复〔2026〕3号' },
    });
    expect(revoked.status).toBe(200);
    // Officials: the revocation is on the institution chain and in their records view, flagged as an exception.
    const seen = await http<{
      disciplinary: {
        id: number;
        revokeAuthority: string | null;
        revokeDocumentNo: string | null;
        exception: boolean;
      }[];
    }>(server.url, '/api/people/records', { token: official });
    expect(seen.body.disciplinary.find((r) => r.id === rec.id)).toMatchObject({
      revokeAuthority: '山东省市场监督管理局',
      revokeDocumentNo: '鲁市监复〔2026〕3号',
      exception: true,
    });
    const event = server.db
      .prepare("SELECT payload FROM events WHERE chain = 'institution' AND type = 'people.disciplinary-revoked'")
      .pluck()
      .all()
      .map((p) => JSON.parse(p as string) as Record<string, unknown>)
      .find((p) => p.recordId === rec.id);
    expect(event).toMatchObject({ authority: '山东省市场监督管理局', documentNo: '鲁市监复〔2026〕3号' });
  });

  it('insider: the integrity settings cannot be weakened below the notice', async () => {
    const admin = await staffToken(server.url, 'admin', 'demo-admin-2026');
    const current = (await http<Record<string, unknown>>(server.url, '/api/integrity/settings', { token: admin })).body;
    const put = (change: Record<string, unknown>) =>
      http(server.url, '/api/integrity/settings', { method: 'PUT', token: admin, body: { ...current, ...change } });
    for (const weaker of [
      { organisationBanYears: 2 },
      { requireDeclaration: false },
      { qualificationRequiredFor: ['chief_examiner', 'examiner'] },
    ]) {
      const res = await put(weaker);
      expect([res.status, code(res)], JSON.stringify(weaker)).toEqual([400, 'invalid-input']);
    }
    // Stricter is fine.
    expect((await put({ organisationBanYears: 5 })).status).toBe(200);
    expect((await put({ organisationBanYears: 3 })).status).toBe(200);
  });
});

describe('hole 12: the account changes an admin makes end the tokens too', () => {
  it('insider: an admin password reset, disabling or a role change ends the person’s tokens at once', async () => {
    const admin = await staffToken(server.url, 'admin', 'demo-admin-2026');
    const target = staffId('proctor3');
    const before = await staffToken(server.url, 'proctor3', 'demo-proctor-2026');
    const reset = await http<{ oneTimePassword: string }>(server.url, `/api/people/staff/${target}/reset-password`, {
      token: admin,
      body: {},
    });
    expect(reset.status).toBe(200);
    expect(code(await me(before))).toBe('token-revoked');
    // The reset password is the admin's choice: the account must change it before anything else.
    const fresh = await staffToken(server.url, 'proctor3', reset.body.oneTimePassword);
    const blocked = await http(server.url, '/api/sessions', { token: fresh });
    expect(code(blocked)).toBe('password-change-required');
    expect(server.db.prepare('SELECT password_set_by FROM staff WHERE id = ?').pluck().get(target)).toBe(
      `staff:${staffId('admin')}`,
    );

    const disabled = await http(server.url, `/api/people/staff/${target}/disable`, { token: admin, body: {} });
    expect(disabled.status).toBe(200);
    expect(code(await me(fresh))).toBe('token-revoked');
    expect((await http(server.url, `/api/people/staff/${target}/enable`, { token: admin, body: {} })).status).toBe(200);

    const again = await staffToken(server.url, 'proctor3', reset.body.oneTimePassword);
    const roles = await http(server.url, `/api/people/staff/${target}/roles`, {
      method: 'PUT',
      token: admin,
      body: { roles: ['proctor', 'chief_examiner'] },
    });
    expect(roles.status).toBe(200);
    expect(code(await me(again))).toBe('token-revoked');
    // Nobody at the institution makes or changes an official: those accounts follow the regulator's grants.
    const toOfficial = await http(server.url, `/api/people/staff/${target}/roles`, {
      method: 'PUT',
      token: admin,
      body: { roles: ['official'] },
    });
    expect(code(toOfficial)).toBe('official-needs-grant');
    const offDisable = await http(server.url, `/api/people/staff/${staffId('official')}/disable`, {
      token: admin,
      body: {},
    });
    expect(code(offDisable)).toBe('official-needs-grant');
  });

  it('insider: an admin cannot give themself a role, disable or reset their own account', async () => {
    const admin = await staffToken(server.url, 'admin', 'demo-admin-2026');
    const self = staffId('admin');
    const grab = await http(server.url, `/api/people/staff/${self}/roles`, {
      method: 'PUT',
      token: admin,
      body: { roles: ['admin', 'chief_examiner'] },
    });
    expect(code(grab)).toBe('own-account');
    expect(code(await http(server.url, `/api/people/staff/${self}/disable`, { token: admin, body: {} }))).toBe(
      'own-account',
    );
    expect(code(await http(server.url, `/api/people/staff/${self}/reset-password`, { token: admin, body: {} }))).toBe(
      'own-account',
    );
    expect(server.db.prepare('SELECT roles FROM staff WHERE id = ?').pluck().get(self)).not.toContain('chief');
  });
});
