import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setLinkIdentity } from '../../server/src/link/link.service';
import type { LinkStatus } from '../../server/src/protocol';
import { loadRegulatorConfig } from '../../server/src/regulator/regulator-config';
import { startRegulator, type RegulatorStarted } from '../../server/src/regulator/regulator-main';
import { http, staffToken, startTestServer, type TestServer } from '../support/test-server';

// Issue 14: the centre's exchange loop against the real regulator server (H1's createRegulatorApp), in process.

type ErrorBody = { error: { code: string; message: string } };
let centre: TestServer;
let regulator: RegulatorStarted;
let regDir: string;
let admin: string;

beforeAll(async () => {
  regDir = mkdtempSync(join(tmpdir(), 'exam-center-regulator-'));
  regulator = await startRegulator(
    loadRegulatorConfig({
      EXAM_CENTER_REGULATOR_DATA: regDir,
      REGULATOR_PORT: '0',
      REGULATOR_HOST: '127.0.0.1',
      EXAM_CENTER_LOG: 'silent',
    }),
  );
  centre = await startTestServer();
  admin = await staffToken(centre.url, 'admin', 'demo-admin-2026');
  // Installed out of band, as a real regulator hands its public key to each centre.
  writeFileSync(join(centre.dataDir, 'keys', 'regulator.pub'), regulator.keys.publicKeyPem);
  setLinkIdentity(centre.db, { centreCode: 'REAL-01', regulatorUrl: `http://127.0.0.1:${regulator.port}` });
});
afterAll(async () => {
  await centre?.stop();
  await regulator?.app.close();
  regulator?.db.close();
  rmSync(regDir, { recursive: true, force: true });
});

describe('the centre and the real regulator server', () => {
  it('link: a registered centre gets its list, is fresh, reports its sessions, and a province ban stops an assignment', async () => {
    const staffId = (u: string) =>
      centre.db.prepare('SELECT id FROM staff WHERE username = ?').pluck().get(u) as number;
    const idNumber = centre.db
      .prepare('SELECT id_number FROM staff_profiles WHERE staff_id = ?')
      .pluck()
      .get(staffId('proctor2')) as string;
    const { centres, bans } = regulator.app.services;
    centres.register(
      { code: 'REAL-01', name: '真实链接测试机构', publicKeyPem: centre.app.keys.institution.publicKeyPem },
      'test',
    );
    bans.add(
      {
        kind: 'person',
        idNumber,
        name: '省名单人员',
        reason: 'conduct',
        decisionDate: '2026-01-05',
        authority: '某省市场监督管理局',
        documentNo: '某市监特处〔2026〕9号',
        summary: '行风问题，纪律处分',
      },
      'test',
    );
    const sync = await http<LinkStatus>(centre.url, '/api/link/sync', { token: admin, body: {} });
    expect(sync.status).toBe(200);
    expect(sync.body).toMatchObject({ linked: true, centreCode: 'REAL-01', lastError: null, pendingOut: 0 });
    expect(sync.body.banList.stale).toBe(false);
    expect(sync.body.banList.version).toBeGreaterThan(0);
    expect(centre.db.prepare("SELECT COUNT(*) FROM link_log WHERE status = 'refused'").pluck().get()).toBe(0);

    const sessionId = centre.app.services.sessions.repo.insertSession(
      {
        ...centre.app.services.sessions.get(centre.demo!.sessionId),
        code: 'N1-REAL-LINK',
        name: '真实链接测试场次',
        roomId: centre.app.services.sessions.repo.insertRoom('真实链接测试考场', 30),
        state: 'draft',
        scheduledStart: Date.now(),
      },
      Date.now(),
    );
    const refused = await http<ErrorBody>(centre.url, `/api/sessions/${sessionId}/staff`, {
      token: admin,
      body: { staffId: staffId('proctor2'), duty: 'proctor' },
    });
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('staff-banned');
    expect(refused.body.error.message).toContain('某市监特处〔2026〕9号');
  });
});
