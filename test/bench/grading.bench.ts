import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { AnalysisService } from '../../server/src/grading/analysis.service';
import { gradingFixture } from '../../server/src/grading/grading-fixture';
import { GradingService } from '../../server/src/grading/grading.service';
import { ManualClock } from '../../server/src/shared/clock';
import type { Figure } from './figure';

/**
 * grade-1000-candidates-ms: gradeSession over a closed 1,000-registration session (papers drawn with papers/draw.ts
 * from the shipped N1 bank, ~100 answers each, in a temporary on-disk database): grading, hashes, the per-question
 * rows, the events and the transition, in one transaction. Target < 1 s.
 * item-stats-100k-responses-ms: the bank keeper's item analysis over the resulting 100,000 graded responses
 * (SQL read + statistics + pass rates + histogram). Target < 2 s.
 */
export async function run(): Promise<Figure[]> {
  const dir = mkdtempSync(join(tmpdir(), 'exam-center-bench-'));
  try {
    const clock = new ManualClock(Date.parse('2026-11-25T09:00:00+08:00'));
    const f = gradingFixture(clock, join(dir, 'bench.db'));
    const { sessionId } = f.addSession({
      candidates: 1000,
      seed: 'bench',
      orgs: ['甲培训学校', '乙培训中心', '丙安全培训'],
    });
    const grading = new GradingService(f.db, clock, f.source);
    const t0 = performance.now();
    const report = grading.gradeSession(sessionId, 'bench');
    const gradeMs = performance.now() - t0;
    if (report.graded.length !== 1000 || report.state !== 'graded') throw new Error('bench: grading did not complete');
    // the re-run that verifies every stored result against a fresh re-computation
    const t2 = performance.now();
    const again = grading.gradeSession(sessionId, 'bench');
    const verifyMs = performance.now() - t2;
    if (again.verified !== 1000) throw new Error('bench: verification did not match');

    const analysis = new AnalysisService(f.db, grading);
    const t1 = performance.now();
    const result = analysis.itemAnalysis('N1', '2026-11-25', '2026-11-25');
    const statsMs = performance.now() - t1;
    if (result.responses !== 100_000) throw new Error(`bench: expected 100,000 responses, got ${result.responses}`);
    f.db.close();
    return [
      {
        name: 'grade-1000-candidates-ms',
        value: Math.round(gradeMs),
        unit: 'ms',
        target: 1000,
        extra: { regradeVerifyMs: Math.round(verifyMs) },
      },
      {
        name: 'item-stats-100k-responses-ms',
        value: Math.round(statsMs),
        unit: 'ms',
        target: 2000,
        extra: { items: result.items.length },
      },
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
