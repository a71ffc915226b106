import type { Browser, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { scorePaper } from '../../server/src/grading/score';
import { browserSuite, screenshot } from '../support/browser-suite';
import type { TestServer } from '../support/test-server';

let server: TestServer;
let browser: Browser;

browserSuite({ prepare: true }, (s, b) => {
  server = s;
  browser = b;
});

/** "59:58" or "1:00:00" → seconds. */
const seconds = (clock: string | null) =>
  (clock ?? '')
    .split(':')
    .map(Number)
    .reduce((total, part) => total * 60 + part, 0);

/** Every JSON body and socket frame the candidate's browser receives, for the leak check. */
function recordPayloads(page: Page): string[] {
  const received: string[] = [];
  page.on('response', async (res) => {
    if (res.url().includes('/api/')) received.push(await res.text().catch(() => ''));
  });
  page.on('websocket', (ws) => ws.on('framereceived', (f) => received.push(String(f.payload))));
  return received;
}

describe('sitting the demo exam in Chromium', () => {
  it('logs in, answers, survives a reload, submits after confirmation and shows the right score', async () => {
    const candidate = server.demo!.candidates[0]!;
    const others = server.demo!.candidates.slice(1);
    const registrationId = server.db
      .prepare('SELECT id FROM registrations WHERE admission_no = ?')
      .pluck()
      .get(candidate.admissionNo) as number;
    const page = await browser.newPage({ viewport: { width: 1366, height: 900 } });
    const received = recordPayloads(page);

    await page.goto(server.url + '/');
    await screenshot(page, '01-login');
    await page.fill('input[name=admissionNo]', candidate.admissionNo);
    await page.fill('input[name=idNumber]', candidate.idNumber);
    await page.click('button[type=submit]');
    await page.getByText('开始答题').click();
    await page.getByText('第 1 题').waitFor();
    await expect(page.getByTestId('candidate-name').textContent()).resolves.toBe(candidate.name);

    // The key, read on the server side only to decide what to click.
    const { paper } = server.app.services.papers.paperFor(registrationId);
    const total = paper.questions.length;
    const skip = new Set([5, 17]); // left unanswered on purpose
    const wrong = new Set([2, 9, 33, 60, 88]);
    const answerQuestion = async (position: number) => {
      const q = paper.questions[position - 1]!;
      const choice = wrong.has(position) ? [q.answer[0] === 0 ? 1 : 0] : q.answer;
      for (const option of choice) await page.getByTestId(`option-${option}`).click();
      await page.getByTestId('save-state').getByText('已保存').waitFor();
    };
    for (let position = 1; position <= 40; position++) {
      if (!skip.has(position)) await answerQuestion(position);
      await page.getByTestId('next').click();
    }
    await screenshot(page, '02-exam');
    const remainingBefore = await page.getByTestId('remaining').textContent();

    await page.reload();
    await page.getByText('第 41 题').waitFor();
    await page.getByText('第 41 题').waitFor();
    const answeredCells = await page.locator('.answer-card .cells .cell.answered').count();
    expect(answeredCells).toBe(40 - skip.size);
    // The timer went on from where it was (server time), it did not restart at 60 minutes.
    const afterReload = seconds(await page.getByTestId('remaining').textContent());
    expect(afterReload).toBeLessThanOrEqual(seconds(remainingBefore));
    expect(afterReload).toBeGreaterThan(seconds(remainingBefore) - 60);

    for (let position = 41; position <= total; position++) {
      await answerQuestion(position);
      if (position < total) await page.getByTestId('next').click();
    }
    await page.getByTestId('submit').click();
    const dialog = page.getByTestId('submit-dialog');
    await dialog.waitFor();
    await expect(dialog.getByTestId('unanswered').textContent()).resolves.toContain('2 道题未作答：第 5、17 题');
    await screenshot(page, '03-confirm');
    await dialog.getByTestId('confirm-submit').click();
    await page.getByTestId('result').waitFor();
    await screenshot(page, '04-result');

    const stored = new Map(
      server.app.services.delivery.repo.answers(registrationId).map((a) => [a.position, a.choice]),
    );
    expect(stored.size).toBe(total - skip.size);
    const expected = scorePaper(paper, stored, 'all-or-nothing');
    expect(expected.score).toBe(total - skip.size - wrong.size);
    expect(Number(await page.getByTestId('score').textContent())).toBe(expected.score);

    // Nothing the candidate's browser received carries a key or another candidate's data.
    expect(received.length).toBeGreaterThan(total);
    const all = received.join('\n');
    for (const forbidden of ['"answer"', 'optionOrder', 'itemHash', 'knowledgePoint', 'explanation', 'contentHash'])
      expect(all, forbidden).not.toContain(forbidden);
    for (const other of others) {
      expect(all).not.toContain(other.name);
      expect(all).not.toContain(other.admissionNo);
      expect(all).not.toContain(other.idNumber);
    }
    expect(all).not.toContain(candidate.idNumber);
    await page.close();
  }, 90_000); // 100 answers and a reload: ~20 s alone, past 30 s when the suite shares 2 cores with other browsers

  it('shows staff each candidate’s status live', async () => {
    const page = await browser.newPage({ viewport: { width: 1366, height: 800 } });
    await page.goto(server.url + '/staff');
    await page.fill('input[name=username]', 'chief');
    await page.fill('input[name=password]', 'demo-chief-2026');
    await page.click('button[type=submit]');
    await page.locator('table a').first().click();
    const first = server.demo!.candidates[0]!;
    const row = page.getByTestId(`roster-${first.admissionNo}`);
    await row.getByText('已交卷').waitFor();
    await expect(page.getByTestId('roster').locator('tbody tr').count()).resolves.toBe(5);
    await screenshot(page, '05-staff');
    await page.close();
  });

  it('practises on practice-pool questions, then answers with the keyboard alone', async () => {
    const candidate = server.demo!.candidates[2]!;
    const registrationId = server.db
      .prepare('SELECT id FROM registrations WHERE admission_no = ?')
      .pluck()
      .get(candidate.admissionNo) as number;
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(server.url + '/');
    await page.fill('input[name=admissionNo]', candidate.admissionNo);
    await page.fill('input[name=idNumber]', candidate.idNumber);
    await page.keyboard.press('Enter');
    await page.getByText('模拟练习（熟悉操作）').click();
    await page.getByText('这是模拟练习').waitFor();
    const practiceStem = await page.locator('.stem').textContent();
    const stemsOf = (pool: string) =>
      server.db
        .prepare(
          `SELECT i.stem FROM bank_version_items m JOIN bank_items i ON i.content_hash = m.item_hash
           JOIN bank_versions v ON v.id = m.version_id WHERE v.category = 'N1' AND v.pool = ?`,
        )
        .pluck()
        .all(pool) as string[];
    expect(stemsOf('practice')).toContain(practiceStem);
    expect(stemsOf('exam')).not.toContain(practiceStem);
    await page.keyboard.press('1');
    await page.getByText('查看对错').click();
    await page.locator('.practice-check .verdict').waitFor();
    await screenshot(page, '06-practice');
    await page.getByText('返回考试').click();

    await page.getByText('开始答题').focus();
    await page.keyboard.press('Enter');
    await page.getByText('第 1 题').waitFor();
    await page.keyboard.press('2');
    await page.getByTestId('save-state').getByText('已保存').waitFor();
    await page.keyboard.press('ArrowRight');
    await page.getByText('第 2 题').waitFor();
    await page.keyboard.press('m');
    await page.keyboard.press('B');
    await page.getByTestId('save-state').getByText('已保存').waitFor();
    expect(await page.locator('.cells .cell.flagged').count()).toBe(1);
    const stored = server.app.services.delivery.repo.answers(registrationId).map((a) => [a.position, a.choice]);
    expect(stored).toEqual([
      [1, [1]],
      [2, [1]],
    ]);
    await page.close();
  });

  it('shows the server’s time on a PC whose clock is hours wrong', async () => {
    const candidate = server.demo!.candidates[4]!;
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    // This PC's clock runs 3 h 17 min ahead; the countdown must not care.
    await page.addInitScript(() => {
      const skew = (3 * 60 + 17) * 60_000;
      const RealDate = Date;
      class SkewedDate extends RealDate {
        constructor(...args: unknown[]) {
          if (args.length === 0) super(RealDate.now() + skew);
          else super(...(args as [string | number]));
        }
        static override now() {
          return RealDate.now() + skew;
        }
      }
      window.Date = SkewedDate as DateConstructor;
    });
    await page.goto(server.url + '/');
    expect(await page.evaluate(() => Date.now() - performance.timeOrigin - performance.now())).toBeGreaterThan(
      3 * 3600_000,
    );
    await page.fill('input[name=admissionNo]', candidate.admissionNo);
    await page.fill('input[name=idNumber]', candidate.idNumber);
    await page.keyboard.press('Enter');
    await page.getByText('开始答题').click();
    await page.getByText('第 1 题').waitFor();
    await page.getByTestId('option-0').click();
    await page.getByTestId('save-state').getByText('已保存').waitFor();
    const shown = await page.getByTestId('remaining').textContent();
    expect(shown).toMatch(/^(1:00:00|59:[0-5]\d)$/);
    await page.close();
  });
});
