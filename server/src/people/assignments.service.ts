import type { Db } from '../db/open';
import { EventsRepo, sessionChain } from '../audit/events.repo';
import type { Duty } from '../integrity/integrity-settings';
import type { IntegrityService, Outcome } from '../integrity/integrity.service';
import type { AssignedStaffView, SessionStaffView } from '../protocol';
import type { Role } from '../protocol';
import { SessionsRepo } from '../sessions/sessions.repo';
import type { Clock } from '../shared/clock';
import { AppError, notFound } from '../shared/errors';
import { AssignmentsRepo } from './assignments.repo';
import { StaffRepo } from './staff.repo';

// Which roles may take which duty: a proctor (监考) or chief examiner (主考) is a 考评人员; bank keepers know
// the exam pool and officials supervise, so neither serves in the room.
const DUTY_ROLES: Record<Duty, Role[]> = {
  chief_examiner: ['chief_examiner'],
  proctor: ['proctor', 'chief_examiner'],
  examiner: ['proctor', 'chief_examiner'],
};
const FINISHED = ['closed', 'graded', 'archived'];
// From admission to the end the room is staffed: 每个考场 2 名监考 holds all the time, not only at opening.
const LIVE = ['open', 'running', 'paused'];

/**
 * Assigning staff to a session (session_staff). The session-planning UI calls this service: every assignment
 * runs the integrity rules for that person against the session's candidates and is refused on a violation.
 */
export class AssignmentsService {
  readonly repo: AssignmentsRepo;
  private readonly sessions: SessionsRepo;
  private readonly staff: StaffRepo;
  private readonly events: EventsRepo;

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly integrity: IntegrityService,
  ) {
    this.repo = new AssignmentsRepo(db);
    this.sessions = new SessionsRepo(db);
    this.staff = new StaffRepo(db);
    this.events = new EventsRepo(db);
  }

  private session(sessionId: number) {
    const s = this.sessions.get(sessionId);
    if (!s) throw notFound('session', { sessionId });
    return s;
  }

  view(sessionId: number): SessionStaffView {
    this.session(sessionId);
    return { sessionId, assigned: this.repo.list(sessionId), eligibility: this.integrity.eligibility(sessionId) };
  }

  /**
   * From admission to the end, a session's staff list is changed only by the admin or by that session's own
   * chief examiner (issue 13): a chief examiner of another session cannot put themselves or a friend in the
   * room, nor take a proctor out of it.
   */
  private assertMayChangeLive(sessionId: number, state: string, actor: string): void {
    if (!LIVE.includes(state)) return;
    const m = /^staff:(\d+)$/.exec(actor);
    if (!m) return; // system actors (demo seed, CLI) act for the institution
    const staffId = Number(m[1]);
    if (this.staff.byId(staffId)?.roles.includes('admin')) return;
    if (this.repo.get(sessionId, staffId)?.duty === 'chief_examiner') return;
    throw new AppError(
      'not-assigned',
      '考试进行中，只有本场次的主考或管理员可以调整人员安排 / only this session’s chief examiner or the admin',
      403,
    );
  }

  assign(sessionId: number, staffId: number, duty: Duty, actor: string): AssignedStaffView {
    const session = this.session(sessionId);
    if (FINISHED.includes(session.state))
      throw new AppError('session-finished', `场次状态为 ${session.state}，不能再安排人员`, 409);
    this.assertMayChangeLive(sessionId, session.state, actor);
    const member = this.staff.byId(staffId);
    if (!member) throw notFound('staff', { staffId });
    if (member.disabled) throw new AppError('staff-disabled', `${member.name} 的账号已停用`, 409);
    if (!member.roles.some((r) => DUTY_ROLES[duty].includes(r)))
      throw new AppError(
        'duty-role-mismatch',
        `${member.name} 的角色（${member.roles.join('、')}）不能担任 ${duty}`,
        409,
      );
    const outcome = this.db.transaction((): Outcome<AssignedStaffView> => {
      if (this.repo.get(sessionId, staffId))
        throw new AppError('already-assigned', `${member.name} 已安排在本场次`, 409);
      const plan = this.integrity.plan(session, { staff: [{ staffId, duty }] });
      const run = this.integrity.check(sessionId, 'assign', plan, actor, `assign ${duty}`);
      if (run.blocking.length) return { ok: false, run };
      const now = this.clock.now();
      this.repo.insert(sessionId, staffId, duty, actor, run.runId ?? 0, now);
      this.events.append({
        chain: sessionChain(sessionId),
        at: now,
        actor,
        type: 'session.staff-assigned',
        payload: { staffId, duty, checkRunId: run.runId },
      });
      return { ok: true, value: this.repo.get(sessionId, staffId) as AssignedStaffView };
    })();
    if (!outcome.ok) throw this.integrity.refusal(outcome.run);
    return outcome.value;
  }

  unassign(sessionId: number, staffId: number, actor: string): void {
    const session = this.session(sessionId);
    if (FINISHED.includes(session.state))
      throw new AppError('session-finished', `场次状态为 ${session.state}，人员安排已成为记录`, 409);
    this.assertMayChangeLive(sessionId, session.state, actor);
    this.db.transaction(() => {
      const before = this.repo.get(sessionId, staffId);
      if (!before) throw notFound('assignment', { sessionId, staffId });
      const minimum = this.integrity.settings().proctorsPerRoom;
      if (LIVE.includes(session.state) && before.duty === 'proctor' && this.repo.proctorCount(sessionId) <= minimum)
        throw new AppError(
          'room-understaffed',
          `考试进行中，每个考场至少需要 ${minimum} 名监考：请先安排接替的监考，再撤下 ${before.name}`,
          409,
          { minimum },
        );
      // The chief examiner closes the session: a live session is never left without one.
      const chiefs = this.repo.list(sessionId).filter((a) => a.duty === 'chief_examiner').length;
      if (LIVE.includes(session.state) && before.duty === 'chief_examiner' && chiefs <= 1)
        throw new AppError('chief-required', `考试进行中须有主考：请先安排接替的主考，再撤下 ${before.name}`, 409);
      this.repo.remove(sessionId, staffId);
      this.events.append({
        chain: sessionChain(sessionId),
        at: this.clock.now(),
        actor,
        type: 'session.staff-unassigned',
        payload: { staffId, duty: before.duty },
      });
    })();
  }
}
