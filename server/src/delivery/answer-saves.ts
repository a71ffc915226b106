import type { Db } from '../db/open';
import type { SavedAnswer } from '../audit/answer-events';
import { EventsRepo, sessionChain, type NewEvent } from '../audit/events.repo';
import type { Paper } from '../papers/draw';
import type { PapersService } from '../papers/papers.service';
import type { AnswerSaveAck, AnswerSaveRequest } from '../protocol';
import type { SessionRecord } from '../sessions/sessions.repo';
import { sha256Hex } from '../shared/canonical-json';
import type { Clock } from '../shared/clock';
import { AppError } from '../shared/errors';
import { DeliveryRepo, type AttemptRecord } from './delivery.repo';
import { LateAnswersRepo } from './late-answers.repo';
import type { DeliveryNotifier } from './delivery.service';
import { SaveBatcher } from './save-batcher';

type LateRefusal = {
  registrationId: number;
  position: number;
  seq: number;
  choiceHash: string;
  reason: 'time-up' | 'already-submitted';
  lateAnswerId: number;
};
type QuestionShape = { type: 'judge' | 'single' | 'multi'; optionCount: number };
type SessionPauses = ReturnType<DeliveryRepo['pausesOfSessions']>;

/** What the save path needs from the attempt lifecycle (DeliveryService). */
export type SaveContext = {
  sessionIdOf(registrationId: number): number;
  sessionOf(registrationId: number): SessionRecord;
  clock(
    session: SessionRecord,
    attempt: AttemptRecord,
    now: number,
    pauses: SessionPauses,
  ): { remainingMs: number; frozen: boolean };
};

/**
 * The answer-save path (issue 6): validates each save against the candidate's own paper and clock, writes it
 * idempotently (higher sequence wins), and commits the saves arriving together in one transaction with one
 * chained event per session, acknowledging them only after the commit.
 */
export class AnswerSaves {
  private readonly repo: DeliveryRepo;
  private readonly events: EventsRepo;
  private readonly late: LateAnswersRepo;
  private readonly batcher: SaveBatcher<{ registrationId: number; req: AnswerSaveRequest }, AnswerSaveAck>;
  // Papers never change once drawn, so their shape (for validating saves) is cached per registration.
  private readonly shapes = new Map<number, QuestionShape[]>();

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly papers: PapersService,
    private readonly notifier: DeliveryNotifier,
    private readonly context: SaveContext,
  ) {
    this.repo = new DeliveryRepo(db);
    this.events = new EventsRepo(db);
    this.late = new LateAnswersRepo(db);
    this.batcher = new SaveBatcher((reqs) => this.commitSaves(reqs));
  }

  private shape(registrationId: number): QuestionShape[] {
    let shape = this.shapes.get(registrationId);
    if (!shape) {
      const paper: Paper = this.papers.paperFor(registrationId).paper;
      shape = paper.questions.map((q) => ({ type: q.type, optionCount: q.options.length }));
      this.shapes.set(registrationId, shape);
    }
    return shape;
  }

  /** Resolves only after the save is committed to disk (group commit with other saves). */
  save(registrationId: number, req: AnswerSaveRequest): Promise<AnswerSaveAck> {
    return this.batcher.submit({ registrationId, req });
  }

  private checkChoice(registrationId: number, req: AnswerSaveRequest): void {
    const q = this.shape(registrationId)[req.position - 1];
    if (!q) throw new AppError('no-such-question', `第 ${req.position} 题不在本试卷中`, 400);
    const unique = new Set(req.choice);
    if (unique.size !== req.choice.length) throw new AppError('invalid-choice', 'repeated option', 400);
    if (req.choice.some((c) => c >= q.optionCount)) throw new AppError('invalid-choice', 'option out of range', 400);
    if (q.type !== 'multi' && req.choice.length > 1)
      throw new AppError('invalid-choice', 'only one option may be chosen for this question', 400);
  }

  /**
   * Keeps a save refused for lateness (issue 13 hole 8): a browser offline at zero replays its queue after
   * the sweep submitted the paper. The save is never graded, but the proctor sees it and the chain holds its
   * hash. A malformed one is refused for that instead (and not kept); a replayed duplicate adds nothing.
   */
  private keepLate(
    sessionId: number,
    registrationId: number,
    req: AnswerSaveRequest,
    reason: LateRefusal['reason'],
    now: number,
    refused: Map<number, LateRefusal[]>,
  ): void {
    this.checkChoice(registrationId, req);
    const choiceHash = sha256Hex(JSON.stringify(req.choice));
    const id = this.late.insert({
      registrationId,
      sessionId,
      position: req.position,
      choice: req.choice,
      seq: req.seq,
      choiceHash,
      reason,
      receivedAt: now,
    });
    if (id === null) return;
    const list = refused.get(sessionId) ?? [];
    list.push({ registrationId, position: req.position, seq: req.seq, choiceHash, reason, lateAnswerId: id });
    refused.set(sessionId, list);
  }

  private commitSaves(reqs: { registrationId: number; req: AnswerSaveRequest }[]): (AnswerSaveAck | Error)[] {
    const now = this.clock.now();
    const saved = new Map<number, SavedAnswer[]>(); // per session: the saves this batch applied
    const refused = new Map<number, LateRefusal[]>(); // per session: late saves this batch kept as evidence
    const outcomes = this.db.transaction(() => {
      const events: NewEvent[] = [];
      // Read once per session and batch: a batch under load holds hundreds of saves of the same session.
      const sessions = new Map<number, SessionRecord>();
      const pauses = new Map<number, ReturnType<DeliveryRepo['pausesOfSessions']>>();
      const out = reqs.map(({ registrationId, req }): AnswerSaveAck | Error => {
        try {
          const sessionId = this.context.sessionIdOf(registrationId);
          let session = sessions.get(sessionId);
          if (!session) sessions.set(sessionId, (session = this.context.sessionOf(registrationId)));
          let sessionPauses = pauses.get(sessionId);
          if (!sessionPauses) pauses.set(sessionId, (sessionPauses = this.repo.pausesOfSessions([sessionId])));
          const attempt = this.repo.attempt(registrationId);
          if (!attempt) throw new AppError('exam-not-started', 'exam not started', 409);
          if (attempt.submittedAt) {
            this.keepLate(session.id, registrationId, req, 'already-submitted', now, refused);
            throw new AppError('already-submitted', '试卷已提交，不能再修改答案', 409);
          }
          const clock = this.context.clock(session, attempt, now, sessionPauses);
          if (clock.frozen && clock.remainingMs > 0)
            throw new AppError('session-paused', '考试已暂停，答案保留在本机，恢复后自动保存', 409);
          if (clock.remainingMs <= 0) {
            this.keepLate(session.id, registrationId, req, 'time-up', now, refused);
            throw new AppError('time-up', '考试时间已到，答案未被接受', 409);
          }
          this.checkChoice(registrationId, req);
          const applied = this.repo.saveAnswer(registrationId, req.position, req.choice, req.seq, now);
          if (applied) {
            const list = saved.get(session.id) ?? [];
            list.push({
              registrationId,
              position: req.position,
              seq: req.seq,
              choiceHash: sha256Hex(JSON.stringify(req.choice)),
            });
            saved.set(session.id, list);
          }
          return { position: req.position, seq: req.seq, savedAt: now, applied };
        } catch (err) {
          if (err instanceof AppError) return err;
          throw err;
        }
      });
      // One event per session and batch: under load a batch holds hundreds of saves, and one chained event
      // listing their hashes costs one row instead of hundreds (answer-events.ts reads both forms).
      for (const [sessionId, list] of saved)
        events.push(batchEvent(sessionId, now, list, () => 'answer.saved', 'answers.saved', 'saves'));
      // Late saves the same way: one event per session and batch (a room of browsers replaying their queues
      // after the auto-submit), each refusal with its content hash.
      for (const [sessionId, list] of refused)
        events.push(
          batchEvent(
            sessionId,
            now,
            list,
            (one) => (one.reason === 'time-up' ? 'answer.refused-after-time' : 'answer.refused-after-submit'),
            'answers.refused-late',
            'refusals',
          ),
        );
      this.events.append(...events);
      return out;
    })();
    for (const [sessionId, list] of refused) {
      const registrations = new Set(list.map((a) => a.registrationId));
      this.notifier.candidateChanged(sessionId, registrations.size === 1 ? list[0]!.registrationId : null);
    }
    // Staff screens refetch on a change: one notice per session and batch, naming the candidate if alone.
    for (const [sessionId, list] of saved) {
      const registrations = new Set(list.map((a) => a.registrationId));
      this.notifier.candidateChanged(sessionId, registrations.size === 1 ? list[0]!.registrationId : null);
    }
    return outcomes;
  }
}

/** One chained event per session and batch: the candidate's own when alone, the delivery system's for many. */
function batchEvent<T extends { registrationId: number }>(
  sessionId: number,
  at: number,
  list: T[],
  singleType: (one: T) => string,
  batchType: string,
  field: 'saves' | 'refusals',
) {
  const [one] = list;
  return list.length === 1 && one
    ? {
        chain: sessionChain(sessionId),
        at,
        actor: `candidate:${one.registrationId}`,
        type: singleType(one),
        payload: one,
      }
    : { chain: sessionChain(sessionId), at, actor: 'system:delivery', type: batchType, payload: { [field]: list } };
}
