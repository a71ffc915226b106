import { createHash } from 'node:crypto';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CentreDetail } from '../../server/src/protocol/regulator-admin';
import type { LinkExchangeResponse } from '../../server/src/protocol/regulator';
import { ensureClientBuilt } from '../../server/src/client-build';
import { createRegulatorApp, type RegulatorApp } from '../../server/src/regulator/regulator-app';
import { openRegulatorDb } from '../../server/src/regulator/regulator-main';
import { loadOrCreateRegulatorKeys } from '../../server/src/regulator/regulator-keys';
import type { Db } from '../../server/src/db/open';
import { systemClock } from '../../server/src/shared/clock';
import { createLogger } from '../../server/src/shared/logger';
import { parseBundleFile, signBundle } from '../../server/src/shared/link-signing';
import { publicKeyFingerprint } from '../../server/src/shared/institution-key';
import { launchBrowser } from '../support/browser';
import { screenshot } from '../support/browser-suite';
import { centreMessage, exchangeRequest, testCentre, type TestCentre } from '../support/regulator-server';
import { http, startTestServer, type TestServer } from '../support/test-server';

/*
 * The regulator's console in Chromium (issue 14): a real regulator (its own data folder, its own keys, the
 * built regulator.html), two registered centres — a real centre whose archive arrives over the signed link, and
 * a second centre that reported a session with the same candidate — and an official who finds that candidate
 * at both and opens the archive verified against the key pinned at registration.
 */
let centre: TestServer;
let regDir: string;
let regDb: Db;
let reg: RegulatorApp;
let regUrl: string;
let browser: Browser;
let alpha: TestCentre;
const beta = testCentre('BETA-02');
const gamma = testCentre('GAMMA-03');
const OFFICIAL = { username: 'inspector', name: '陈监管', password: 'official-pass-2026' };
let person: { idNumber: string; name: string };
let pastSessionCode: string;

beforeAll(async () => {
  await ensureClientBuilt();
  centre = await startTestServer();
  const past = centre.demo!.pastSession!;
  pastSessionCode = centre.db.prepare('SELECT code FROM sessions WHERE id = ?').pluck().get(past.sessionId) as string;
  person = centre.db
    .prepare(
      `SELECT c.id_number AS idNumber, c.name FROM registrations r JOIN candidates c ON c.id = r.candidate_id
       WHERE r.session_id = ? ORDER BY r.seat_no LIMIT 1`,
    )
    .get(past.sessionId) as { idNumber: string; name: string };

  // The regulator the demo centre's archives are sealed to: its keys, in a data folder of the regulator's own.
  regDir = mkdtempSync(join(tmpdir(), 'exam-regulator-e2e-'));
  cpSync(join(centre.dataDir, 'demo-regulator', 'regulator-data', 'keys'), join(regDir, 'keys'), { recursive: true });
  regDb = openRegulatorDb(regDir);
  reg = createRegulatorApp({
    config: { dataDir: regDir, missingArchiveDays: 3, tokenMinutes: 60 },
    db: regDb,
    clock: systemClock,
    logger: createLogger('silent'),
    keys: loadOrCreateRegulatorKeys(regDir),
    jwtSecret: Buffer.from('regulator-e2e-secret-0123456789abcdef'),
  });
  reg.services.accounts.createAdmin('regadmin', '监管管理员', 'regadmin-e2e-2026', 'test');
  await new Promise<void>((r) => reg.http.listen(0, '127.0.0.1', () => r()));
  const address = reg.http.address();
  regUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  const admin = await http<{ token: string }>(regUrl, '/api/auth/login', {
    body: { username: 'regadmin', password: 'regadmin-e2e-2026' },
  });
  const token = admin.body.token;
  expect((await http(regUrl, '/api/officials', { token, body: OFFICIAL })).status).toBe(200);

  // Centre ALPHA is the real centre: the regulator pins its institution key; it signs with that key.
  const institution = centre.app.keys.institution;
  alpha = {
    code: 'ALPHA-01',
    publicKey: institution.publicKey,
    publicKeyPem: institution.publicKeyPem,
    signer: institution,
    seq: 0,
  };
  for (const [c, name] of [
    [alpha, '甲市特种设备考试中心'],
    [beta, '乙市特种设备考试中心'],
  ] as const) {
    const res = await http<CentreDetail>(regUrl, '/api/centres', {
      token,
      body: { code: c.code, name, publicKeyPem: c.publicKeyPem },
    });
    expect(res.status).toBe(201);
  }

  // ALPHA's past session archive, as the centre's link sends it: a signed archive.submitted message.
  const bytes = readFileSync(join(centre.dataDir, past.archiveFile));
  const submitted = centreMessage(alpha, 'archive.submitted', {
    sessionCode: pastSessionCode,
    fileName: past.archiveFile.split('/').pop()!,
    sha256: createHash('sha256').update(bytes).digest('hex'),
    bytes: bytes.toString('base64'),
  });
  const ex = await http<LinkExchangeResponse>(regUrl, '/api/link/exchange', {
    body: exchangeRequest(alpha, [submitted]),
  });
  expect(ex.status).toBe(200);
  expect(ex.body.outcomes).toEqual([{ seq: 1, status: 'applied' }]);

  // BETA reports a session the same person sits at the same time (a session notice; no archive yet): a finding
  // no single centre could make.
  const pastRow = centre.db
    .prepare('SELECT scheduled_start AS start, duration_minutes AS minutes FROM sessions WHERE id = ?')
    .get(past.sessionId) as { start: number; minutes: number };
  const start = pastRow.start + 30 * 60_000;
  const noticeBody = {
    sessionCode: 'B-2026-031',
    category: 'N1',
    state: 'sealed',
    scheduledStart: start,
    scheduledEnd: start + 90 * 60_000,
    candidates: [{ idNumber: person.idNumber, name: person.name, trainingOrg: null }],
    staff: [],
  };
  const notice = centreMessage(beta, 'session.notice', noticeBody);
  const ex2 = await http<LinkExchangeResponse>(regUrl, '/api/link/exchange', { body: exchangeRequest(beta, [notice]) });
  expect(ex2.body.outcomes).toEqual([{ seq: 1, status: 'applied' }]);
  // The same notice again (a harmless duplicate) and one signed with ALPHA's key in BETA's name (refused):
  // both land in the link log the console shows.
  const forged = centreMessage(beta, 'session.notice', noticeBody, { signer: alpha.signer });
  const ex3 = await http<LinkExchangeResponse>(regUrl, '/api/link/exchange', {
    body: exchangeRequest(beta, [notice, forged]),
  });
  expect(ex3.body.outcomes.map((o) => o.status)).toEqual(['duplicate', 'refused']);

  // Chinese first: the date inputs and the file picker speak the screen's language.
  browser = await launchBrowser(['--lang=zh-CN']);
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await reg?.close();
  regDb?.close();
  await centre?.stop();
  if (regDir) rmSync(regDir, { recursive: true, force: true });
});

async function login(page: Page, username: string, password: string): Promise<void> {
  await page.goto(regUrl + '/');
  await page.fill('input[name=username]', username);
  await page.fill('input[name=password]', password);
  await page.click('button[type=submit]');
  await page.getByTestId('who').waitFor();
}

describe('regulator console in Chromium', () => {
  it('an official finds a candidate by ID number across centres and opens an archive verified against the pinned key', async () => {
    const page = await browser.newPage({ viewport: { width: 1360, height: 900 }, locale: 'zh-CN' });
    await login(page, OFFICIAL.username, OFFICIAL.password);
    await expect(page.getByTestId('who').textContent()).resolves.toContain('陈监管');
    // An official reads; managing officials is the admin's.
    await expect(page.locator('nav.console-nav a').allTextContents()).resolves.not.toContain('监管人员');

    await page.fill('input[name=idNumber]', person.idNumber);
    await page.click('[data-testid=search-form] button[type=submit]');
    const results = page.getByTestId('search-results');
    await results.waitFor();
    await expect(results.locator('tr[data-centre=ALPHA-01]').count()).resolves.toBeGreaterThan(0);
    await expect(results.locator('tr[data-centre=BETA-02]').count()).resolves.toBeGreaterThan(0);
    await expect(results.textContent()).resolves.toContain('甲市特种设备考试中心');
    await expect(results.textContent()).resolves.toContain('乙市特种设备考试中心');
    await screenshot(page, 'regulator-01-search');

    // The person's page: every sitting at every centre.
    await results.locator('tr[data-centre=BETA-02] a', { hasText: person.idNumber }).click();
    const personPage = page.getByTestId('person');
    await personPage.waitFor();
    await expect(personPage.locator('tr[data-centre=ALPHA-01]').count()).resolves.toBeGreaterThan(0);
    await expect(personPage.locator('tr[data-centre=BETA-02]').count()).resolves.toBeGreaterThan(0);
    await screenshot(page, 'regulator-02-person');
    await page.goBack();
    await results.waitFor();

    // The archive from ALPHA: verified against the key pinned for ALPHA at registration.
    await results.locator('tr[data-centre=ALPHA-01] td a .archive-status').first().click();
    const archive = page.getByTestId('archive');
    await archive.waitFor();
    await expect(page.getByTestId('archive-status').getAttribute('data-status')).resolves.toBe('VALID');
    const keyLine = (await page.getByTestId('pinned-key').textContent()) ?? '';
    expect(keyLine).toContain('已用甲市特种设备考试中心（ALPHA-01）登记时锁定的机构公钥核验');
    expect(keyLine).toContain(centre.app.keys.institution.fingerprint);
    await expect(page.getByTestId('embedded-key').getAttribute('class')).resolves.toBe('ok');
    await expect(page.getByTestId('archive-checks').textContent()).resolves.toContain('机构签名（Ed25519）有效');
    await screenshot(page, 'regulator-03-archive');
    // From the archive to its session at ALPHA: the sittings and staff the archive indexed.
    await archive.getByRole('link', { name: `场次 ${pastSessionCode}` }).click();
    await page.getByTestId('session').waitFor();
    await expect(page.getByTestId('session').textContent()).resolves.toContain(person.name);
    await screenshot(page, 'regulator-03b-session-alpha');
    await page.goBack();
    await archive.waitFor();

    // The same in English, labels from the catalogue (no raw codes).
    await page.getByRole('button', { name: 'English' }).click();
    await expect(page.getByTestId('pinned-key').textContent()).resolves.toContain(
      'Verified against the key pinned for',
    );
    await expect(page.getByTestId('archive-status').textContent()).resolves.toContain('VALID');
    await screenshot(page, 'regulator-04-archive-en');
    await page.getByRole('button', { name: '中文' }).click();

    // The session page at BETA, known from its notice only.
    await page.goto(`${regUrl}/#/sessions/BETA-02/B-2026-031`);
    await page.getByTestId('session').waitFor();
    await expect(page.getByTestId('session').textContent()).resolves.toContain('尚未收到本场次的档案');
    await screenshot(page, 'regulator-05-session');
    await page.close();
  });

  it('an admin registers a centre by its key, carries bundles both ways, publishes a ban and opens a case from a finding', async () => {
    const page = await browser.newPage({ viewport: { width: 1360, height: 900 }, locale: 'zh-CN' });
    await login(page, 'regadmin', 'regadmin-e2e-2026');
    await page.locator('nav.console-nav a', { hasText: '考试机构' }).click();
    const centres = page.getByTestId('centres');
    await centres.locator('tr[data-centre=ALPHA-01]').waitFor();
    await expect(centres.locator('tr[data-centre=ALPHA-01] .fingerprint').textContent()).resolves.toBe(
      centre.app.keys.institution.fingerprint,
    );
    await screenshot(page, 'regulator-06-centres');

    // Register a third centre by pasting its public key: its fingerprint is pinned.
    const register = page.getByTestId('register-centre');
    await register.locator('input[name=code]').fill(gamma.code);
    await register.locator('input[name=name]').fill('丙市特种设备考试中心');
    await register.locator('textarea[name=publicKeyPem]').fill(gamma.publicKeyPem);
    await register.locator('button[type=submit]').click();
    const gammaRow = centres.locator(`tr[data-centre=${gamma.code}]`);
    await gammaRow.waitFor();
    await expect(gammaRow.locator('.fingerprint').textContent()).resolves.toBe(
      publicKeyFingerprint(gamma.publicKeyPem),
    );

    // Its first bundle (USB stick): what the link would send, signed by the regulator.
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      gammaRow.getByRole('button', { name: '下载数据包' }).click(),
    ]);
    const file = parseBundleFile(readFileSync((await download.path())!, 'utf8'));
    expect(file.bundle).toMatchObject({ from: 'regulator', to: gamma.code });
    expect(file.bundle.messages.map((m) => m.message.type)).toContain('centre.registered');

    // And the centre's bundle back: a session notice, applied as over the link.
    const start = Date.now() + 3 * 86_400_000;
    const back = signBundle(
      {
        v: 1,
        kind: 'exam-center.link-bundle',
        from: gamma.code,
        to: 'regulator',
        createdAt: Date.now(),
        received: file.bundle.messages.length,
        messages: [
          centreMessage(gamma, 'session.notice', {
            sessionCode: 'C-2026-007',
            category: 'G1',
            state: 'scheduled',
            scheduledStart: start,
            scheduledEnd: start + 3_600_000,
            candidates: [{ idNumber: person.idNumber, name: person.name, trainingOrg: null }],
            staff: [],
          }),
        ],
        freshness: null,
      },
      gamma.signer,
    );
    await page.getByTestId('bundle-file').setInputFiles({
      name: `${gamma.code}.bundle.json`,
      mimeType: 'application/json',
      buffer: Buffer.from(JSON.stringify(back)),
    });
    await expect(page.getByTestId('bundle-result').textContent()).resolves.toContain('采纳 1 条');
    await screenshot(page, 'regulator-06b-centres-bundle');

    await page.locator('nav.console-nav a', { hasText: '禁入名单' }).click();
    const form = page.getByTestId('add-ban');
    await form.locator('input[name=subject]').fill('110101198001010011');
    await form.locator('input[name=name]').fill('赵违纪');
    await form.locator('input[name=authority]').fill('某省市场监督管理局');
    await form.locator('input[name=documentNo]').fill('某市监特〔2026〕12 号');
    await form.locator('input[name=summary]').fill('考试期间协助考生作弊');
    await form.locator('button[type=submit]').click();
    await page.getByTestId('bans').getByText('赵违纪').waitFor();
    await screenshot(page, 'regulator-07-bans');

    await page.locator('nav.console-nav a', { hasText: '监管人员' }).click();
    await page.getByTestId('officials').getByText(OFFICIAL.username).waitFor();
    await screenshot(page, 'regulator-08-officials');
    // A new password for the official (shown once), then the account disabled: each a grant to every centre.
    const row = page.getByTestId('officials').locator('tbody tr', { hasText: OFFICIAL.username });
    await row.getByRole('button', { name: '重设密码' }).click();
    await expect(page.getByTestId('officials-message').textContent()).resolves.toMatch(
      /inspector 的密码：\S+（只显示这一次.*签名授权已发送给 3 个考试机构/,
    );
    page.once('dialog', (d) => void d.accept());
    await row.getByRole('button', { name: '停用' }).click();
    await row.getByText('已停用').waitFor();

    // The overlap of ALPHA's session and BETA's names both ends and becomes a case.
    await page.locator('nav.console-nav a', { hasText: '跨机构核查' }).click();
    const finding = page.locator('[data-testid=findings] li[data-kind=overlapping-sessions]').first();
    await finding.waitFor();
    await expect(finding.textContent()).resolves.toContain('ALPHA-01');
    await expect(finding.textContent()).resolves.toContain('BETA-02');
    await screenshot(page, 'regulator-09-findings');
    await finding.getByTestId('open-case').click();
    await finding.locator('input[name=measure]').fill('约谈两家考试机构，核实考生身份');
    await finding.locator('input[name=responsible]').fill('乙市特种设备考试中心');
    await finding.locator('button[type=submit]').click();
    await page.getByTestId('cases').locator('tbody tr').first().waitFor();
    await screenshot(page, 'regulator-09b-case');

    await page.locator('nav.console-nav a', { hasText: '链接日志' }).click();
    const log = page.getByTestId('link-log');
    await log.locator('tbody tr').nth(1).waitFor();
    await expect(log.textContent()).resolves.toContain('签名无效');
    await expect(log.textContent()).resolves.toContain('重复');
    await expect(page.getByTestId('chain-status').getAttribute('class')).resolves.toBe('verdict-ok');

    for (const [nav, id, shot] of [
      ['通过率', 'pass-rates', 'regulator-10-pass-rates'],
      ['链接日志', 'link-log', 'regulator-11-link-log'],
    ] as const) {
      await page.locator('nav.console-nav a', { hasText: nav }).click();
      await page.getByTestId(id).waitFor();
      await page.waitForLoadState('networkidle');
      await screenshot(page, shot);
    }
    await page.close();
  });
});
