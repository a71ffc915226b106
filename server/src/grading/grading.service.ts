import type { Db } from '../db/open';
import { EventsRepo, sessionChain } from '../audit/events.repo';
import { BlueprintsRepo } from '../bank/blueprints.repo';
import type { Blueprint } from '../bank/blueprint';
import type { Paper } from '../papers/draw';
import { SessionsRepo, type SessionRecord } from '../sessions/sessions.repo';
import { SessionsService } from '../sessions/sessions.service';
import type { Clock } from '../shared/clock';
import { AppError, notFound } from '../shared/errors';
import { gradingSettingsSchema, type GradingSettings } from './grading-settings';
import { ResultsRepo, type CurrentResult, type GradedResponse, type ResultRecord } from './results.repo';
import { gradeAttempt, type AnswerRow, type QuestionScore, type RecomputedResult } from './score';

/** The one way grading reads a paper with its key (PapersService.paperFor: sealed papers once opened). */
export type PaperSource = { paperFor(registrationId: number): { paper: Paper; hash: string } };

export type Mismatch = {
  registrationId: number;
  stored: Pick<CurrentResult, 'score' | 'passed' | 'correctCount' | 'paperHash' | 'answersHash'>;
  recomputed: Pick<RecomputedResult, 'score' | 'passed' | 'correctCount' | 'answersHash'> & { paperHash: string };
  released: boolean;
};

export type GradeSessionReport = {
  sessionId: number;
  graded: number[]; // newly graded now
  verified: number; // stored results that equal the re-computation
  corrected: number[]; // not yet released: re-graded with a system correction
  mismatches: Mismatch[]; // released results that differ: refused until a correction with a reason is recorded
  cancelled: number[]; // results cancelled by a decision (score 0), not re-graded
  errors: { registrationId: number; code: string; message: string }[];
  state: SessionRecord['state'];
};

export type CorrectionInput = { kind: 'regrade' | 'cancel'; reason: string };

export class GradingService {
  readonly results: ResultsRepo;
  private readonly sessions: SessionsRepo;
  private readonly transitions: SessionsService;
  private readonly blueprints: BlueprintsRepo;
  private readonly events: EventsRepo;

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly papers: PaperSource,
  ) {
    this.results = new ResultsRepo(db);
    this.sessions = new SessionsRepo(db);
    this.transitions = new SessionsService(db, clock);
    this.blueprints = new BlueprintsRepo(db);
    this.events = new EventsRepo(db);
  }

  /** Grades a submitted attempt from its own paper's key; call inside the submitting transaction. */
  gradeRegistration(
    registrationId: number,
    actor: string,
    context?: { session: SessionRecord; blueprint: Blueprint },
  ): ResultRecord {
    const existing = this.results.get(registrationId);
    if (existing) return existing;
    const { session, blueprint } = context ?? this.contextOf(registrationId);
    const { computed, paperHash, responses } = this.compute(registrationId, blueprint);
    const result: ResultRecord = {
      registrationId,
      score: computed.score,
      maxScore: computed.maxScore,
      passed: computed.passed,
      correctCount: computed.correctCount,
      paperHash,
      answersHash: computed.answersHash,
      graderVersion: computed.graderVersion,
      gradedAt: this.clock.now(),
    };
    this.results.insert(result);
    this.results.replaceResponses(registrationId, responses);
    this.events.append({
      chain: sessionChain(session.id),
      at: result.gradedAt,
      actor,
      type: 'result.recorded',
      payload: {
        registrationId,
        score: result.score,
        passed: result.passed,
        paperHash,
        answersHash: result.answersHash,
        graderVersion: result.graderVersion,
      },
    });
    return result;
  }

  /**
   * Grades every submitted attempt not graded yet, re-computes every stored result and compares, then moves a
   * closed session to graded. A difference in a result nobody has seen is re-graded with a system correction; a
   * difference in a released result is refused (reported) until a chief examiner records a correction with its
   * reason, and the session stays closed until then.
   */
  gradeSession(sessionId: number, actor: string): GradeSessionReport {
    return this.db.transaction(() => {
      const session = this.sessions.get(sessionId);
      if (!session) throw notFound('session', { sessionId });
      if (session.state !== 'closed' && session.state !== 'graded')
        throw new AppError(
          'session-not-closed',
          '考试结束（关闭场次）后才能评分 / close the session before grading',
          409,
          {
            state: session.state,
          },
        );
      const blueprint = this.blueprintOf(session);
      const released = this.isReleased(session);
      const report: GradeSessionReport = {
        sessionId,
        graded: [],
        verified: 0,
        corrected: [],
        mismatches: [],
        cancelled: [],
        errors: [],
        state: session.state,
      };
      for (const { registrationId, graded } of this.results.submittedRegistrations(sessionId)) {
        try {
          if (!graded) {
            this.gradeRegistration(registrationId, actor, { session, blueprint });
            report.graded.push(registrationId);
            continue;
          }
          const stored = this.results.current(registrationId);
          if (!stored) continue;
          if (stored.correctionKind === 'cancel') {
            report.cancelled.push(registrationId);
            continue;
          }
          const { computed, paperHash, responses } = this.compute(registrationId, blueprint);
          const same =
            stored.score === computed.score &&
            stored.passed === computed.passed &&
            stored.correctCount === computed.correctCount &&
            stored.answersHash === computed.answersHash &&
            stored.paperHash === paperHash;
          if (same) {
            report.verified++;
            continue;
          }
          if (!released) {
            this.recordCorrection(
              stored,
              computed,
              paperHash,
              responses,
              'regrade',
              '发布前重新评分结果不同 / regrade before release differed',
              actor,
            );
            report.corrected.push(registrationId);
            continue;
          }
          report.mismatches.push({
            registrationId,
            stored: {
              score: stored.score,
              passed: stored.passed,
              correctCount: stored.correctCount,
              paperHash: stored.paperHash,
              answersHash: stored.answersHash,
            },
            recomputed: {
              score: computed.score,
              passed: computed.passed,
              correctCount: computed.correctCount,
              answersHash: computed.answersHash,
              paperHash,
            },
            released,
          });
        } catch (err) {
          if (!(err instanceof AppError)) throw err;
          report.errors.push({ registrationId, code: err.code, message: err.message });
        }
      }
      const now = this.clock.now();
      const clean = report.mismatches.length === 0 && report.errors.length === 0;
      this.events.append({
        chain: sessionChain(sessionId),
        at: now,
        actor,
        type: 'grading.run',
        payload: {
          graded: report.graded.length,
          verified: report.verified,
          corrected: report.corrected,
          mismatches: report.mismatches.map((m) => m.registrationId),
          errors: report.errors.map((e) => ({ registrationId: e.registrationId, code: e.code })),
        },
      });
      if (session.state === 'closed' && clean) {
        // the one transition function (guards, event, signed chain head), inside this transaction (a savepoint)
        this.transitions.transition(sessionId, 'graded', actor);
        report.state = 'graded';
      }
      return report;
    })();
  }

  /** Releases a graded session's results to candidates (for sessions that do not show the score at submission). */
  release(sessionId: number, actor: string): { releasedAt: number } {
    return this.db.transaction(() => {
      const session = this.sessions.get(sessionId);
      if (!session) throw notFound('session', { sessionId });
      if (session.state !== 'graded' && session.state !== 'archived')
        throw new AppError('session-not-graded', '评分完成后才能发布成绩 / grade the session first', 409, {
          state: session.state,
        });
      if (this.results.released(sessionId))
        throw new AppError('already-released', '成绩已发布 / results already released', 409);
      const now = this.clock.now();
      this.results.insertRelease(sessionId, now, actor);
      this.events.append({
        chain: sessionChain(sessionId),
        at: now,
        actor,
        type: 'results.released',
        payload: { sessionId },
      });
      return { releasedAt: now };
    })();
  }

  /**
   * Records a correction with its reason (append-only; the original result stays). 'regrade' re-computes from the
   * paper and the stored answers and is refused when nothing would change; 'cancel' sets the score to 0 (removal
   * with the score cancelled, domain.md exam-room practice).
   */
  correct(registrationId: number, input: CorrectionInput, actor: string): CurrentResult {
    return this.db.transaction(() => {
      const stored = this.results.current(registrationId);
      if (!stored) throw notFound('result', { registrationId });
      const { blueprint } = this.contextOf(registrationId);
      if (input.kind === 'cancel') {
        if (stored.correctionKind === 'cancel')
          throw new AppError('already-cancelled', '成绩已取消 / result already cancelled', 409);
        const cancelled: RecomputedResult = {
          score: 0,
          maxScore: stored.maxScore,
          passed: false,
          correctCount: stored.correctCount,
          answersHash: stored.answersHash,
          graderVersion: stored.graderVersion,
        };
        this.recordCorrection(stored, cancelled, stored.paperHash, null, 'cancel', input.reason, actor);
      } else {
        const { computed, paperHash, responses } = this.compute(registrationId, blueprint);
        const same =
          stored.correctionKind !== 'cancel' &&
          stored.score === computed.score &&
          stored.passed === computed.passed &&
          stored.correctCount === computed.correctCount &&
          stored.answersHash === computed.answersHash &&
          stored.paperHash === paperHash;
        if (same)
          throw new AppError('no-change', '重新评分结果与现有成绩相同 / a regrade would not change the result', 409);
        this.recordCorrection(stored, computed, paperHash, responses, 'regrade', input.reason, actor);
      }
      const now = this.results.current(registrationId);
      if (!now) throw notFound('result', { registrationId });
      return now;
    })();
  }

  /** What a candidate may see: the result in force, when the session shows it at submission or has released it. */
  candidateResult(registrationId: number): (CurrentResult & { passMark: number }) | null {
    const r = this.results.current(registrationId);
    if (!r) return null;
    const { session, blueprint } = this.contextOf(registrationId);
    return this.isReleased(session) ? { ...r, passMark: blueprint.passMark } : null;
  }

  isReleased(session: SessionRecord): boolean {
    return session.settings.showScoreOnSubmit || this.results.released(session.id) !== undefined;
  }

  passMarkFor(sessionId: number): number {
    const session = this.sessions.get(sessionId);
    const blueprint = session && this.blueprints.get(session.blueprintId);
    return blueprint?.body.passMark ?? 70;
  }

  settings(): GradingSettings {
    const body = this.results.settings();
    return gradingSettingsSchema.parse(body ? JSON.parse(body) : {});
  }

  updateSettings(settings: GradingSettings, actor: string): GradingSettings {
    const parsed = gradingSettingsSchema.parse(settings);
    return this.db.transaction(() => {
      const now = this.clock.now();
      this.results.saveSettings(JSON.stringify(parsed), actor, now);
      this.events.append({
        chain: 'institution',
        at: now,
        actor,
        type: 'grading.settings-updated',
        payload: { settings: parsed },
      });
      return parsed;
    })();
  }

  private recordCorrection(
    stored: CurrentResult,
    next: RecomputedResult,
    paperHash: string,
    responses: GradedResponse[] | null,
    kind: 'regrade' | 'cancel',
    reason: string,
    actor: string,
  ): void {
    if (reason.trim().length < 4)
      throw new AppError('reason-required', '更正须说明理由 / a correction needs a reason', 400);
    const now = this.clock.now();
    const id = this.results.insertCorrection({
      registrationId: stored.registrationId,
      kind,
      oldScore: stored.score,
      oldPassed: stored.passed,
      newScore: next.score,
      newMaxScore: next.maxScore,
      newPassed: next.passed,
      newCorrectCount: next.correctCount,
      paperHash,
      answersHash: next.answersHash,
      graderVersion: next.graderVersion,
      reason: reason.trim(),
      correctedBy: actor,
      correctedAt: now,
    });
    if (responses) this.results.replaceResponses(stored.registrationId, responses);
    const sessionId = this.sessions.registration(stored.registrationId)?.sessionId;
    if (sessionId === undefined) throw notFound('registration', { registrationId: stored.registrationId });
    this.events.append({
      chain: sessionChain(sessionId),
      at: now,
      actor,
      type: 'result.corrected',
      payload: {
        correctionId: id,
        registrationId: stored.registrationId,
        kind,
        old: { score: stored.score, passed: stored.passed },
        new: { score: next.score, passed: next.passed },
        paperHash,
        answersHash: next.answersHash,
        graderVersion: next.graderVersion,
        reason: reason.trim(),
      },
    });
  }

  private compute(registrationId: number, blueprint: Blueprint) {
    const { paper, hash: paperHash } = this.papers.paperFor(registrationId);
    const answers: AnswerRow[] = this.results.finalAnswers(registrationId);
    const { result, questions } = gradeAttempt(paper, answers, blueprint.multiScoring, blueprint.passMark);
    return { computed: result, paperHash, responses: responsesOf(paper, answers, questions) };
  }

  private contextOf(registrationId: number): { session: SessionRecord; blueprint: Blueprint } {
    const registration = this.sessions.registration(registrationId);
    if (!registration) throw notFound('registration', { registrationId });
    const session = this.sessions.get(registration.sessionId);
    if (!session) throw notFound('session');
    return { session, blueprint: this.blueprintOf(session) };
  }

  private blueprintOf(session: SessionRecord): Blueprint {
    const blueprint = this.blueprints.get(session.blueprintId);
    if (!blueprint) throw notFound('blueprint');
    return blueprint.body;
  }
}

/** Per-question rows for item analysis, with chosen options mapped back to the bank item's own order. */
function responsesOf(paper: Paper, answers: AnswerRow[], scored: QuestionScore[]): GradedResponse[] {
  const byPosition = new Map(answers.map((a) => [a.position, a.choice]));
  return paper.questions.map((q, i) => {
    const s = scored[i];
    return {
      position: q.position,
      itemHash: q.itemHash,
      type: q.type,
      optionCount: q.options.length,
      chosen: (byPosition.get(q.position) ?? []).map((shown) => q.optionOrder[shown] ?? -1).sort((a, b) => a - b),
      correct: s?.correct ?? false,
      points: s?.points ?? 0,
      maxPoints: q.points,
    };
  });
}
