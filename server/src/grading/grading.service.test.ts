import { describe, expect, it } from 'vitest';
import { EventsRepo, sessionChain } from '../audit/events.repo';
import { DeliveryRepo } from '../delivery/delivery.repo';
import { ManualClock } from '../shared/clock';
import { gradingFixture } from './grading-fixture';
import { GradingService } from './grading.service';
import { recomputeResult } from './score';

const setup = (settings: { showScoreOnSubmit?: boolean } = {}) => {
  const clock = new ManualClock();
  const f = gradingFixture(clock);
  const { sessionId, registrations } = f.addSession({ candidates: 6, seed: 's1', settings });
  const grading = new GradingService(f.db, clock, f.source);
  return { clock, f, sessionId, registrations, grading, events: new EventsRepo(f.db) };
};

describe('GradingService', () => {
  it('grades every submitted attempt once, records hashes and events, and moves the session to graded', () => {
    const { f, sessionId, registrations, grading, events } = setup();
    const report = grading.gradeSession(sessionId, 'staff:1');
    expect(report.graded).toEqual(registrations);
    expect(report.state).toBe('graded');
    for (const id of registrations) {
      const r = grading.results.current(id)!;
      const answers = new DeliveryRepo(f.db).answers(id).map((a) => ({ position: a.position, choice: a.choice }));
      // the grade equals a re-computation from the paper and the answers alone
      expect(recomputeResult(f.papers.get(id)!.paper, answers, 'all-or-nothing', 70)).toMatchObject({
        score: r.score,
        passed: r.passed,
        correctCount: r.correctCount,
        answersHash: r.answersHash,
      });
      expect(r.paperHash).toBe(f.papers.get(id)!.hash);
      expect(r.maxScore).toBe(100);
    }
    const types = events.list(sessionChain(sessionId)).map((e) => e.type);
    expect(types.filter((t) => t === 'result.recorded')).toHaveLength(6);
    expect(types.slice(-2)).toEqual(['grading.run', 'session.transition']);
  });

  it('is re-runnable: a second run verifies every stored result and changes nothing', () => {
    const { sessionId, grading } = setup();
    grading.gradeSession(sessionId, 'staff:1');
    const again = grading.gradeSession(sessionId, 'staff:1');
    expect(again).toMatchObject({ graded: [], verified: 6, corrected: [], mismatches: [], errors: [] });
  });

  it('refuses to grade a session that is not closed', () => {
    const clock = new ManualClock();
    const f = gradingFixture(clock);
    const { sessionId } = f.addSession({ candidates: 1, seed: 'r', state: 'running' });
    expect(() => new GradingService(f.db, clock, f.source).gradeSession(sessionId, 'staff:1')).toThrow(
      expect.objectContaining({ code: 'session-not-closed' }),
    );
  });

  it('refuses a changed released result until a correction with its reason is recorded', () => {
    const { f, sessionId, registrations, grading } = setup({ showScoreOnSubmit: true });
    grading.gradeSession(sessionId, 'staff:1');
    const id = registrations[0]!;
    // the stored answers change after grading (what a tampered database would look like)
    const paper = f.papers.get(id)!.paper;
    const q = paper.questions[0]!;
    const stored = new DeliveryRepo(f.db).answers(id).find((a) => a.position === q.position);
    const changed = JSON.stringify(stored?.choice) === JSON.stringify(q.answer) ? [] : q.answer;
    // Answers are closed after submission since 0015 (issue 13): only a database-level insider who drops the
    // trigger can do this, and grading must still catch it.
    f.db.exec('DROP TRIGGER answers_no_insert_after_submit');
    f.db
      .prepare(
        'INSERT OR REPLACE INTO answers (registration_id, position, choice, seq, saved_at) VALUES (?, ?, ?, 999, 0)',
      )
      .run(id, q.position, JSON.stringify(changed));
    const report = grading.gradeSession(sessionId, 'staff:1');
    expect(report.mismatches.map((m) => m.registrationId)).toEqual([id]);
    expect(report.mismatches[0]!.released).toBe(true);
    const before = grading.results.current(id)!;
    expect(() => grading.correct(id, { kind: 'regrade', reason: '' }, 'staff:2')).toThrow(
      expect.objectContaining({ code: 'reason-required' }),
    );
    const after = grading.correct(id, { kind: 'regrade', reason: '答案记录核实后重新评分' }, 'staff:2');
    expect(after.correctionKind).toBe('regrade');
    expect(after.answersHash).not.toBe(before.answersHash);
    // the original result stays, unchanged, beside the correction
    expect(grading.results.get(id)).toMatchObject({ score: before.score, answersHash: before.answersHash });
    expect(grading.results.corrections(id)).toHaveLength(1);
    expect(grading.gradeSession(sessionId, 'staff:1').mismatches).toEqual([]);
    expect(() => grading.correct(id, { kind: 'regrade', reason: '再次核实成绩' }, 'staff:2')).toThrow(
      expect.objectContaining({ code: 'no-change' }),
    );
  });

  it('re-grades an unreleased result with a system correction, and the session then grades', () => {
    const { f, sessionId, registrations, grading } = setup({ showScoreOnSubmit: false });
    for (const id of registrations) grading.gradeRegistration(id, 'system:grader');
    const id = registrations[1]!;
    // Answers are append-only since 0009 (issue 13): the difference is made the way only a database-level
    // insider could, with the trigger dropped, to show grading still catches it.
    f.db.exec('DROP TRIGGER answers_no_delete');
    f.db.prepare('DELETE FROM answers WHERE registration_id = ?').run(id);
    const report = grading.gradeSession(sessionId, 'staff:1');
    expect(report.corrected).toEqual([id]);
    expect(report.state).toBe('graded');
    expect(grading.results.current(id)!.score).toBe(0);
  });

  it('cancels a result with a reason, keeps it out of regrading, and never updates or deletes a result row', () => {
    const { f, sessionId, registrations, grading } = setup();
    grading.gradeSession(sessionId, 'staff:1');
    const id = registrations[2]!;
    const r = grading.correct(id, { kind: 'cancel', reason: '考场内发现手机，取消成绩' }, 'staff:2');
    expect(r).toMatchObject({ score: 0, passed: false, correctionKind: 'cancel' });
    expect(grading.gradeSession(sessionId, 'staff:1').cancelled).toEqual([id]);
    expect(() => f.db.prepare('UPDATE results SET score = 100').run()).toThrow(/written once/);
    expect(() => f.db.prepare('DELETE FROM result_corrections').run()).toThrow(/append-only/);
  });

  it('releases graded results once, after which candidates see them', () => {
    const { sessionId, registrations, grading, clock } = setup({ showScoreOnSubmit: false });
    expect(() => grading.release(sessionId, 'staff:1')).toThrow(
      expect.objectContaining({ code: 'session-not-graded' }),
    );
    grading.gradeSession(sessionId, 'staff:1');
    expect(grading.candidateResult(registrations[0]!)).toBeNull();
    clock.advance(1000);
    grading.release(sessionId, 'staff:1');
    expect(grading.candidateResult(registrations[0]!)).toMatchObject({ passMark: 70 });
    expect(() => grading.release(sessionId, 'staff:1')).toThrow(expect.objectContaining({ code: 'already-released' }));
  });

  it('reports an answer to a position not on the paper as an error and leaves the session closed', () => {
    const { f, sessionId, registrations, grading } = setup();
    f.db.exec('DROP TRIGGER answers_no_insert_after_submit'); // a database-level insider, as above
    f.db
      .prepare('INSERT INTO answers (registration_id, position, choice, seq, saved_at) VALUES (?, 999, ?, 5000, 0)')
      .run(registrations[0], '[0]');
    const report = grading.gradeSession(sessionId, 'staff:1');
    expect(report.errors).toEqual([
      expect.objectContaining({ registrationId: registrations[0], code: 'answer-not-on-paper' }),
    ]);
    expect(report.state).toBe('closed');
    expect(report.graded).toHaveLength(5);
  });
});
