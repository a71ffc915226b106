import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IntegrityExceptionView, SessionIntegrityView } from '../../server/src/protocol';
import { http, startTestServer, staffToken, type TestServer } from '../support/test-server';

// Found while closing issue 13: one admin recorded a same-employer 回避 exception and "approved" it in a free-text
// field; the exception then waived the finding. Now a supervising official must confirm it first.
describe('insider: an integrity exception needs an official’s confirmation (real server, demo data)', () => {
  let server: TestServer;
  let admin: string;
  let official: string;
  beforeAll(async () => {
    server = await startTestServer();
    admin = await staffToken(server.url, 'admin', 'demo-admin-2026');
    official = await staffToken(server.url, 'official', 'demo-official-2026');
  });
  afterAll(async () => server?.stop());

  it('insider: an exception one admin records waives nothing until an official confirms it', async () => {
    const sessionId = server.demo!.sessionId;
    const staffId = server.db.prepare("SELECT id FROM staff WHERE username = 'proctor1'").pluck().get() as number;
    const recorded = await http<IntegrityExceptionView>(server.url, `/api/sessions/${sessionId}/integrity/exceptions`, {
      token: admin,
      body: {
        code: 'recusal-conflict',
        reason: 'same-employer',
        staffId,
        candidateId: null,
        justification: '本镇仅此一家企业，另有一名监考来自外单位',
        approver: '中心主任（管理员自填）',
        documentRef: null,
      },
    });
    expect(recorded.status).toBe(201);
    expect(recorded.body).toMatchObject({ confirmedBy: null, confirmedAt: null });
    const path = `/api/sessions/${sessionId}/integrity/exceptions/${recorded.body.id}/confirm`;

    const byAdmin = await http<{ error: { code: string } }>(server.url, path, { token: admin, body: {} });
    expect(byAdmin.status).toBe(403);
    expect(server.db.prepare('SELECT count(*) FROM integrity_exception_confirmations').pluck().get()).toBe(0);

    const byOfficial = await http<IntegrityExceptionView>(server.url, path, { token: official, body: {} });
    expect(byOfficial.status).toBe(200);
    expect(byOfficial.body.confirmedBy).toMatch(/^staff:\d+$/);
    const again = await http<{ error: { code: string } }>(server.url, path, { token: official, body: {} });
    expect(again.body.error.code).toBe('exception-already-confirmed');

    const view = await http<SessionIntegrityView>(server.url, `/api/sessions/${sessionId}/integrity`, {
      token: official,
    });
    expect(view.body.exceptions.find((e) => e.id === recorded.body.id)?.confirmedAt).toEqual(expect.any(Number));
    const types = server.db
      .prepare('SELECT type FROM events WHERE chain = ? ORDER BY seq')
      .pluck()
      .all(`session:${sessionId}`);
    expect(types).toEqual(expect.arrayContaining(['integrity.exception-recorded', 'integrity.exception-confirmed']));
  });
});
