import type { Db } from '../db/open';
import type { SavedAnswer } from '../audit/answer-events';
import { EventsRepo, sessionChain, type NewEvent } from '../audit/events.repo';
import { BankRepo } from '../bank/bank.repo';
import { GradingService } from '../grading/grading.service';
import { PapersService, toCandidateQuestions } from '../papers/papers.service';
import type { Paper } from '../papers/draw';
import { maskIdNumber } from '../people/id-number';
import type {
  AnswerSaveAck,
  AnswerSaveRequest,
  CandidateProfile,
  ExamResultView,
  ExamSnapshot,
  ExamStatus,
  ExamSubmitAck,
  TimeSync,
} from '../protocol';
import { SessionsRepo, type RegistrationRecord, type SessionRecord } from '../sessions/sessions.repo';
import { sha256Hex } from '../shared/canonical-json';
import type { Clock } from '../shared/clock';
import { AppError, notFound } from '../shared/errors';
import { DeliveryRepo, type AttemptRecord } from './delivery.repo';
import { isFrozen, remainingMs } from './exam-clock';
import { SaveBatcher } from './save-batcher';

export type SubmitReason = 'candidate' | 'time-up' | 'proctor';

/** What the delivery layer tells the outside world (sockets) after a change; no socket code in here. */
export interface DeliveryNotifier {
  /** A candidate's status changed (registrationId), or several at once (null). */
  candidateChanged(sessionId: number, registrationId: number | null): void;
  submitted(registrationId: number, info: { reason: SubmitReason; result: ExamResultView | null }): void;
  /** One candidate's clock (registrationId) or every clock of the session (null) changed. */
  timeChanged(sessionId: number, registrationId: number | null): void;
  seatMoved(registrationId: number): void;
}

type QuestionShape = { type: 'judge' | 'single' | 'multi'; optionCount: number };

export class DeliveryService {
  readonly repo: DeliveryRepo;
  private readonly sessions: SessionsRepo;
  private readonly events: EventsRepo;
  private readonly bank: BankRepo;
  private readonly batcher: SaveBatcher<{ registrationId: number; req: AnswerSaveRequest }, AnswerSaveAck>;
  // Papers never change once drawn, so their shape (for validating saves) is cached per registration.
  private readonly shapes = new Map<number, QuestionShape[]>();
  private readonly sessionIds = new Map<number, number>();

  constructor(
    private readonly db: Db,
    private readonly clock_: Clock,
    private readonly papers: PapersService,
    private readonly grading: GradingService,
    private readonly notifier: DeliveryNotifier,
    /** A reason the candidate may not start yet (e.g. a failed identity check), or null. */
    private readonly startGate: (registrationId: number) => string | null = () => null,
  ) {
    this.repo = new DeliveryRepo(db);
    this.sessions = new SessionsRepo(db);
    this.events = new EventsRepo(db);
    this.bank = new BankRepo(db);
    this.batcher = new SaveBatcher((reqs) => this.commitSaves(reqs));
  }

  /** The session of a registration, for the save path: a registration never changes session. */
  private sessionIdOf(registrationId: number): number {
    let sessionId = this.sessionIds.get(registrationId);
    if (sessionId === undefined) {
      sessionId = this.context(registrationId).session.id;
      this.sessionIds.set(registrationId, sessionId);
    }
    return sessionId;
  }

  private sessionOf(registrationId: number): SessionRecord {
    const session = this.sessions.get(this.sessionIdOf(registrationId));
    if (!session) throw notFound('session');
    return session;
  }

  private context(registrationId: number): { registration: RegistrationRecord; session: SessionRecord } {
    const registration = this.sessions.registration(registrationId);
    if (!registration) throw notFound('registration');
    const session = this.sessions.get(registration.sessionId);
    if (!session) throw notFound('session');
    return { registration, session };
  }

  /** The server's clock for one attempt; frozen while the session or the candidate is paused. */
  clock(
    session: SessionRecord,
    attempt: AttemptRecord,
    now = this.clock_.now(),
    sessionPauses?: { registrationId: number | null; startedAt: number; endedAt: number | null }[],
  ): { remainingMs: number; frozen: boolean; candidatePaused: boolean } {
    const pauses = sessionPauses
      ? sessionPauses.filter((p) => p.registrationId === null || p.registrationId === attempt.registrationId)
      : this.repo.pausesFor(session.id, attempt.registrationId);
    return {
      remainingMs: remainingMs({
        startedAt: attempt.startedAt,
        durationMs: session.durationMinutes * 60_000,
        extensionMs: attempt.extensionMs,
        pauses,
        now,
      }),
      frozen: isFrozen(pauses, now),
      candidatePaused: isFrozen(
        pauses.filter((p) => p.registrationId !== null),
        now,
      ),
    };
  }

  private status(attempt: AttemptRecord | undefined): ExamStatus {
    if (!attempt) return 'not-started';
    return attempt.submittedAt ? 'submitted' : 'in-progress';
  }

  recordLogin(registrationId: number, ip: string): void {
    const { registration } = this.context(registrationId);
    this.db.transaction(() => {
      this.sessions.markLoggedIn(registrationId, this.clock_.now());
      this.events.append({
        chain: sessionChain(registration.sessionId),
        at: this.clock_.now(),
        actor: `candidate:${registrationId}`,
        type: 'candidate.logged-in',
        payload: { registrationId, seatNo: registration.seatNo, ip },
      });
    })();
    this.notifier.candidateChanged(registration.sessionId, registrationId);
  }

  profile(registrationId: number): CandidateProfile {
    const { registration, session } = this.context(registrationId);
    return {
      registrationId,
      name: registration.name,
      admissionNo: registration.admissionNo,
      idNumberMasked: maskIdNumber(registration.idNumber),
      seatNo: registration.seatNo,
      photo: registration.photo,
      session: {
        id: session.id,
        code: session.code,
        name: session.name,
        category: session.category,
        categoryName: this.bank.categoryName(session.category) ?? session.category,
        state: session.state,
      },
    };
  }

  snapshot(registrationId: number): ExamSnapshot {
    const { session } = this.context(registrationId);
    const attempt = this.repo.attempt(registrationId);
    const now = this.clock_.now();
    const status = this.status(attempt);
    const durationMs = session.durationMinutes * 60_000;
    const base = {
      status,
      serverNow: now,
      durationMs,
      warnBeforeEndMs: session.settings.warnBeforeEndMinutes * 60_000,
      resultHidden: !session.settings.showScoreOnSubmit,
    };
    if (!attempt) {
      return {
        ...base,
        remainingMs: durationMs,
        paused: session.state === 'paused',
        canSubmitAfterMs: 0,
        questions: [],
        answers: {},
        lastSeq: 0,
        result: null,
      };
    }
    const clock = attempt.submittedAt ? null : this.clock(session, attempt, now);
    const answers: ExamSnapshot['answers'] = {};
    for (const a of this.repo.answers(registrationId)) answers[a.position] = { choice: a.choice, seq: a.seq };
    return {
      ...base,
      remainingMs: clock ? clock.remainingMs : 0,
      paused: clock?.frozen ?? false,
      canSubmitAfterMs: Math.max(0, attempt.startedAt + session.settings.minSubmitMinutes * 60_000 - now),
      questions: toCandidateQuestions(this.papers.paperFor(registrationId).paper),
      answers,
      lastSeq: this.repo.lastSeq(registrationId),
      result: attempt.submittedAt ? this.resultView(registrationId, session) : null,
    };
  }

  private resultView(registrationId: number, _session: SessionRecord): ExamResultView | null {
    // The result in force (corrections included), when the session shows it at submission or has released it.
    const r = this.grading.candidateResult(registrationId);
    return r ? { score: r.score, maxScore: r.maxScore, passed: r.passed, passMark: r.passMark } : null;
  }

  /** Starts the candidate's clock: only while the session runs and admission is still open. */
  start(registrationId: number): ExamSnapshot {
    const { session } = this.context(registrationId);
    const existing = this.repo.attempt(registrationId);
    if (existing) return this.snapshot(registrationId);
    if (session.state !== 'running')
      throw new AppError('session-not-running', '考试尚未开始或已暂停，请等待监考老师指示', 409, {
        state: session.state,
      });
    const now = this.clock_.now();
    if (now > session.scheduledStart + session.settings.lateAdmissionMinutes * 60_000)
      throw new AppError('admission-closed', '开考已超过规定时间，不得入场（迟到超过规定时间）', 403);
    const blocked = this.startGate(registrationId);
    if (blocked) throw new AppError('identity-not-verified', blocked, 403);
    this.papers.paperFor(registrationId); // refuse to start without a paper
    this.db.transaction(() => {
      this.repo.startAttempt(registrationId, now);
      this.events.append({
        chain: sessionChain(session.id),
        at: now,
        actor: `candidate:${registrationId}`,
        type: 'attempt.started',
        payload: { registrationId },
      });
    })();
    this.notifier.candidateChanged(session.id, registrationId);
    return this.snapshot(registrationId);
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
  saveAnswer(registrationId: number, req: AnswerSaveRequest): Promise<AnswerSaveAck> {
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

  private commitSaves(reqs: { registrationId: number; req: AnswerSaveRequest }[]): (AnswerSaveAck | Error)[] {
    const now = this.clock_.now();
    const saved = new Map<number, SavedAnswer[]>(); // per session: the saves this batch applied
    const outcomes = this.db.transaction(() => {
      const events: NewEvent[] = [];
      // Read once per session and batch: a batch under load holds hundreds of saves of the same session.
      const sessions = new Map<number, SessionRecord>();
      const pauses = new Map<number, ReturnType<DeliveryRepo['pausesOfSessions']>>();
      const out = reqs.map(({ registrationId, req }): AnswerSaveAck | Error => {
        try {
          const sessionId = this.sessionIdOf(registrationId);
          let session = sessions.get(sessionId);
          if (!session) sessions.set(sessionId, (session = this.sessionOf(registrationId)));
          let sessionPauses = pauses.get(sessionId);
          if (!sessionPauses) pauses.set(sessionId, (sessionPauses = this.repo.pausesOfSessions([sessionId])));
          const attempt = this.repo.attempt(registrationId);
          if (!attempt) throw new AppError('exam-not-started', 'exam not started', 409);
          if (attempt.submittedAt) throw new AppError('already-submitted', '试卷已提交，不能再修改答案', 409);
          const clock = this.clock(session, attempt, now, sessionPauses);
          if (clock.frozen && clock.remainingMs > 0)
            throw new AppError('session-paused', '考试已暂停，答案保留在本机，恢复后自动保存', 409);
          if (clock.remainingMs <= 0) {
            events.push({
              chain: sessionChain(session.id),
              at: now,
              actor: `candidate:${registrationId}`,
              type: 'answer.refused-after-time',
              payload: { registrationId, position: req.position, seq: req.seq },
            });
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
        events.push(
          list.length === 1
            ? {
                chain: sessionChain(sessionId),
                at: now,
                actor: `candidate:${list[0]!.registrationId}`,
                type: 'answer.saved',
                payload: list[0]!,
              }
            : {
                chain: sessionChain(sessionId),
                at: now,
                actor: 'system:delivery',
                type: 'answers.saved',
                payload: { saves: list },
              },
        );
      this.events.append(...events);
      return out;
    })();
    // Staff screens refetch on a change: one notice per session and batch, naming the candidate if alone.
    for (const [sessionId, list] of saved) {
      const registrations = new Set(list.map((a) => a.registrationId));
      this.notifier.candidateChanged(sessionId, registrations.size === 1 ? list[0]!.registrationId : null);
    }
    return outcomes;
  }

  submit(registrationId: number, reason: SubmitReason, actor: string): ExamSubmitAck {
    const { session } = this.context(registrationId);
    const attempt = this.repo.attempt(registrationId);
    if (!attempt) throw new AppError('exam-not-started', 'exam not started', 409);
    const now = this.clock_.now();
    if (reason === 'candidate' && !attempt.submittedAt) {
      const allowedAt = attempt.startedAt + session.settings.minSubmitMinutes * 60_000;
      if (now < allowedAt)
        throw new AppError('submit-too-early', `开考 ${session.settings.minSubmitMinutes} 分钟内不得交卷`, 409, {
          allowedAt,
        });
    }
    const submitted = this.db.transaction(() => {
      const first = this.repo.markSubmitted(registrationId, now, reason);
      if (first) {
        this.events.append({
          chain: sessionChain(session.id),
          at: now,
          actor,
          type: 'attempt.submitted',
          payload: { registrationId, reason },
        });
        this.grading.gradeRegistration(registrationId, 'system:grader');
      }
      return first;
    })();
    const result = this.resultView(registrationId, session);
    if (submitted) {
      this.notifier.candidateChanged(session.id, registrationId);
      this.notifier.submitted(registrationId, { reason, result });
    }
    return { submittedAt: this.repo.attempt(registrationId)?.submittedAt ?? now, result };
  }

  recordSignal(registrationId: number, kind: string): void {
    const { session } = this.context(registrationId);
    this.events.append({
      chain: sessionChain(session.id),
      at: this.clock_.now(),
      actor: `candidate:${registrationId}`,
      type: 'proctor.signal',
      payload: { registrationId, kind },
    });
    this.notifier.candidateChanged(session.id, registrationId);
  }

  timeSync(registrationId: number): TimeSync {
    const { session } = this.context(registrationId);
    const attempt = this.repo.attempt(registrationId);
    const now = this.clock_.now();
    const status = this.status(attempt);
    if (!attempt || attempt.submittedAt)
      return {
        serverNow: now,
        remainingMs: attempt ? 0 : session.durationMinutes * 60_000,
        status,
        paused: session.state === 'paused',
      };
    const clock = this.clock(session, attempt, now);
    return { serverNow: now, remainingMs: clock.remainingMs, status, paused: clock.frozen };
  }

  /** Auto-submit at zero (domain.md): run every second by the app. */
  sweep(): number {
    const now = this.clock_.now();
    const open = this.repo.openAttempts(now);
    const pauses = this.repo.pausesOfSessions([...new Set(open.map((a) => a.sessionId))]);
    const due = open.filter(
      (a) =>
        remainingMs({
          ...a,
          pauses: pauses.filter(
            (p) => p.sessionId === a.sessionId && (p.registrationId === null || p.registrationId === a.registrationId),
          ),
          now,
        }) <= 0,
    );
    for (const d of due) this.submit(d.registrationId, 'time-up', 'system:timer');
    return due.length;
  }
}
