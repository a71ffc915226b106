import type { Db } from '../db/open';
import { EventsRepo, sessionChain } from '../audit/events.repo';
import type { CheckRun, IntegrityService, Outcome } from '../integrity/integrity.service';
import type { PlanFacts } from '../integrity/rules';
import type { RegistrationInput } from '../protocol';
import { SessionsRepo, type SessionRecord } from '../sessions/sessions.repo';
import type { Clock } from '../shared/clock';
import { AppError, notFound } from '../shared/errors';
import { CandidateProfilesRepo, type CandidateProfile } from './candidates.repo';
import { RegistrationsRepo } from './registrations.repo';
import { ReExamService } from '../grading/reexam.service';

export type Registered = {
  registrationId: number;
  candidateId: number;
  name: string;
  admissionNo: string;
  seatNo: number;
};
export type RosterEntry = { candidateId: number; seatNo?: number; admissionNo?: string };

// The roster is fixed once papers are drawn and sealed (one paper per registration).
const ROSTER_OPEN_STATES = ['draft', 'scheduled'];

/**
 * Registering candidates into a session. Each registration runs the integrity rules for the new candidates
 * against the staff already assigned (回避, 考培分离) and the institution itself; a violation refuses it.
 */
export class RegistrationsService {
  private readonly sessions: SessionsRepo;
  private readonly candidates: CandidateProfilesRepo;
  private readonly repo: RegistrationsRepo;
  private readonly events: EventsRepo;
  private readonly reExam: ReExamService;

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly integrity: IntegrityService,
  ) {
    this.sessions = new SessionsRepo(db);
    this.candidates = new CandidateProfilesRepo(db);
    this.repo = new RegistrationsRepo(db);
    this.events = new EventsRepo(db);
    this.reExam = new ReExamService(db);
  }

  private openSession(sessionId: number): SessionRecord {
    const s = this.sessions.get(sessionId);
    if (!s) throw notFound('session', { sessionId });
    if (!ROSTER_OPEN_STATES.includes(s.state))
      throw new AppError('roster-locked', `场次状态为 ${s.state}：封卷后不能再增减考生`, 409, { state: s.state });
    return s;
  }

  register(sessionId: number, input: RegistrationInput, actor: string): Registered {
    const candidate =
      input.candidateId !== undefined
        ? this.candidates.get(input.candidateId)
        : this.candidates.byIdNumber(input.idNumber ?? '');
    if (!candidate) throw notFound('candidate', { candidateId: input.candidateId, idNumber: input.idNumber });
    const [one] = this.registerMany(
      sessionId,
      [{ candidateId: candidate.id, seatNo: input.seatNo, admissionNo: input.admissionNo }],
      actor,
    );
    return one as Registered;
  }

  /** All or nothing: one integrity run for the whole batch (a roster import is one decision). */
  registerMany(sessionId: number, entries: RosterEntry[], actor: string): Registered[] {
    const session = this.openSession(sessionId);
    const profiles = new Map(this.candidates.byIds(entries.map((e) => e.candidateId)).map((c) => [c.id, c]));
    const outcome = this.db.transaction((): Outcome<Registered[]> => {
      const planned = this.plan(session, entries, profiles);
      // 补考 policy (grading/reexam.ts): refused with the broken rules' names when a candidate may not sit again.
      for (const p of planned) this.reExam.assertEligible(p.candidate.id, session.category, session.scheduledStart);
      const plan = this.integrityPlan(session, planned);
      const run = this.integrity.check(sessionId, 'register', plan, actor, `register ${planned.length}`);
      if (run.blocking.length) return { ok: false, run };
      const now = this.clock.now();
      const done = planned.map(({ candidate, seatNo, admissionNo }) => {
        const registrationId = this.sessions.insertRegistration(sessionId, candidate.id, admissionNo, seatNo, now);
        return { registrationId, candidateId: candidate.id, name: candidate.name, admissionNo, seatNo };
      });
      this.events.append({
        chain: sessionChain(sessionId),
        at: now,
        actor,
        type: 'session.candidates-registered',
        payload: {
          checkRunId: run.runId,
          registrations: done.map((d) => ({
            registrationId: d.registrationId,
            candidateId: d.candidateId,
            seatNo: d.seatNo,
            admissionNo: d.admissionNo,
          })),
        },
      });
      return { ok: true, value: done };
    })();
    if (!outcome.ok) throw this.integrity.refusal(outcome.run);
    return outcome.value;
  }

  /** Everything registerMany checks, without storing or recording anything (import preview). */
  dryRun(sessionId: number, entries: RosterEntry[]): CheckRun {
    const session = this.openSession(sessionId);
    const profiles = new Map(this.candidates.byIds(entries.map((e) => e.candidateId)).map((c) => [c.id, c]));
    return this.integrity.preview(
      sessionId,
      'register',
      this.integrityPlan(session, this.plan(session, entries, profiles)),
    );
  }

  private integrityPlan(session: SessionRecord, planned: { candidate: CandidateProfile }[]): PlanFacts {
    return this.integrity.plan(session, {
      candidates: planned.map(({ candidate: c }) => ({
        id: c.id,
        name: c.name,
        idNumber: c.idNumber,
        employerOrgId: c.employerOrgId,
        trainingOrgId: c.trainingOrgId,
      })),
    });
  }

  /** Seats and admission numbers for each entry; refuses duplicates, full rooms and category mismatches. */
  private plan(session: SessionRecord, entries: RosterEntry[], profiles: Map<number, CandidateProfile>) {
    const capacity = this.repo.seatCount(session.id);
    const taken = this.repo.takenSeats(session.id);
    const already = this.repo.registeredCandidateIds(session.id);
    const batch = new Set<number>();
    const admissionNos = new Set<string>();
    const wanted = new Set(entries.flatMap((e) => (e.seatNo ? [e.seatNo] : [])));
    let nextSeat = 1;
    return entries.map((e) => {
      const candidate = profiles.get(e.candidateId);
      if (!candidate) throw notFound('candidate', { candidateId: e.candidateId });
      if (already.has(candidate.id) || batch.has(candidate.id))
        throw new AppError('already-registered', `考生 ${candidate.name} 已在本场次报名`, 409, {
          candidateId: candidate.id,
        });
      batch.add(candidate.id);
      if (candidate.appliedCategory && candidate.appliedCategory !== session.category)
        throw new AppError(
          'category-mismatch',
          `考生 ${candidate.name} 申请的作业项目是 ${candidate.appliedCategory}，本场次为 ${session.category}`,
          409,
        );
      let seatNo = e.seatNo;
      if (seatNo === undefined) {
        while (taken.has(nextSeat) || wanted.has(nextSeat)) nextSeat++;
        seatNo = nextSeat;
      }
      if (seatNo > capacity)
        throw new AppError('room-full', `考场 ${session.roomName} 只有 ${capacity} 个座位`, 409, { seatNo });
      if (taken.has(seatNo)) throw new AppError('seat-taken', `座位 ${seatNo} 已有考生`, 409, { seatNo });
      taken.add(seatNo);
      const admissionNo = e.admissionNo ?? `${session.code}-${String(seatNo).padStart(3, '0')}`;
      if (admissionNos.has(admissionNo) || this.repo.admissionNoTaken(admissionNo))
        throw new AppError('admission-no-taken', `准考证号 ${admissionNo} 已被使用`, 409);
      admissionNos.add(admissionNo);
      return { candidate, seatNo, admissionNo };
    });
  }

  unregister(sessionId: number, registrationId: number, actor: string): void {
    this.openSession(sessionId);
    const r = this.repo.byId(registrationId);
    if (!r || r.sessionId !== sessionId) throw notFound('registration', { registrationId });
    this.db.transaction(() => {
      try {
        this.repo.remove(registrationId);
      } catch (err) {
        // Another table already refers to it (e.g. an enrolled workstation): it is part of the record now.
        if ((err as { code?: string }).code === 'SQLITE_CONSTRAINT_FOREIGNKEY')
          throw new AppError('registration-in-use', '该报名已被其他记录引用，不能删除', 409);
        throw err;
      }
      if (this.repo.byId(registrationId)) throw new AppError('registration-in-use', '考生已登录过，不能删除报名', 409);
      this.events.append({
        chain: sessionChain(sessionId),
        at: this.clock.now(),
        actor,
        type: 'session.candidate-unregistered',
        payload: { registrationId, candidateId: r.candidateId, admissionNo: r.admissionNo, seatNo: r.seatNo },
      });
    })();
  }
}
