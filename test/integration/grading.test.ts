import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExamSnapshot, GradeSessionReport, ScoreSheet } from '../../server/src/protocol';
import { recomputeResult } from '../../server/src/grading/score';
import { ManualClock } from '../../server/src/shared/clock';
import { connectSocket, expectOk, type CandidateSocket } from '../support/candidate-socket';
import { prepareDemoSession } from '../support/demo-session';
import {
  candidateToken,
  http,
  staffToken,
  startTestServer,
  type TestServer,
  offDutyChiefToken,
} from '../support/test-server';

let server: TestServer;
const clock = new ManualClock(Date.now());
const sockets: CandidateSocket[] = [];
const tokens: Record<string, string> = {};

beforeAll(async () => {
  server = await startTestServer({ clock });
  await prepareDemoSession(server);
  for (const s of server.demo!.staff) tokens[s.username] = await staffToken(server.url, s.username, s.password);
});
afterAll(async () => {
  sockets.forEach((s) => s.close());
  await server.stop();
});

/** Sits the demo exam: candidate i answers the first `right` questions correctly, the next ten wrongly. */
async function sit(i: number, right: number): Promise<number> {
  const c = server.demo!.candidates[i]!;
  const socket = await connectSocket(server.url, await candidateToken(server.url, c.admissionNo, c.idNumber));
  sockets.push(socket);
  const snap = expectOk(await socket.call<ExamSnapshot>('exam:start'));
  const registrationId = server.db
    .prepare('SELECT id FROM registrations WHERE admission_no = ?')
    .pluck()
    .get(c.admissionNo) as number;
  const { paper } = server.app.services.papers.paperFor(registrationId);
  let seq = 0;
  for (const q of paper.questions.slice(0, right + 10)) {
    const n = snap.questions.find((x) => x.position === q.position)!.options.length;
    // a wrong answer: an option off the key, or for a 多选 keyed on every option, an incomplete choice
    const off = [...Array(n).keys()].find((k) => !q.answer.includes(k));
    const wrong = off === undefined ? [q.answer[0]!] : [off];
    const choice = q.position <= right ? q.answer : wrong;
    expectOk(await socket.call('answer:save', { position: q.position, choice, seq: ++seq }));
  }
  expectOk(await socket.call('exam:submit', { confirm: true }));
  return registrationId;
}

describe('grading, results and reports over the real app', () => {
  const registrations: number[] = [];
  let sessionId: number;

  it('grades a closed session; officials may not, and every grade equals a re-computation from archive data', async () => {
    sessionId = server.demo!.sessionId;
    registrations.push(await sit(0, 90), await sit(1, 60), await sit(2, 75));
    // candidates 3 and 4 never sit: absent
    server.app.services.controls.closeSession(sessionId, '考试结束', 'staff:3');
    const denied = await http(server.url, `/api/sessions/${sessionId}/grade`, {
      method: 'POST',
      token: tokens.official,
    });
    expect(denied.status).toBe(403);
    const res = await http<GradeSessionReport>(server.url, `/api/sessions/${sessionId}/grade`, {
      method: 'POST',
      token: tokens.chief,
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ state: 'graded', mismatches: [], errors: [], verified: 3 });

    const blueprint = server.db
      .prepare('SELECT b.body FROM sessions s JOIN blueprints b ON b.id = s.blueprint_id WHERE s.id = ?')
      .pluck()
      .get(sessionId) as string;
    const { multiScoring, passMark } = JSON.parse(blueprint) as {
      multiScoring: 'all-or-nothing' | 'partial';
      passMark: number;
    };
    const graded = server.db
      .prepare(
        'SELECT cr.registration_id FROM current_results cr JOIN registrations g ON g.id = cr.registration_id WHERE g.session_id = ?',
      )
      .pluck()
      .all(sessionId) as number[];
    expect(graded.sort()).toEqual([...registrations].sort());
    for (const id of graded) {
      const { paper, hash } = server.app.services.papers.paperFor(id);
      const answers = (
        server.db.prepare('SELECT position, choice FROM answers WHERE registration_id = ?').all(id) as {
          position: number;
          choice: string;
        }[]
      ).map((a) => ({ position: a.position, choice: JSON.parse(a.choice) as number[] }));
      const stored = server.app.services.grading.results.current(id)!;
      expect(recomputeResult(paper, answers, multiScoring, passMark)).toMatchObject({
        score: stored.score,
        passed: stored.passed,
        correctCount: stored.correctCount,
        answersHash: stored.answersHash,
      });
      expect(stored.paperHash).toBe(hash);
    }
    // and so does every other result the demo holds (e.g. its archived past session), each under its own blueprint
    const all = server.db.prepare('SELECT registration_id FROM results').pluck().all() as number[];
    expect(all.length).toBeGreaterThanOrEqual(graded.length);
    for (const id of all) {
      const bp = JSON.parse(
        server.db
          .prepare(
            'SELECT b.body FROM registrations g JOIN sessions s ON s.id = g.session_id JOIN blueprints b ON b.id = s.blueprint_id WHERE g.id = ?',
          )
          .pluck()
          .get(id) as string,
      ) as { multiScoring: 'all-or-nothing' | 'partial'; passMark: number };
      const answers = (
        server.db.prepare('SELECT position, choice FROM answers WHERE registration_id = ?').all(id) as {
          position: number;
          choice: string;
        }[]
      ).map((a) => ({ position: a.position, choice: JSON.parse(a.choice) as number[] }));
      const stored = server.app.services.grading.results.current(id)!;
      const { paper, hash } = server.app.services.papers.paperFor(id);
      expect(recomputeResult(paper, answers, bp.multiScoring, bp.passMark), `registration ${id}`).toMatchObject({
        score: stored.score,
        passed: stored.passed,
        answersHash: stored.answersHash,
      });
      expect(stored.paperHash).toBe(hash);
    }
    expect(server.app.services.grading.results.current(registrations[0]!)).toMatchObject({ score: 90, passed: true });
    expect(server.app.services.grading.results.current(registrations[1]!)).toMatchObject({ score: 60, passed: false });
  });

  it('serves the score sheet to proctors and officials, as JSON, CSV and Excel', async () => {
    const sheet = await http<ScoreSheet>(server.url, `/api/sessions/${sessionId}/score-sheet`, {
      token: tokens.proctor1,
    });
    expect(sheet.status).toBe(200);
    expect(sheet.body.summary).toMatchObject({ registered: 5, sat: 3, passed: 2, absent: 2 });
    const csv = await fetch(`${server.url}/api/sessions/${sessionId}/score-sheet?format=csv`, {
      headers: { authorization: `Bearer ${tokens.official}` },
    });
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toMatch(/text\/csv/);
    const text = await csv.text();
    expect(text).toContain('缺考');
    expect(text.split('\r\n').filter(Boolean)).toHaveLength(6);
    const xlsx = await fetch(`${server.url}/api/sessions/${sessionId}/score-sheet?format=xlsx`, {
      headers: { authorization: `Bearer ${tokens.chief}` },
    });
    expect(
      Buffer.from(await xlsx.arrayBuffer())
        .subarray(0, 2)
        .toString(),
    ).toBe('PK');
  });

  it('lets officials export results by date range but not correct, release or change settings', async () => {
    const today = new Date(clock.now() + 8 * 3600_000).toISOString().slice(0, 10);
    const exp = await http<{ rows: unknown[][] }>(server.url, `/api/reports/results?from=${today}&to=${today}`, {
      token: tokens.official,
    });
    expect(exp.status).toBe(200);
    expect(exp.body.rows).toHaveLength(5);
    for (const [path, body] of [
      [`/api/results/${registrations[0]}/correction`, { kind: 'cancel', reason: '违纪取消成绩' }],
      [`/api/sessions/${sessionId}/release`, {}],
    ] as const)
      expect((await http(server.url, path, { body, token: tokens.official })).status).toBe(403);
    expect(
      (await http(server.url, '/api/grading/settings', { method: 'PUT', body: {}, token: tokens.official })).status,
    ).toBe(403);
    expect(
      (await http(server.url, `/api/analysis/items?category=N1&from=${today}&to=${today}`, { token: tokens.official }))
        .status,
    ).toBe(403);
  });

  it('insider: only this session’s chief examiner grades, releases and corrects its results', async () => {
    // A chief examiner by role, on duty in no session here, and the admin: neither may change these results.
    const otherChief = await offDutyChiefToken(server, 'chief9', '钱亮');
    for (const token of [otherChief, tokens.admin!]) {
      const writes: [string, unknown][] = [
        [`/api/results/${registrations[0]}/correction`, { kind: 'cancel', reason: '无关主考取消成绩' }],
        [`/api/sessions/${sessionId}/grade`, {}],
        [`/api/sessions/${sessionId}/release`, {}],
      ];
      for (const [path, body] of writes) {
        const res = await http<{ error: { code: string } }>(server.url, path, { body, token });
        expect([path, res.status, res.body.error?.code]).toEqual([path, 403, 'not-assigned']);
      }
    }
    expect(server.app.services.grading.results.corrections(registrations[0]!)).toEqual([]);
  });

  it('records a correction with its reason and shows it on the result slip', async () => {
    const short = await http(server.url, `/api/results/${registrations[2]}/correction`, {
      body: { kind: 'cancel', reason: '' },
      token: tokens.chief,
    });
    expect(short.status).toBe(400);
    const ok = await http<{ score: number }>(server.url, `/api/results/${registrations[2]}/correction`, {
      body: { kind: 'cancel', reason: '考场内发现手机，取消成绩' },
      token: tokens.chief,
    });
    expect(ok.status).toBe(200);
    expect(ok.body.score).toBe(0);
    const slip = await http<{ status: string; corrections: { reason: string }[] }>(
      server.url,
      `/api/results/${registrations[2]}/slip`,
      { token: tokens.proctor1 },
    );
    expect(slip.body).toMatchObject({ status: 'cancelled', corrections: [{ reason: '考场内发现手机，取消成绩' }] });
    const release = await http(server.url, `/api/sessions/${sessionId}/release`, {
      method: 'POST',
      token: tokens.chief,
    });
    expect(release.status).toBe(200);
  });

  it('gives bank keepers item statistics for the items answered', async () => {
    const today = new Date(clock.now() + 8 * 3600_000).toISOString().slice(0, 10);
    const res = await http<{ candidates: number; items: { n: number; difficulty: number }[] }>(
      server.url,
      `/api/analysis/items?category=N1&from=${today}&to=${today}`,
      { token: tokens.bank },
    );
    expect(res.status).toBe(200);
    expect(res.body.candidates).toBe(2); // the cancelled result is left out
    expect(res.body.items.length).toBeGreaterThan(0);
  });

  it('refuses registering a failed candidate for a same-day re-exam, naming the rule, and allows it the next day', async () => {
    const demo = server.app.services.sessions.get(sessionId);
    const repo = server.app.services.sessions.repo;
    const failed = server.db
      .prepare('SELECT candidate_id FROM registrations WHERE id = ?')
      .pluck()
      .get(registrations[1]) as number;
    const newSession = (start: number, code: string) =>
      repo.insertSession(
        {
          code,
          name: '补考',
          category: demo.category,
          blueprintId: demo.blueprintId,
          bankVersionId: demo.bankVersionId,
          roomId: demo.roomId,
          scheduledStart: start,
          durationMinutes: 60,
          state: 'draft',
          settings: demo.settings,
        },
        clock.now(),
      );
    const sameDay = newSession(demo.scheduledStart, 'RE-SAME-DAY');
    const refused = await http<{ error: { code: string; details: { violations: { rule: string }[] } } }>(
      server.url,
      `/api/sessions/${sameDay}/registrations`,
      {
        body: { candidateId: failed },
        token: tokens.admin,
      },
    );
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('reexam-not-eligible');
    expect(refused.body.error.details.violations.map((v) => v.rule)).toEqual(['not-same-day']);
    const nextWeek = newSession(demo.scheduledStart + 7 * 24 * 3600_000, 'RE-NEXT-WEEK');
    const ok = await http(server.url, `/api/sessions/${nextWeek}/registrations`, {
      body: { candidateId: failed },
      token: tokens.admin,
    });
    expect(ok.status).toBe(201);
    // the re-exam is used: a third attempt in the cycle is refused
    const later = newSession(demo.scheduledStart + 14 * 24 * 3600_000, 'RE-LATER');
    const third = await http<{ error: { code: string; details: { violations: { rule: string }[] } } }>(
      server.url,
      `/api/sessions/${later}/registrations`,
      {
        body: { candidateId: failed },
        token: tokens.admin,
      },
    );
    expect(third.body.error.details.violations.map((v) => v.rule)).toContain('result-pending');
  });
});
