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

describe('collecting a custodian code in the console', () => {
  it('shows the operator only who collected, and each custodian only their own code', async () => {
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
      expect(await page.getByTestId(`code-${slot}`).textContent()).toMatch(/^[0-9A-Z]{4}(-[0-9A-Z]{4}){3}$/);
    }
    await page.close();
  });
});
