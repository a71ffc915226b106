import type { RequestHandler, Response } from 'express';
import type { Db } from '../db/open';
import type { Principal } from '../auth/tokens';
import { idParam } from '../http/middleware';
import type { IntegrityService } from '../integrity/integrity.service';
import { AssignmentsRepo } from '../people/assignments.repo';
import { AppError, forbidden, notFound, unauthorized } from '../shared/errors';
import { SessionsRepo } from './sessions.repo';

/** States in which a session is still being planned (roster and seats may change). */
const PLANNING_STATES: readonly string[] = ['draft', 'scheduled'];

/** 'chief': the chief examiner (主考) of the session; 'any': its chief examiner or one of its proctors. */
export type DutyLevel = 'any' | 'chief';

type Staff = Extract<Principal, { kind: 'staff' }>;

/**
 * The one guard for every session-scoped staff action (issue 13, hole 10). Roles say what kind of work a
 * person does; only an active assignment to *this* session (session_staff) lets them do it here — a proctor
 * of one room cannot extend time, move seats or pass identity checks in another, nor in a session the
 * recusal rule kept them out of. Each action also re-runs the staff integrity rules (回避, 考培分离, bans,
 * qualification, declaration) for the actor against the candidate acted on — or, for a session-wide action,
 * against every candidate — because records change after assignment. A refusal is recorded as an
 * integrity run, so officials see it.
 *
 * The admin is not on duty in the room and has no live exam power. The admin keeps only what the role
 * needs: planning (rooms, sessions, seats, registrations, staff assignment), sealing and archiving, and
 * enrolling the room's PCs as workstations (facility work done before exam day, in any room).
 */
export class SessionDuty {
  private readonly assignments: AssignmentsRepo;
  private readonly sessions: SessionsRepo;

  constructor(
    db: Db,
    private readonly integrity: IntegrityService,
  ) {
    this.assignments = new AssignmentsRepo(db);
    this.sessions = new SessionsRepo(db);
  }

  /** Throws unless `staff` is on duty in the session and passes the staff rules for those acted on. */
  require(staff: Staff, sessionId: number, level: DutyLevel, registrationId?: number): void {
    const session = this.integrity.repo.session(sessionId);
    if (!session) throw notFound('session', { sessionId });
    const assignment = this.assignments.get(sessionId, staff.staffId);
    if (!assignment || (level === 'chief' && assignment.duty !== 'chief_examiner'))
      throw new AppError(
        'not-assigned',
        level === 'chief'
          ? '只有本场次的主考可以执行此操作 / only the chief examiner of this session may do this'
          : '您未被安排在本场次 / you are not assigned to this session',
        403,
        { sessionId },
      );
    let candidates = this.integrity.repo.registeredCandidates(sessionId);
    if (registrationId !== undefined) {
      const candidateId = this.sessions.registration(registrationId)?.candidateId;
      candidates = candidates.filter((c) => c.id === candidateId);
    }
    const plan = this.integrity.plan(session, {
      staff: [{ staffId: staff.staffId, duty: assignment.duty }],
      candidates,
      withBank: false,
    });
    // Evaluated without a record when it passes (every click would otherwise log a run); recorded on refusal.
    if (this.integrity.preview(sessionId, 'assign', plan).blocking.length === 0) return;
    const run = this.integrity.check(sessionId, 'assign', plan, `staff:${staff.staffId}`, 'session action (refused)');
    throw this.integrity.refusal(run);
  }

  /**
   * Reading a session's live record — seats, candidates' identity, evidence, incidents, video list, the live
   * watch — is for its own staff on duty, the admin (archives, facilities) and officials (现场监督抽查, any
   * session); a chief examiner plans sessions, so reads one still being planned (draft, scheduled). A proctor
   * of another room, or one the 回避 rule kept out of this session, reads none of it (issue 13: the
   * candidate's brother must not watch his sibling's seat or learn their login).
   */
  requireReader(staff: Staff, sessionId: number): void {
    const session = this.integrity.repo.session(sessionId);
    if (!session) throw notFound('session', { sessionId });
    if (staff.roles.includes('official') || staff.roles.includes('admin')) return;
    if (staff.roles.includes('chief_examiner') && PLANNING_STATES.includes(session.state)) return;
    this.require(staff, sessionId, 'any');
  }

  /** Route guard for reads: the session is the URL's `:id` (or `param`). */
  readsSession(param = 'id'): RequestHandler {
    return (req, res, next) => {
      this.requireReader(staffPrincipal(res), idParam(req, param));
      next();
    };
  }

  /** Route guard for reads: the registration is the URL's `param`; the session is theirs. */
  readsRegistration(param = 'id'): RequestHandler {
    return (req, res, next) => {
      this.requireReader(staffPrincipal(res), this.sessionOfRegistration(idParam(req, param)));
      next();
    };
  }

  /** For read handlers that learn the session from a record (not the URL). */
  checkReader(res: Response, sessionId: number): void {
    this.requireReader(staffPrincipal(res), sessionId);
  }

  /** The session a registration belongs to. */
  sessionOfRegistration(registrationId: number): number {
    const r = this.sessions.registration(registrationId);
    if (!r) throw notFound('registration', { registrationId });
    return r.sessionId;
  }

  /** For handlers that learn the session or candidate from the body or a record (not the URL). */
  check(res: Response, sessionId: number, level: DutyLevel, registrationId?: number): void {
    this.require(staffPrincipal(res), sessionId, level, registrationId);
  }

  /** Route guard: the session is the URL's `:id` (or `param`). */
  onSession(level: DutyLevel, param = 'id'): RequestHandler {
    return (req, res, next) => {
      this.require(staffPrincipal(res), idParam(req, param), level);
      next();
    };
  }

  /** Route guard: the candidate acted on is the URL's registration id; the session is theirs. */
  onRegistration(level: DutyLevel, param = 'id'): RequestHandler {
    return (req, res, next) => {
      const registrationId = idParam(req, param);
      this.require(staffPrincipal(res), this.sessionOfRegistration(registrationId), level, registrationId);
      next();
    };
  }

  /**
   * Route guard for a room: the admin (setting up the room's PCs), or staff assigned to a session in that room
   * that is not finished yet.
   */
  onRoom(param = 'id'): RequestHandler {
    return (req, res, next) => {
      const staff = staffPrincipal(res);
      if (staff.roles.includes('admin')) return next();
      const roomId = idParam(req, param);
      const sessionIds = this.assignments.liveSessionsInRoom(staff.staffId, roomId);
      if (sessionIds.length === 0)
        throw new AppError(
          'not-assigned',
          '您未被安排在该考场的场次 / you are not assigned to a session in this room',
          403,
          {
            roomId,
          },
        );
      // The staff rules must hold in at least one of those sessions (bans hold everywhere).
      let refusal: unknown = null;
      for (const id of sessionIds) {
        try {
          this.require(staff, id, 'any');
          return next();
        } catch (err) {
          refusal = err;
        }
      }
      throw refusal;
    };
  }
}

function staffPrincipal(res: Response): Staff {
  const p = res.locals.principal as Principal | undefined;
  if (!p) throw unauthorized();
  if (p.kind !== 'staff') throw forbidden('staff only');
  return p;
}
