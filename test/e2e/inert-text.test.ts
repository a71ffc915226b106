import type { Browser } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { simulatedIdNumber } from '../load/load-session';
import { browserSuite } from '../support/browser-suite';
import { http, staffToken, type TestServer } from '../support/test-server';

let server: TestServer;
let browser: Browser;

browserSuite({}, (s, b) => {
  server = s;
  browser = b;
});

describe('hostile text in names', () => {
  it('is shown as text in the staff console, never run as markup', async () => {
    const admin = await staffToken(server.url, 'admin', 'demo-admin-2026');
    const name = `<img src=x onerror=alert(1)>';DROP TABLE x;--`;
    const created = await http(server.url, '/api/people/candidates', {
      token: admin,
      body: {
        name,
        idNumber: simulatedIdNumber(4242),
        employerOrgId: null,
        trainingOrgId: null,
        courseFrom: null,
        courseTo: null,
        appliedCategory: 'N1',
      },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);

    const page = await browser.newPage();
    const dialogs: string[] = [];
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    await page.goto(server.url + '/staff');
    await page.fill('input[name=username]', 'admin');
    await page.fill('input[name=password]', 'demo-admin-2026');
    await page.click('button[type=submit]');
    await page.goto(server.url + '/staff/people/candidates');
    await page.getByText(name).first().waitFor();
    expect(await page.locator('img[src="x"]').count()).toBe(0);
    expect(dialogs).toEqual([]);
    expect(server.db.prepare('SELECT count(*) FROM candidates').pluck().get()).toBeGreaterThan(5);
    await page.close();
  });
});
