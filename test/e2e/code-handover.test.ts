import type { Browser } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { browserSuite } from '../support/browser-suite';
import { http, staffToken, type TestServer } from '../support/test-server';

let server: TestServer;
let browser: Browser;

browserSuite({}, (s, b) => {
  server = s;
  browser = b;
});

describe('collecting and entering a custodian code in the console', () => {
  it('shows the operator only who collected; each custodian sees and enters only their own code', async () => {
    const sessionId = server.demo!.sessionId;
    const id = (u: string) => server.db.prepare('SELECT id FROM staff WHERE username = ?').pluck().get(u) as number;
    const admin = await staffToken(server.url, 'admin', 'demo-admin-2026');
    const resealed = await http(server.url, `/api/sessions/${sessionId}/reseal`, {
      token: admin,
      body: { custodians: [id('chief'), id('official')], reason: '浏览器测试：开卷码交接' },
    });
    expect(resealed.status).toBe(200);

    const page = await browser.newPage();
    for (const [base, user, password, slot] of [
      ['/staff', 'chief', 'demo-chief-2026', 'A'],
      ['/official', 'official', 'demo-official-2026', 'B'],
    ] as const) {
      await page.goto(server.url + base);
      await page.evaluate(() => sessionStorage.clear());
      await page.goto(server.url + base);
      await page.fill('input[name=username]', user);
      await page.fill('input[name=password]', password);
      await page.click('button[type=submit]');
      await page
        .getByText(/退出|Log out/)
        .first()
        .waitFor();
      await page.goto(`${server.url}${base}/sessions/${sessionId}/seal`);
      await page.getByTestId('collect-my-code').click();
      const slip = page.getByTestId(`code-slip-${slot}`);
      await slip.waitFor();
      expect(await page.locator('[data-testid^="code-slip-"]').count()).toBe(1);
      await page.getByTestId(`reveal-${slot}`).click();
      const code = (await page.getByTestId(`code-${slot}`).textContent()) ?? '';
      expect(code).toMatch(/^[0-9A-Z]{4}(-[0-9A-Z]{4}){3}$/);

      // Opening (issue 13, hole 4): the custodian enters their own code, with their password again, on their own
      // login; the page has one code box, never one for the other custodian.
      await page.goto(`${server.url}${base}/sessions/${sessionId}/open`);
      await page.getByTestId('open-code').waitFor();
      expect(await page.locator('[data-testid^="open-code"]').count()).toBe(1);
      await page.getByTestId('open-password').fill(password);
      await page.getByTestId('open-code').fill(code);
      await page.getByTestId('open-button').click();
      await page
        .getByText(slot === 'A' ? /等待另一位保管人|waiting for the other/ : /试卷已启封|Papers opened/)
        .first()
        .waitFor();
    }
    expect(server.app.services.sessions.get(sessionId).state).toBe('open');
    // Who entered each code and when, on the opening page.
    await page.reload();
    await page
      .getByTestId('open-slot-B')
      .getByText(/已输入|Entered/)
      .waitFor();
    expect(await page.getByTestId('open-slot-A').textContent()).toContain('张志强');
    expect(await page.getByTestId('open-slot-B').textContent()).toContain('赵敏');
    await page.close();
  });
});
