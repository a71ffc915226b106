import type { Db } from '../db/open';
import { EventsRepo, sessionChain } from '../audit/events.repo';
import type { SessionsService } from '../sessions/sessions.service';
import type { Clock } from '../shared/clock';
import { AppError } from '../shared/errors';
import type { ExtendResponse, PendingExtension } from '../protocol';
import { DeliveryRepo } from './delivery.repo';
import type { DeliveryNotifier, DeliveryService } from './delivery.service';
import { ExtensionsRepo } from './extensions.repo';

// 考场调座 happens on the exam day: from admission (open) until the end (paused is running, stopped a while).
const SEAT_MOVE_STATES = ['open', 'running', 'paused'];

/**
 * What proctors and the chief examiner do to a running exam (应急预案, domain.md): pause and resume the
 * whole session (power or network failure), pause, extend or move one candidate (failed PC → spare seat),
 * collect a paper, close the session. Every decision is recorded with its reason.
 */
export class ExamControls {
  private readonly repo: DeliveryRepo;
  private readonly extensions: ExtensionsRepo;
  private readonly events: EventsRepo;

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly sessions: SessionsService,
    private readonly delivery: DeliveryService,
    private readonly notifier: DeliveryNotifier,
  ) {
    this.repo = new DeliveryRepo(db);
    this.extensions = new ExtensionsRepo(db);
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

  /**
   * Extra time for one candidate. Up to the session's per-candidate cap (extensionCapMinutes, in total) one
   * assigned person decides; past it the request waits until a second assigned person confirms it
   * (confirmExtension), so no single member of staff can keep adding time for a favoured candidate.
   */
  extend(registrationId: number, minutes: number, reason: string, actor: string): ExtendResponse {
    const { registration, attempt } = this.openAttempt(registrationId);
    const session = this.sessions.get(registration.sessionId);
    const capMs = session.settings.extensionCapMinutes * 60_000;
    if (attempt.extensionMs + minutes * 60_000 > capMs) {
      const pending = this.db.transaction((): PendingExtension => {
        const request = {
          sessionId: session.id,
          registrationId,
          minutes,
          reason,
          requestedBy: actor,
          requestedAt: this.clock.now(),
        };
        const id = this.extensions.insert(request);
        this.log(session.id, actor, 'candidate.extension-requested', {
          extensionId: id,
          registrationId,
          minutes,
          reason,
          alreadyExtendedMinutes: attempt.extensionMs / 60_000,
          capMinutes: session.settings.extensionCapMinutes,
        });
        return { ...request, id, confirmedBy: null, confirmedAt: null };
      })();
      this.notifier.candidateChanged(session.id, registrationId);
      return { ok: true, applied: false, pending };
    }
    this.db.transaction(() => {
      this.repo.addExtension(registrationId, minutes * 60_000);
      this.log(registration.sessionId, actor, 'candidate.extended', { registrationId, minutes, reason });
    })();
    this.notifier.timeChanged(registration.sessionId, registrationId);
    return { ok: true, applied: true };
  }

  pendingExtension(id: number): PendingExtension {
    const p = this.extensions.get(id);
    if (!p) throw new AppError('not-found', 'extension request not found', 404);
    return p;
  }

  pendingExtensions(sessionId: number): PendingExtension[] {
    return this.extensions.ofSession(sessionId);
  }

  /** The second person's confirmation of an extension past the cap; never the person who asked for it. */
  confirmExtension(id: number, actor: string): PendingExtension {
    const request = this.pendingExtension(id);
    if (request.confirmedBy) throw new AppError('extension-not-pending', '该延时申请已确认', 409);
    if (request.requestedBy === actor)
      throw new AppError(
        'second-person-required',
        '超过延时上限的延时须由另一名本场次考务人员确认 / a second assigned person must confirm',
        409,
      );
    this.openAttempt(request.registrationId);
    this.db.transaction(() => {
      if (!this.extensions.confirm(id, actor, this.clock.now()))
        throw new AppError('extension-not-pending', '该延时申请已确认', 409);
      this.repo.addExtension(request.registrationId, request.minutes * 60_000);
      this.log(request.sessionId, actor, 'candidate.extended', {
        registrationId: request.registrationId,
        minutes: request.minutes,
        reason: request.reason,
        extensionId: id,
        requestedBy: request.requestedBy,
      });
    })();
    this.notifier.timeChanged(request.sessionId, request.registrationId);
    return this.pendingExtension(id);
  }

  /**
   * Moves a candidate to a free seat (machine failure): answers and remaining time go with them, since both
   * live on the server. The clock stands still from the move until the candidate is back at the new seat.
   */
  seatMove(registrationId: number, toSeat: number, reason: string, actor: string): void {
    const registration = this.sessions.repo.registration(registrationId);
    if (!registration) throw new AppError('not-found', 'registration not found', 404);
    const session = this.sessions.get(registration.sessionId);
    // Before opening the seat plan is the sealed one (papers are drawn per seat); after closing it is a record.
    if (!SEAT_MOVE_STATES.includes(session.state))
      throw new AppError('session-not-live', `场次状态为 ${session.state}：只有开考当天（入场或考试中）可以调座`, 409);
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
