import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OpenCodeResult, OpeningStatus, SealResult } from '../../server/src/protocol';
import { http, staffToken, startTestServer, type TestServer } from '../support/test-server';

/**
 * Issue 13, hole 4: one admin could hold both custodian codes. The two custodians must be two people the rules
 * can tell apart, and each enters their own code on their own login. Real server, real SQLite.
 */
let server: TestServer;
const passwords: Record<string, string> = {
  admin: 'demo-admin-2026',
  chief: 'demo-chief-2026',
  official: 'demo-official-2026',
  proctor1: 'demo-proctor-2026',
};

type Err = { error?: { code: string; message: string; details?: { violations?: { code: string }[] } } };
const code = (res: { status: number; body: unknown }) => (res.body as Err).error?.code ?? `status ${res.status}`;
const violations = (res: { body: unknown }) => ((res.body as Err).error?.details?.violations ?? []).map((v) => v.code);
const staffId = (u: string) => server.db.prepare('SELECT id FROM staff WHERE username = ?').pluck().get(u) as number;
const login = (u: string) => staffToken(server.url, u, passwords[u] as string);
const sessionId = () => server.demo!.sessionId;
const reseal = async (operator: string, custodians: string[]) =>
  http<SealResult>(server.url, `/api/sessions/${sessionId()}/reseal`, {
    token: await login(operator),
    body: { custodians: custodians.map(staffId), reason: '测试：保管人规则' },
  });

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.stop());

describe('hole 4: two custodians the rules can tell apart', () => {
  it('insider: the operator who seals cannot hold a custodian code', async () => {
    const res = await reseal('chief', ['chief', 'official']);
    expect([res.status, code(res)]).toEqual([409, 'custodians-not-independent']);
    expect(violations(res)).toContain('custodian-is-operator');
    expect(server.app.services.papers.status(sessionId()).seal?.sealUid).toBeDefined();
  });

  it('insider: two accounts whose passwords the same hand set cannot hold both codes', async () => {
    // proctor1 and proctor2 were both created with passwords chosen for them, and neither has changed it since.
    const res = await reseal('admin', ['proctor1', 'chief']);
    expect([res.status, code(res)]).toEqual([409, 'custodians-not-independent']);
    expect(violations(res)).toContain('custodians-not-independent');
  });

  it('insider: where the session asks for it, one custodian comes from outside the institution', async () => {
    // The chief sets their own password: chief and proctor1 are now independent, but both are institution staff.
    const chief = await login('chief');
    const changed = await http(server.url, '/api/auth/password', {
      token: chief,
      body: { currentPassword: passwords.chief, newPassword: 'chief-own-password-2026' },
    });
    expect(changed.status).toBe(200);
    passwords.chief = 'chief-own-password-2026';
    const res = await reseal('admin', ['chief', 'proctor1']);
    expect([res.status, code(res)]).toEqual([409, 'custodians-not-independent']);
    expect(violations(res)).toEqual(['custodian-outside-required']);
  });

  it('insider: a custodian whose password the sealing admin reset cannot hold a code until they set their own', async () => {
    const reset = await http<{ oneTimePassword: string }>(
      server.url,
      `/api/people/staff/${staffId('chief')}/reset-password`,
      {
        token: await login('admin'),
        body: {},
      },
    );
    expect(reset.status).toBe(200);
    const refused = await reseal('admin', ['chief', 'official']);
    expect([refused.status, code(refused)]).toEqual([409, 'custodians-not-independent']);
    expect(violations(refused)).toEqual(['custodian-password-known']);
    // The chief sets their own password again: the admin no longer knows it.
    const otp = await staffToken(server.url, 'chief', reset.body.oneTimePassword);
    const changed = await http(server.url, '/api/auth/password', {
      token: otp,
      body: { currentPassword: reset.body.oneTimePassword, newPassword: 'chief-second-own-2026' },
    });
    expect(changed.status).toBe(200);
    passwords.chief = 'chief-second-own-2026';
  });

  it('insider: each custodian enters their own code on their own login; no screen takes both codes', async () => {
    const sealed = await reseal('admin', ['chief', 'official']);
    expect(sealed.status).toBe(200);
    const codes: Record<string, string> = {};
    for (const u of ['chief', 'official']) {
      const mine = await http<SealResult>(server.url, `/api/sessions/${sessionId()}/seal/my-code`, {
        token: await login(u),
      });
      codes[u] = mine.body.codes[0]!.code;
    }
    const chief = await login('chief');
    // The old way, both codes typed on the chief's screen, no longer exists.
    const both = await http(server.url, `/api/sessions/${sessionId()}/open`, {
      token: chief,
      body: {
        codes: [
          { username: 'chief', code: codes.chief },
          { username: 'official', code: codes.official },
        ],
      },
    });
    expect([both.status, code(both)]).toEqual([404, 'not-found']);

    const enter = async (u: string, body: unknown) =>
      http<OpenCodeResult>(server.url, `/api/sessions/${sessionId()}/open/code`, { token: await login(u), body });
    // An open tab is not enough: the password is entered again on the screen where the code is.
    const noPassword = await enter('chief', { password: 'not-my-password', code: codes.chief });
    expect([noPassword.status, code(noPassword)]).toEqual([401, 'bad-credentials']);
    const stranger = await enter('proctor1', { password: passwords.proctor1, code: codes.chief });
    expect([stranger.status, code(stranger)]).toEqual([403, 'not-the-custodian']);

    const first = await enter('chief', { password: passwords.chief, code: codes.chief });
    expect(first.status).toBe(200);
    expect(first.body.opened).toBeNull();
    expect(first.body.status.slots.map((s) => [s.slot, s.enteredAt !== null])).toEqual([
      ['A', true],
      ['B', false],
    ]);
    // Nothing of the code reaches the database while it waits for the second.
    const dump = JSON.stringify(server.db.prepare('SELECT * FROM events').raw().all());
    expect(dump).not.toContain(codes.chief!.replaceAll('-', ''));
    expect(dump).not.toContain(codes.chief);

    const second = await enter('official', { password: passwords.official, code: codes.official });
    expect(second.status).toBe(200);
    expect(second.body.opened).toMatchObject({ state: 'open', paperCount: 5 });

    // The opening page shows who entered each code and when.
    const status = await http<OpeningStatus>(server.url, `/api/sessions/${sessionId()}/open/status`, {
      token: await login('admin'),
    });
    expect(status.body.openedAt).not.toBeNull();
    expect(status.body.slots.map((s) => [s.slot, s.name, typeof s.enteredAt])).toEqual([
      ['A', '张志强', 'number'],
      ['B', '赵敏（市场监管局）', 'number'],
    ]);
  });
});
