import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { DeliveryRepo } from '../../server/src/delivery/delivery.repo';
import { AnalysisService } from '../../server/src/grading/analysis.service';
import { gradingFixture } from '../../server/src/grading/grading-fixture';
import { GradingService } from '../../server/src/grading/grading.service';
import { PapersService } from '../../server/src/papers/papers.service';
import { ManualClock, type Clock } from '../../server/src/shared/clock';
import { createLoadSession } from '../load/load-session';
import { startTestServer } from '../support/test-server';
import type { Figure } from './figure';
import { sized } from './inputs';

const N = sized('BENCH_GRADE_CANDIDATES', 1000, 10);

/**
 * A closed session of n candidates through the real server's services: sealed (papers encrypted under the
 * session key, wrapped), opened by two custodians, started, every candidate started, ~100 answers saved (about
 * three in four right) and submitted — submitting grades that candidate, as the server does — then closed.
 * Timed: the session's grading run (the chief's 评分) from the sealed papers: a fresh PapersService and
 * GradingService on the same database, as app.ts wires them, so every paper is unwrapped, decrypted and parsed
 * inside the measurement (a server restarted after the exam), every result re-computed and checked, the
 * session moved to graded.
 */
async function gradeSealedSession(n: number): Promise<{ ms: number; answers: number; submitMs: number }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'exam-center-bench-'));
  const server = await startTestServer({ dataDir });
  try {
    const { app, db } = server;
    const clock: Clock = { now: () => Date.now() };
    const { sessionId } = createLoadSession(app, db, clock, n);
    const registrations = db
      .prepare('SELECT id FROM registrations WHERE session_id = ? ORDER BY seat_no')
      .pluck()
      .all(sessionId) as number[];
    const repo = new DeliveryRepo(db);
    let answers = 0;
    let submitMs = 0;
    for (const id of registrations) {
      app.services.delivery.recordLogin(id, '127.0.0.1');
      app.services.delivery.start(id);
      const { paper } = app.services.papers.paperFor(id);
      db.transaction(() => {
        let seq = 0;
        for (const q of paper.questions) {
          const choice = (q.position + id) % 4 === 0 ? [q.options.length - 1 - (q.answer[0] ?? 0)] : q.answer;
          repo.saveAnswer(id, q.position, choice, ++seq, clock.now());
          answers++;
        }
      })();
      const s0 = performance.now();
      app.services.delivery.submit(id, 'candidate', `candidate:${id}`); // grades this candidate (delivery.service)
      submitMs += performance.now() - s0;
    }
    app.services.controls.closeSession(sessionId, 'bench', 'system:bench');
    const papers = new PapersService(db, clock, {
      institutionKey: app.keys.institution,
      wrapKey: app.keys.paperWrapKey,
    });
    const grading = new GradingService(db, clock, papers);
    const t0 = performance.now();
    const report = grading.gradeSession(sessionId, 'system:bench');
    const ms = performance.now() - t0;
    if (report.verified !== n || report.state !== 'graded')
      throw new Error(`bench: verified ${report.verified} of ${n} (${report.mismatches.length} mismatches)`);
    return { ms, answers, submitMs };
  } finally {
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/**
 * grade-1000-candidates-ms (issue 17): gradeSession over a closed 1,000-candidate session from its sealed papers
 * (decryption included, see gradeSealedSession), in one transaction. Target < 1 s. Baseline in the same run: the
 * same run of gradeSession (every stored result re-computed and checked) over a 1,000-candidate session whose
 * papers come from an in-memory map (grading-fixture.ts): grading without decryption. extra.firstGradeInMemoryMs:
 * the fixture's first grading (results written), extra.gradeAtSubmitTotalMs: the n submits that graded each
 * candidate during the exam. item-stats-100k-responses-ms: the bank keeper's item analysis over the fixture's
 * 100,000 graded responses (SQL read + statistics + pass rates + histogram). Target < 2 s.
 */
export async function run(): Promise<Figure[]> {
  const sealed = await gradeSealedSession(N);
  const dir = mkdtempSync(join(tmpdir(), 'exam-center-bench-'));
  try {
    const clock = new ManualClock(Date.parse('2026-11-25T09:00:00+08:00'));
    const f = gradingFixture(clock, join(dir, 'bench.db'));
    const { sessionId } = f.addSession({
      candidates: N,
      seed: 'bench',
      orgs: ['甲培训学校', '乙培训中心', '丙安全培训'],
    });
    const grading = new GradingService(f.db, clock, f.source);
    const t0 = performance.now();
    const report = grading.gradeSession(sessionId, 'bench');
    const inMemoryMs = performance.now() - t0;
    if (report.graded.length !== N || report.state !== 'graded') throw new Error('bench: grading did not complete');
    // the re-run that verifies every stored result against a fresh re-computation
    const t2 = performance.now();
    const again = grading.gradeSession(sessionId, 'bench');
    const verifyMs = performance.now() - t2;
    if (again.verified !== N) throw new Error('bench: verification did not match');

    const analysis = new AnalysisService(f.db, grading);
    const t1 = performance.now();
    const result = analysis.itemAnalysis('N1', '2026-11-25', '2026-11-25');
    const statsMs = performance.now() - t1;
    if (result.responses !== N * 100) throw new Error(`bench: expected ${N * 100} responses, got ${result.responses}`);
    f.db.close();
    return [
      {
        name: 'grade-1000-candidates-ms',
        value: Math.round(sealed.ms),
        unit: 'ms',
        baseline: Math.round(verifyMs),
        ratio: Math.round((sealed.ms / verifyMs) * 100) / 100,
        target: 1000,
        extra: {
          candidates: N,
          answers: sealed.answers,
          papersFrom: 'sealed: fresh PapersService (unwrap session key, AES-256-GCM decrypt, parse) as app.ts wires it',
          baselineIs: 'same gradeSession run (re-compute and check every result), papers from an in-memory map',
          firstGradeInMemoryMs: Math.round(inMemoryMs),
          gradeAtSubmitTotalMs: Math.round(sealed.submitMs),
        },
      },
      {
        name: 'item-stats-100k-responses-ms',
        value: Math.round(statsMs),
        unit: 'ms',
        target: 2000,
        extra: { items: result.items.length, responses: result.responses },
      },
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
