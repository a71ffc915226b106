import type { Db } from '../db/open';
import { EventsRepo, sessionChain } from '../audit/events.repo';
import type { SessionsService } from '../sessions/sessions.service';
import type { Clock } from '../shared/clock';
import { AppError } from '../shared/errors';
import { DeliveryRepo } from './delivery.repo';
import type { DeliveryNotifier, DeliveryService } from './delivery.service';

/**
 * What proctors and the chief examiner do to a running exam (应急预案, domain.md): pause and resume the
 * whole session (power or network failure), pause, extend or move one candidate (failed PC → spare seat),
 * collect a paper, close the session. Every decision is recorded with its reason.
 */
export class ExamControls {
  private readonly repo: DeliveryRepo;
  private readonly events: EventsRepo;

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly sessions: SessionsService,
    private readonly delivery: DeliveryService,
    private readonly notifier: DeliveryNotifier,
  ) {
    this.repo = new DeliveryRepo(db);
    this.events = new EventsRepo(db);
  }

  private log(sessionId: number, actor: string, type: string, payload: Record<string, unknown>): void {
    this.events.append({ chain: sessionChain(sessionId), at: this.clock.now(), actor, type, payload });
  }

  pauseSession(sessionId: number, reason: string, actor: string): void {
    this.db.transaction(() => {
      this.sessions.transition(sessionId, 'paused', actor, reason);
      this.repo.openPause({
        sessionId,
        registrationId: null,
        kind: 'session',
        at: this.clock.now(),
        reason,
        by: actor,
      });
    })();
    this.notifier.timeChanged(sessionId, null);
  }

  resumeSession(sessionId: number, reason: string, actor: string): void {
    this.db.transaction(() => {
      this.sessions.transition(sessionId, 'running', actor, reason);
      this.repo.closePauses(sessionId, null, this.clock.now(), actor);
    })();
    this.notifier.timeChanged(sessionId, null);
  }

  private openAttempt(registrationId: number) {
    const registration = this.sessions.repo.registration(registrationId);
    if (!registration) throw new AppError('not-found', 'registration not found', 404);
    const attempt = this.repo.attempt(registrationId);
    if (!attempt) throw new AppError('exam-not-started', '该考生尚未开始答题', 409);
    if (attempt.submittedAt) throw new AppError('already-submitted', '该考生已交卷', 409);
    return { registration, attempt };
  }

  pauseCandidate(registrationId: number, reason: string, actor: string): void {
    const { registration } = this.openAttempt(registrationId);
    const sessionId = registration.sessionId;
    this.db.transaction(() => {
      const open = this.repo
        .pausesFor(sessionId, registrationId)
        .some((p) => p.registrationId !== null && p.endedAt === null);
      if (open) throw new AppError('already-paused', '该考生已处于暂停状态', 409);
      this.repo.openPause({ sessionId, registrationId, kind: 'candidate', at: this.clock.now(), reason, by: actor });
      this.log(sessionId, actor, 'candidate.paused', { registrationId, reason });
    })();
    this.notifier.timeChanged(sessionId, registrationId);
  }

  resumeCandidate(registrationId: number, reason: string, actor: string): void {
    const { registration } = this.openAttempt(registrationId);
    const sessionId = registration.sessionId;
    this.db.transaction(() => {
      const ended = this.repo.closePauses(sessionId, registrationId, this.clock.now(), actor);
      if (ended === 0) throw new AppError('not-paused', '该考生未处于暂停状态', 409);
      this.log(sessionId, actor, 'candidate.resumed', { registrationId, reason });
    })();
    this.notifier.timeChanged(sessionId, registrationId);
  }

  extend(registrationId: number, minutes: number, reason: string, actor: string): void {
    const { registration } = this.openAttempt(registrationId);
    this.db.transaction(() => {
      this.repo.addExtension(registrationId, minutes * 60_000);
      this.log(registration.sessionId, actor, 'candidate.extended', { registrationId, minutes, reason });
    })();
    this.notifier.timeChanged(registration.sessionId, registrationId);
  }

  /**
   * Moves a candidate to a free seat (machine failure): answers and remaining time go with them, since both
   * live on the server. The clock stands still from the move until the candidate is back at the new seat.
   */
  seatMove(registrationId: number, toSeat: number, reason: string, actor: string): void {
    const registration = this.sessions.repo.registration(registrationId);
    if (!registration) throw new AppError('not-found', 'registration not found', 404);
    const session = this.sessions.get(registration.sessionId);
    const room = this.db.prepare('SELECT seat_count FROM rooms WHERE id = ?').get(session.roomId) as {
      seat_count: number;
    };
    if (toSeat < 1 || toSeat > room.seat_count) throw new AppError('no-such-seat', `座位号 ${toSeat} 不存在`, 400);
    if (toSeat === registration.seatNo) throw new AppError('same-seat', '新座位与原座位相同', 400);
    const taken = this.db
      .prepare('SELECT 1 FROM registrations WHERE session_id = ? AND seat_no = ?')
      .get(session.id, toSeat);
    if (taken) throw new AppError('seat-taken', `${toSeat} 号座位已有考生`, 409);
    const attempt = this.repo.attempt(registrationId);
    const now = this.clock.now();
    this.db.transaction(() => {
      this.db.prepare('UPDATE registrations SET seat_no = ? WHERE id = ?').run(toSeat, registrationId);
      this.db
        .prepare(
          'INSERT INTO seat_moves (registration_id, from_seat, to_seat, reason, approved_by, at) VALUES (?, ?, ?, ?, ?, ?)',
        )
        .run(registrationId, registration.seatNo, toSeat, reason, actor, now);
      if (attempt && !attempt.submittedAt)
        this.repo.openPause({ sessionId: session.id, registrationId, kind: 'seat-move', at: now, reason, by: actor });
      this.log(session.id, actor, 'candidate.seat-moved', {
        registrationId,
        fromSeat: registration.seatNo,
        toSeat,
        reason,
      });
    })();
    this.notifier.seatMoved(registrationId);
    this.notifier.candidateChanged(session.id, registrationId);
  }

  /** Called when the candidate is back (joined from the new seat): the seat-move pause ends. */
  endSeatMovePause(sessionId: number, registrationId: number): void {
    const ended = this.db.transaction(() => {
      const n = this.repo.closePauses(sessionId, registrationId, this.clock.now(), `candidate:${registrationId}`, [
        'seat-move',
      ]);
      if (n > 0)
        this.log(sessionId, `candidate:${registrationId}`, 'candidate.resumed', {
          registrationId,
          reason: 'seat-move done',
        });
      return n;
    })();
    if (ended > 0) this.notifier.timeChanged(sessionId, registrationId);
  }

  collect(registrationId: number, reason: string, actor: string): void {
    const { registration } = this.openAttempt(registrationId);
    this.log(registration.sessionId, actor, 'candidate.collected', { registrationId, reason });
    this.delivery.submit(registrationId, 'proctor', actor);
  }

  /** Ends the exam: every paper still open is submitted (time-up if its time is over), then closed. */
  closeSession(sessionId: number, reason: string, actor: string): void {
    const session = this.sessions.get(sessionId);
    if (session.state !== 'running' && session.state !== 'paused')
      throw new AppError('illegal-transition', `a session cannot go from ${session.state} to closed`, 409);
    for (const a of this.repo.openAttempts().filter((x) => x.sessionId === sessionId)) {
      const attempt = this.repo.attempt(a.registrationId)!;
      const left = this.delivery.clock(session, attempt).remainingMs;
      this.delivery.submit(a.registrationId, left <= 0 ? 'time-up' : 'proctor', actor);
    }
    this.db.transaction(() => {
      if (session.state === 'paused') this.repo.closePauses(sessionId, null, this.clock.now(), actor);
      this.sessions.transition(sessionId, 'closed', actor, reason);
    })();
    this.notifier.timeChanged(sessionId, null);
  }
}
