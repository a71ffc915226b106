import type { Browser, Page } from 'playwright-core';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { ensureClientBuilt } from '../../server/src/client-build';
import { launchBrowser } from './browser';
import { prepareDemoSession } from './demo-session';
import { startTestServer, type TestServer } from './test-server';

/**
 * The set-up every Chromium test file shares: the production client built, a demo server on a free port
 * (the demo session opened and started when `prepare`), and Chromium; all closed after the file.
 */
export function browserSuite(
  options: { prepare?: boolean; chromiumArgs?: string[] },
  ready: (server: TestServer, browser: Browser) => void,
): void {
  let server: TestServer | undefined;
  let browser: Browser | undefined;
  beforeAll(async () => {
    await ensureClientBuilt();
    server = await startTestServer();
    if (options.prepare) await prepareDemoSession(server);
    browser = await launchBrowser(options.chromiumArgs);
    ready(server, browser);
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });
}

const shots = process.env.SCREENSHOT_DIR;
if (shots) mkdirSync(shots, { recursive: true });

/** A full-page screenshot into $SCREENSHOT_DIR, when set (for looking at the screens). */
export async function screenshot(page: Page, name: string): Promise<void> {
  if (shots) await page.screenshot({ path: join(shots, `${name}.png`), fullPage: true });
}
