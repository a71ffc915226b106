import type { Db } from '../db/open';
import { EventsRepo, sessionChain } from '../audit/events.repo';
import { BankRepo } from '../bank/bank.repo';
import { GradingService } from '../grading/grading.service';
import { PapersService, toCandidateQuestions } from '../papers/papers.service';
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
import type { Clock } from '../shared/clock';
import { AppError, notFound } from '../shared/errors';
import { DeliveryRepo, type AttemptRecord } from './delivery.repo';
import { isFrozen, remainingMs } from './exam-clock';
import { timeGivenBackMs } from './outage';
import { AnswerSaves } from './answer-saves';

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

export class DeliveryService {
  readonly repo: DeliveryRepo;
  private readonly sessions: SessionsRepo;
  private readonly events: EventsRepo;
  private readonly bank: BankRepo;
  private readonly saves: AnswerSaves;
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
    this.saves = new AnswerSaves(db, clock_, papers, notifier, {
      sessionIdOf: (id) => this.sessionIdOf(id),
      sessionOf: (id) => this.sessionOf(id),
      clock: (session, attempt, now, pauses) => this.clock(session, attempt, now, pauses),
    });
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
        timeGivenBackMs: 0,
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
      timeGivenBackMs: this.givenBack(session.id, attempt, now),
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

  /** Resolves only after the save is committed to disk (group commit with other saves). */
  saveAnswer(registrationId: number, req: AnswerSaveRequest): Promise<AnswerSaveAck> {
    return this.saves.save(registrationId, req);
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
        timeGivenBackMs: attempt ? this.givenBack(session.id, attempt, now) : 0,
      };
    const clock = this.clock(session, attempt, now);
    return {
      serverNow: now,
      remainingMs: clock.remainingMs,
      status,
      paused: clock.frozen,
      timeGivenBackMs: this.givenBack(session.id, attempt, now),
    };
  }

  private givenBack(sessionId: number, attempt: AttemptRecord, now: number): number {
    return timeGivenBackMs(this.repo.pausesFor(sessionId, attempt.registrationId), attempt.startedAt, now);
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
