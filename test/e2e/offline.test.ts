import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureClientBuilt } from '../../server/src/client-build';
import { launchBrowser } from '../support/browser';
import { CuttableProxy } from '../support/cuttable-proxy';
import { prepareDemoSession } from '../support/demo-session';
import { startTestServer, type TestServer } from '../support/test-server';

const OFFLINE_MS = Number(process.env.OFFLINE_TEST_MS ?? 60_000);
let server: TestServer;
let proxy: CuttableProxy;
let browser: Browser;

beforeAll(async () => {
  await ensureClientBuilt();
  server = await startTestServer();
  await prepareDemoSession(server);
  proxy = new CuttableProxy(server.port);
  await proxy.start();
  browser = await launchBrowser();
}, 180_000);
afterAll(async () => {
  await browser?.close();
  await proxy?.stop();
  await server?.stop();
});

describe('a candidate cut off from the network', () => {
  it(
    `loses nothing and duplicates nothing after ${OFFLINE_MS / 1000} s offline`,
    async () => {
      const candidate = server.demo!.candidates[1]!;
      const registrationId = server.db
        .prepare('SELECT id FROM registrations WHERE admission_no = ?')
        .pluck()
        .get(candidate.admissionNo) as number;
      const page = await browser.newPage({ viewport: { width: 1366, height: 900 } });
      await page.goto(`http://127.0.0.1:${proxy.port}/`);
      await page.fill('input[name=admissionNo]', candidate.admissionNo);
      await page.fill('input[name=idNumber]', candidate.idNumber);
      await page.click('button[type=submit]');
      await page.getByText('开始答题').click();
      await page.getByText('第 1 题').waitFor();

      const clicks: { position: number; option: number }[] = [];
      const answer = async (position: number, option: number) => {
        await page
          .locator('.cells .cell')
          .nth(position - 1)
          .click();
        await page.getByTestId(`option-${option}`).click();
        clicks.push({ position, option });
      };
      for (let p = 1; p <= 5; p++) {
        await answer(p, 0);
        await page.getByTestId('save-state').getByText('已保存').waitFor();
      }

      const cutAt = Date.now();
      await proxy.cut();
      await page.getByRole('alert').getByText('网络已断开').waitFor();
      for (let p = 6; p <= 15; p++) await answer(p, 1);
      await answer(3, 1); // a change of mind while offline
      expect(await page.getByTestId('save-state').textContent()).not.toContain('已保存');
      const storedWhileOffline = server.db
        .prepare('SELECT count(*) FROM answers WHERE registration_id = ?')
        .pluck()
        .get(registrationId);
      expect(storedWhileOffline).toBe(5);

      await page.waitForTimeout(Math.max(0, OFFLINE_MS - (Date.now() - cutAt)));
      await proxy.restore();
      await page.getByText('网络已断开').waitFor({ state: 'detached', timeout: 30_000 });
      await page.getByTestId('save-state').getByText('已保存').waitFor({ timeout: 30_000 });
      await expect
        .poll(
          () => server.db.prepare('SELECT count(*) FROM answers WHERE registration_id = ?').pluck().get(registrationId),
          { timeout: 15_000 },
        )
        .toBe(15);

      const latest = new Map<number, number>();
      for (const c of clicks) latest.set(c.position, c.option);
      const rows = server.db
        .prepare('SELECT position, choice FROM answers WHERE registration_id = ? ORDER BY position')
        .all(registrationId) as { position: number; choice: string }[];
      expect(rows.map((r) => [r.position, JSON.parse(r.choice)])).toEqual(
        [...latest].sort((a, b) => a[0] - b[0]).map(([p, o]) => [p, [o]]),
      );
      // Nothing duplicated: no more stored changes than the candidate made (a replay of an acknowledged
      // save is ignored by its sequence number), and every stored change is distinct.
      const history = server.db
        .prepare('SELECT count(*) FROM answer_history WHERE registration_id = ?')
        .pluck()
        .get(registrationId) as number;
      expect(history).toBeLessThanOrEqual(clicks.length);
      expect(history).toBeGreaterThanOrEqual(latest.size);
      await page.close();
    },
    OFFLINE_MS + 120_000,
  );
});
