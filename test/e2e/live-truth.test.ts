import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DemoInfo } from '../../server/src/demo/seed';
import { ensureClientBuilt } from '../../server/src/client-build';
import { freePort, killHard, spawnServer, stopGracefully } from '../load/server-child';
import { launchBrowser } from '../support/browser';
import { screenshot } from '../support/browser-suite';

// The server runs in its own process so that it can be killed like a power cut (SIGKILL) and started again
// on the same data folder; the outage must last longer than the heartbeat's threshold to be given back.
const SCRIPT = 'test/support/demo-server-process.ts';
const OUTAGE_MS = 9_000;
const dataDir = mkdtempSync(join(tmpdir(), 'exam-center-live-'));
let server: ChildProcess | null = null;
let browser: Browser;
let port: number;
let url: string;
let demo: DemoInfo;

beforeAll(async () => {
  await ensureClientBuilt();
  port = await freePort();
  url = `http://127.0.0.1:${port}`;
  server = await spawnServer({ dataDir, port, script: SCRIPT });
  demo = JSON.parse(readFileSync(join(dataDir, 'demo-info.json'), 'utf8')) as DemoInfo;
  browser = await launchBrowser();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  if (server) await stopGracefully(server);
  rmSync(dataDir, { recursive: true, force: true });
});

/** The kill test restarts the server itself; if it failed before that, the next tests start it again. */
async function serverUp(): Promise<void> {
  server ??= await spawnServer({ dataDir, port, script: SCRIPT });
}

/** Signs a demo candidate in at a 1366×768 exam-room screen and answers question 1. */
async function candidateSitting(index: number): Promise<Page> {
  const candidate = demo.candidates[index]!;
  const page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
  await page.goto(url + '/');
  await page.fill('input[name=admissionNo]', candidate.admissionNo);
  await page.fill('input[name=idNumber]', candidate.idNumber);
  await page.click('button[type=submit]');
  await page.getByText('开始答题').click();
  await page.getByText('第 1 题').waitFor();
  await page.getByTestId('option-0').click();
  await page.getByTestId('save-state').getByText('已保存').waitFor();
  return page;
}

describe('staff screens that tell the truth about the live connection', () => {
  it('the proctor console says it lost the server within 5 s of a SIGKILL, and that it is back with the time given back', async () => {
    const candidate = demo.candidates[0]!;
    const cand = await candidateSitting(0);
    const proc = await browser.newPage({ viewport: { width: 1366, height: 768 } });
    await proc.goto(`${url}/staff/sessions/${demo.sessionId}/proctor`);
    await proc.fill('input[name=username]', 'proctor1');
    await proc.fill('input[name=password]', 'demo-proctor-2026');
    await proc.click('button[type=submit]');
    const live = proc.getByTestId('live-state');
    await live.getByText('实时连接正常').waitFor();
    const tile = proc.getByTestId(`seat-${candidate.seatNo}`);
    await tile.getByText('在线').waitFor();
    // The session's detail page (roster), in English, on another staff PC.
    const detail = await (await browser.newContext({ viewport: { width: 1366, height: 768 } })).newPage();
    await detail.addInitScript(() => localStorage.setItem('exam-center.lang', 'en'));
    await detail.goto(`${url}/staff/sessions/${demo.sessionId}`);
    await detail.fill('input[name=username]', 'chief');
    await detail.fill('input[name=password]', 'demo-chief-2026');
    await detail.click('button[type=submit]');
    const detailLive = detail.getByTestId('live-state');
    await detailLive.getByText('Live: connected').waitFor();

    await killHard(server!);
    server = null;
    const killedAt = Date.now();
    await live.getByText('与服务器的连接已中断').waitFor({ timeout: 5_000 });
    expect(Date.now() - killedAt).toBeLessThan(5_000);
    // The 5 s promise is the proctor console's (above); a second browser on a loaded CI machine may take longer.
    await detailLive.getByText('Connection to the server lost').waitFor({ timeout: 15_000 });
    await screenshot(detail, 'live-1b-session-detail-lost-en');
    // While the server cannot be reached, nobody can know that a seat is online.
    await tile.getByText('状态未知').waitFor({ timeout: 2_000 });
    await expect(tile.getByText('在线').count()).resolves.toBe(0);
    await screenshot(proc, 'live-1-server-lost');

    // An answer given while the server is down waits on the card, visibly, until the server acknowledges it.
    await cand.getByTestId('next').click();
    await cand.getByText('第 2 题').waitFor();
    await cand.getByTestId('option-1').click();
    const cell2 = cand.locator('.answer-card .cells [data-position="2"]');
    await expect(cell2.getAttribute('class')).resolves.toContain('pending');
    await expect(cell2.getAttribute('aria-label')).resolves.toContain('待保存');
    await screenshot(cand, 'live-0-candidate-answer-pending');

    await new Promise((r) => setTimeout(r, OUTAGE_MS - (Date.now() - killedAt)));
    server = await spawnServer({ dataDir, port, script: SCRIPT });
    const downMs = Date.now() - killedAt; // starting the process again is part of the outage

    await live.getByText('服务器已恢复').waitFor({ timeout: 20_000 });
    await live.getByText(/已为考生补回 \d+ 秒/).waitFor({ timeout: 5_000 });
    const back = (await live.textContent()) ?? '';
    const given = /已为考生补回 (\d+) 秒/.exec(back);
    expect(given, back).not.toBeNull();
    // Given back: from the last heartbeat (≤ 2 s before the kill) to the restart.
    expect(Number(given![1])).toBeGreaterThanOrEqual(OUTAGE_MS / 1000 - 1);
    expect(Number(given![1])).toBeLessThanOrEqual(Math.ceil(downMs / 1000) + 3);
    // The console's own event list keeps the outage after the banner is gone.
    await proc
      .getByTestId('incident-list')
      .getByText(/服务器中断 \d+ 秒，已为考生补回 \d+ 秒/)
      .waitFor();
    await tile.getByText('在线').waitFor({ timeout: 20_000 });
    await screenshot(proc, 'live-2-server-back');
    await detailLive.getByText(/Server back: connection lost for \d+ s/).waitFor({ timeout: 20_000 });

    // The candidate is told why the clock jumped.
    await cand
      .getByTestId('time-given-back')
      .getByText(`因系统故障，已为您补回 ${given![1]} 秒`)
      .waitFor({ timeout: 20_000 });
    await cand.locator('.answer-card .cells [data-position="2"]:not(.pending).answered').waitFor({ timeout: 20_000 });
    await screenshot(cand, 'live-3-candidate-time-given-back');
  }, 90_000);

  it('answer card: all 100 questions are reachable at 1366×768, the card scrolls visibly', async () => {
    await serverUp();
    const cand = await candidateSitting(1);
    const cells = cand.getByTestId('answer-cells');
    await expect(cells.locator('.cell').count()).resolves.toBe(100);
    const box = await cells.evaluate((el) => ({
      overflows: el.scrollHeight > el.clientHeight + 1,
      scrollbar:
        (el as HTMLElement).offsetWidth -
        el.clientWidth -
        parseFloat(getComputedStyle(el).borderLeftWidth) -
        parseFloat(getComputedStyle(el).borderRightWidth),
      bottom: el.getBoundingClientRect().bottom,
    }));
    // Either every cell fits, or the scroll bar is there to see (not an overlay that appears on hover only).
    if (box.overflows) {
      expect(box.scrollbar, 'visible scroll bar width (px)').toBeGreaterThanOrEqual(8);
      await cand.getByTestId('cells-more').getByText('下面还有题目').waitFor();
    }
    expect(box.bottom).toBeLessThanOrEqual(768);
    const submit = await cand.getByTestId('submit').boundingBox();
    expect(submit!.y + submit!.height, '交卷 on screen').toBeLessThanOrEqual(768);
    await cells.locator('[data-position="100"]').click();
    await cand.getByText('第 100 题').waitFor();
    await screenshot(cand, 'live-4-answer-card-question-100');
  });

  it('identity photo: the screen speaks one language at a time (zh-CN, then en)', async () => {
    await serverUp();
    const candidate = demo.candidates[2]!;
    for (const lang of ['zh-CN', 'en'] as const) {
      const page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
      // A camera that never answers keeps the screen on its first step, where all its text is shown.
      await page.addInitScript((l) => {
        localStorage.setItem('exam-center.lang', l);
        Object.defineProperty(navigator, 'mediaDevices', {
          value: { getUserMedia: () => new Promise(() => undefined) },
        });
      }, lang);
      await page.goto(url + '/');
      await page.fill('input[name=admissionNo]', candidate.admissionNo);
      await page.fill('input[name=idNumber]', candidate.idNumber);
      await page.click('button[type=submit]');
      const screen = page.getByTestId('identity-snapshot');
      await screen.waitFor();
      const text = (await screen.innerText()).trim();
      await screenshot(page, `live-5-identity-photo-${lang}`);
      if (lang === 'zh-CN') expect(text, text).not.toMatch(/[A-Za-z]{2,}/);
      else expect(text, text).not.toMatch(/[\u4e00-\u9fff]/);
      await page.close();
    }
  });
});
