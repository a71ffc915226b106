import type { Browser, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { browserSuite, screenshot } from '../support/browser-suite';
import { http, staffToken, type TestServer } from '../support/test-server';

let server: TestServer;
let browser: Browser;

browserSuite({ prepare: true }, (s, b) => {
  server = s;
  browser = b;
});

const REPORT_TEXT = '考场门口有人说交 800 元可以保证通过，我没有交。';

async function staffLogin(page: Page, path: string, username: string, password: string): Promise<void> {
  await page.goto(server.url + path.split('/').slice(0, 2).join('/'));
  await page.fill('input[name=username]', username);
  await page.fill('input[name=password]', password);
  await page.click('button[type=submit]');
  await page.locator('.who').waitFor();
  await page.goto(server.url + path);
}

describe('conduct supervision in Chromium', () => {
  it('carries an anonymous report from the candidate through an official case, the institution’s rectification and verification into the yearly summary', async () => {
    // 1. The candidate submits, then files an anonymous report.
    const c = server.demo!.candidates[1]!;
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(server.url + '/');
    await page.fill('input[name=admissionNo]', c.admissionNo);
    await page.fill('input[name=idNumber]', c.idNumber);
    await page.click('button[type=submit]');
    await page.getByText('开始答题').click();
    await page.getByText('第 1 题').waitFor();
    await page.getByTestId('submit').click();
    await page.getByTestId('submit-dialog').getByTestId('confirm-submit').click();
    await page.getByTestId('result').waitFor();
    const resultBefore = JSON.stringify(
      server.db.prepare('SELECT * FROM results ORDER BY registration_id').raw().all(),
    );
    await page.getByTestId('feedback-open').click();
    for (const [aspect, score] of [
      ['service', 5],
      ['fairness', 4],
      ['equipment', 4],
      ['staffConduct', 2],
    ] as const)
      await page.locator(`input[name=${aspect}][value="${score}"]`).check();
    await screenshot(page, 'conduct-00-survey');
    await page.getByTestId('survey-send').click();
    await page.getByTestId('survey-done').waitFor();
    await page.getByTestId('report-kind').selectOption('money');
    await page.getByTestId('report-body').fill(REPORT_TEXT);
    await expect(page.getByTestId('report-anonymous').isChecked()).resolves.toBe(true);
    await page.getByTestId('report-send').click();
    await page.getByTestId('report-done').waitFor();
    await screenshot(page, 'conduct-01-candidate-report');
    expect(JSON.stringify(server.db.prepare('SELECT * FROM results ORDER BY registration_id').raw().all())).toBe(
      resultBefore,
    );
    const stored = server.db.prepare('SELECT registration_id, session_id FROM conduct_reports').all() as {
      registration_id: number | null;
      session_id: number;
    }[];
    expect(stored).toEqual([{ registration_id: null, session_id: server.demo!.sessionId }]);
    await page.close();

    // 2. Institution staff: the API refuses, the UI shows nothing of it.
    const adminToken = await staffToken(server.url, 'admin', 'demo-admin-2026');
    expect((await http(server.url, '/api/conduct/reports', { token: adminToken })).status).toBe(403);
    const admin = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await staffLogin(admin, '/staff/conduct/reports', 'admin', 'demo-admin-2026');
    await admin.waitForLoadState('networkidle');
    expect(await admin.content()).not.toContain('800 元');
    await admin.goto(server.url + '/staff/conduct/ledger');
    await admin.getByTestId('ledger-table').waitFor();
    await expect(admin.getByTestId('ledger-table').locator('tbody tr').count()).resolves.toBe(0);
    expect(await admin.content()).not.toContain('800 元');

    // 3. The official opens it and turns it into a ledger entry with a deadline.
    const official = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await staffLogin(official, '/official/conduct/reports', 'official', 'demo-official-2026');
    const card = official.locator('[data-testid^="report-"]').filter({ hasText: REPORT_TEXT });
    await card.waitFor();
    await card.getByText('匿名').waitFor();
    await card.getByTestId('open-case').click();
    await card.getByTestId('case-problem').fill('有考生反映考场门口有人索要“保过费”');
    await card.getByTestId('case-measure').fill('核查考场周边人员，在考场公示监督举报电话');
    await card.getByTestId('case-responsible').fill('王建国');
    await card.getByTestId('case-deadline').fill('2099-12-10');
    await card.getByTestId('case-submit').click();
    await card.getByText('已立案').waitFor();
    await screenshot(official, 'conduct-02-official-case');

    // 4. The institution responds and uploads evidence, then reports it rectified.
    await admin.reload();
    const entry = admin.locator('[data-testid^="ledger-entry-"]').first();
    await entry.waitFor();
    expect(await admin.content()).not.toContain('800 元');
    await entry.getByTestId('step-note').fill('已成立核查组，正在核查');
    await entry.getByTestId('ledger-respond').click();
    await entry.getByTestId('ledger-rectified').waitFor();
    await entry.getByTestId('evidence-file').setInputFiles({
      name: '整改报告.txt',
      mimeType: 'text/plain',
      buffer: Buffer.from('已在考场入口公示监督电话 12315。'),
    });
    await entry.getByText('整改报告.txt').waitFor();
    await entry.getByTestId('step-note').fill('已公示监督电话并约谈相关人员');
    await entry.getByTestId('ledger-rectified').click();
    await entry.getByText('已整改待验收').first().waitFor();
    await screenshot(admin, 'conduct-03-institution-rectified');

    // 5. The official verifies.
    await official.goto(server.url + '/official/conduct/ledger');
    const oEntry = official.locator('[data-testid^="ledger-entry-"]').first();
    await oEntry.getByTestId('step-note').fill('现场复核：监督电话已公示');
    await oEntry.getByTestId('ledger-verify').click();
    await official.locator('[data-testid^="ledger-status-"]').getByText('已验收').waitFor();
    await screenshot(official, 'conduct-04-official-verified');

    // An on-site spot check of the running session, recorded through the officials' page.
    await official.goto(server.url + '/official/conduct/inspections');
    await official.getByTestId('inspection-kind').selectOption('spot-check');
    await official.getByTestId('spot-session').selectOption(String(server.demo!.sessionId));
    await official.getByTestId('inspection-inspectors').fill('赵敏、钱进');
    await official.getByTestId('area-site').check();
    await official.getByTestId('area-procedure').check();
    await official.getByTestId('inspection-save').click();
    await official.getByTestId('inspections-table').getByText('赵敏、钱进').waitFor();
    await screenshot(official, 'conduct-045-spot-check');

    // Satisfaction statistics, drawn as SVG bars.
    await official.goto(server.url + '/official/conduct/surveys');
    await official.locator('svg.bar-chart rect').first().waitFor();
    await screenshot(official, 'conduct-046-surveys');

    // 6. The yearly summary counts it.
    await official.goto(server.url + '/official/conduct/summary');
    await official.getByTestId('summary-reports').getByText('收到反映 1 件（匿名 1 件）；立案 1 件').waitFor();
    await official.getByText('问卷 1 份，平均 3.75 分').waitFor();
    await official.getByText('全年监督检查 1 次，其中现场抽查 1 次。').waitFor();
    await expect(official.getByTestId('summary-findings').textContent()).resolves.toBe('1');
    await expect(official.getByTestId('summary-rate').textContent()).resolves.toBe('100%');
    await screenshot(official, 'conduct-05-summary');
    const types = server.db
      .prepare("SELECT type FROM events WHERE chain = 'institution' AND type LIKE 'conduct.%' ORDER BY seq")
      .pluck()
      .all();
    expect(types).toEqual([
      'conduct.survey-answered',
      'conduct.ledger-created',
      'conduct.case-opened',
      'conduct.ledger-transition',
      'conduct.evidence-added',
      'conduct.ledger-transition',
      'conduct.ledger-transition',
      'conduct.inspection-recorded',
    ]);
    await admin.close();
    await official.close();
  }, 120_000);
});
