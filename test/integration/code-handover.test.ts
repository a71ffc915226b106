import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CodeHandoverStatus, OpenCodeResult, SealResult } from '../../server/src/protocol';
import { http, staffToken, startTestServer, type TestServer } from '../support/test-server';

let server: TestServer;
const tokens: Record<string, string> = {};

beforeAll(async () => {
  server = await startTestServer();
  for (const [u, p] of [
    ['admin', 'demo-admin-2026'],
    ['chief', 'demo-chief-2026'],
    ['official', 'demo-official-2026'],
    ['proctor1', 'demo-proctor-2026'],
  ] as const)
    tokens[u] = await staffToken(server.url, u, p);
});
afterAll(() => server.stop());

const staffId = (u: string) => server.db.prepare('SELECT id FROM staff WHERE username = ?').pluck().get(u) as number;

describe('two-person rule at sealing', () => {
  it('gives the operator no code; each custodian collects their own, once, and together they open', async () => {
    const sessionId = server.demo!.sessionId;
    const sealed = await http<SealResult>(server.url, `/api/sessions/${sessionId}/reseal`, {
      token: tokens.admin,
      body: { custodians: [staffId('chief'), staffId('official')], reason: '演示：开卷码交接' },
    });
    expect(sealed.status).toBe(200);
    expect(sealed.body.codes).toEqual([]);

    const status = () =>
      http<{ handover: CodeHandoverStatus }>(server.url, `/api/sessions/${sessionId}/seal/handover`, {
        token: tokens.admin,
      });
    expect((await status()).body.handover?.custodians.map((c) => [c.slot, c.collected])).toEqual([
      ['A', false],
      ['B', false],
    ]);

    const mine = (who: string) =>
      http<SealResult & { error?: { code: string } }>(server.url, `/api/sessions/${sessionId}/seal/my-code`, {
        token: tokens[who],
      });
    expect((await mine('admin')).body.error?.code).toBe('no-code-waiting'); // the operator is not a custodian
    expect((await mine('proctor1')).body.error?.code).toBe('no-code-waiting');
    const a = await mine('chief');
    expect(a.body.codes.map((c) => c.slot)).toEqual(['A']);
    expect((await mine('chief')).status).toBe(410);
    expect((await status()).body.handover?.custodians.map((c) => c.collected)).toEqual([true, false]);
    const b = await mine('official');
    expect(b.body.codes.map((c) => c.slot)).toEqual(['B']);
    expect((await status()).body.handover).toBeNull(); // nothing left in memory

    // Each enters their own code on their own login, password again (issue 13, hole 4); the second opens.
    const enter = (who: string, password: string, code: string) =>
      http<OpenCodeResult>(server.url, `/api/sessions/${sessionId}/open/code`, {
        token: tokens[who],
        body: { password, code },
      });
    expect((await enter('chief', 'demo-chief-2026', a.body.codes[0]!.code)).body.opened).toBeNull();
    const opened = await enter('official', 'demo-official-2026', b.body.codes[0]!.code);
    expect(opened.status).toBe(200);
    expect(opened.body.opened?.state).toBe('open');
    const collected = server.db
      .prepare("SELECT count(*) FROM events WHERE chain = ? AND type = 'papers.code-collected'")
      .pluck()
      .get(`session:${sessionId}`);
    expect(collected).toBe(2);
  });
});
