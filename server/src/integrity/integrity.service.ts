import type { Db } from '../db/open';
import { EventsRepo, sessionChain } from '../audit/events.repo';
import type {
  IntegrityEvaluation,
  IntegrityExceptionInput,
  IntegrityExceptionView,
  SessionIntegrityView,
  StaffEligibilityView,
} from '../protocol';
import { StaffRepo } from '../people/staff.repo';
import type { Clock } from '../shared/clock';
import { AppError, notFound } from '../shared/errors';
import type { Logger } from '../shared/logger';
import { addYears, dayOf, isDay, startOfDay, type Day } from './dates';
import { integritySettingsSchema, type Duty, type IntegritySettings } from './integrity-settings';
import { IntegrityRepo, type SessionBasics } from './integrity.repo';
import {
  blocking,
  evaluate,
  exceptionAllowedFor,
  overallOutcome,
  ruleInputs,
  RULES,
  RULES_FOR,
  type AssignedStaff,
  type CandidateFacts,
  type Finding,
  type PlanFacts,
  type Purpose,
  type RuleResult,
} from './rules';

/** The outcome of one recorded run at an enforcement point. */
export type CheckRun = { runId: number | null; results: RuleResult[]; blocking: Finding[] };

/** What a service's transaction returns: a refusal is returned (so its record commits), then thrown. */
export type Outcome<T> = { ok: false; run: CheckRun } | { ok: true; value: T };

/** What the sealing code receives: compatible with papers/custodians.ts CustodianViolation. */
export type CustodianFinding = Finding & { staffId: number };

const FINDINGS_IN_ERROR = 50;

/**
 * The integrity rules at every point where they matter (issue 5): assigning staff, registering candidates,
 * opening a session and choosing seal custodians. Every run is recorded with its inputs and outcome so
 * officials can see the rules were applied; a violation refuses the action, naming the rule, the people and
 * the record behind it.
 */
export class IntegrityService {
  readonly repo: IntegrityRepo;
  private readonly events: EventsRepo;
  private readonly staff: StaffRepo;

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly logger?: Logger,
  ) {
    this.repo = new IntegrityRepo(db);
    this.events = new EventsRepo(db);
    this.staff = new StaffRepo(db);
  }

  settings(): IntegritySettings {
    return this.repo.settings();
  }

  updateSettings(input: unknown, actor: string): IntegritySettings {
    const parsed = integritySettingsSchema.safeParse(input);
    if (!parsed.success)
      throw new AppError(
        'invalid-input',
        parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '),
      );
    return this.db.transaction(() => {
      const before = this.repo.settings();
      const now = this.clock.now();
      this.repo.saveSettings(parsed.data, actor, now);
      this.events.append({
        chain: 'institution',
        at: now,
        actor,
        type: 'integrity.settings-changed',
        payload: { before, after: parsed.data },
      });
      return parsed.data;
    })();
  }

  private session(id: number): SessionBasics {
    const s = this.repo.session(id);
    if (!s) throw notFound('session', { sessionId: id });
    return s;
  }

  /** Builds the facts of a session plan; staff and candidates default to those assigned and registered. */
  plan(
    session: SessionBasics,
    opts: {
      examDate?: Day;
      staff?: { staffId: number; duty: AssignedStaff['duty'] }[];
      candidates?: CandidateFacts[];
      withBank?: boolean;
    } = {},
  ): PlanFacts {
    const who = opts.staff ?? this.repo.assigned(session.id);
    const examDate = opts.examDate ?? dayOf(session.scheduledStart);
    // Retracted declarations count back as far as 考培分离 does (the one look-back the settings hold).
    const lookbackFrom = startOfDay(addYears(examDate, -this.repo.settings().trainingLookbackYears));
    const facts = this.repo.staffFacts(
      who.map((a) => a.staffId),
      lookbackFrom,
    );
    const staff: AssignedStaff[] = who.flatMap((a) => {
      const f = facts.get(a.staffId);
      return f ? [{ staff: f, duty: a.duty }] : [];
    });
    const candidates = opts.candidates ?? this.repo.registeredCandidates(session.id);
    const institutionOrgId = this.repo.institutionOrgId();
    const orgIds = new Set<number>();
    if (institutionOrgId !== null) orgIds.add(institutionOrgId);
    for (const a of staff) {
      if (a.staff.employerOrgId !== null) orgIds.add(a.staff.employerOrgId);
      for (const r of a.staff.relationships) if (r.orgId !== null) orgIds.add(r.orgId);
      for (const e of a.staff.engagements) orgIds.add(e.orgId);
    }
    for (const c of candidates) {
      if (c.employerOrgId !== null) orgIds.add(c.employerOrgId);
      if (c.trainingOrgId !== null) orgIds.add(c.trainingOrgId);
    }
    return {
      sessionId: session.id,
      sessionCode: session.code,
      examDate,
      institutionOrgId,
      staff,
      candidates,
      orgs: this.repo.orgFacts([...orgIds]),
      bank: opts.withBank === false ? null : this.repo.bankFacts(session.bankVersionId),
    };
  }

  /** Evaluates and records one run (inside the caller's transaction when there is one). Never throws on findings. */
  check(sessionId: number, purpose: Purpose, plan: PlanFacts, actor: string, action: string): CheckRun {
    const settings = this.repo.settings();
    const results = evaluate(plan, settings, RULES_FOR[purpose], this.repo.exceptions(sessionId));
    const runId = this.record(sessionId, purpose, plan, settings, results, actor, action);
    return { runId, results, blocking: blocking(results) };
  }

  /** Evaluates without recording (dry runs, planning aids). */
  preview(sessionId: number, purpose: Purpose, plan: PlanFacts): CheckRun {
    const results = evaluate(plan, this.repo.settings(), RULES_FOR[purpose], this.repo.exceptions(sessionId));
    return { runId: null, results, blocking: blocking(results) };
  }

  private record(
    sessionId: number,
    purpose: Purpose,
    plan: PlanFacts,
    settings: IntegritySettings,
    results: RuleResult[],
    actor: string,
    action: string,
    at: number = this.clock.now(),
  ): number {
    return this.db.transaction(() => {
      const outcome = overallOutcome(results);
      const subjects = {
        staffIds: plan.staff.map((a) => a.staff.id),
        candidateIds: plan.candidates.map((c) => c.id),
        action,
      };
      const runId = this.repo.insertRun({
        sessionId,
        purpose,
        examDate: plan.examDate,
        subjects,
        settings,
        outcome,
        at,
        actor,
        checks: results.map((r) => ({ ...r, inputs: ruleInputs(r.rule, plan, settings) })),
      });
      const failed = blocking(results);
      this.events.append({
        chain: sessionChain(sessionId),
        at,
        actor,
        type: 'integrity.checked',
        payload: {
          runId,
          purpose,
          action,
          outcome,
          rules: results.map((r) => `${r.rule}:${r.outcome}`),
          violations: failed
            .slice(0, FINDINGS_IN_ERROR)
            .map((f) => ({ code: f.code, staffId: f.staffId, candidateId: f.candidateId })),
          exceptionIds: [
            ...new Set(results.flatMap((r) => r.findings.flatMap((f) => (f.exceptionId ? [f.exceptionId] : [])))),
          ],
        },
      });
      return runId;
    })();
  }

  /** The error that refuses an action: the first violation's code, every violation named (up to 50). */
  refusal(run: CheckRun): AppError {
    const list = run.blocking;
    const first = list[0];
    const shown = list.slice(0, 5).map((f) => f.message);
    const more = list.length > shown.length ? `；等共 ${list.length} 项` : '';
    return new AppError(first?.code ?? 'integrity-violation', shown.join('；') + more, 409, {
      runId: run.runId,
      total: list.length,
      findings: list.slice(0, FINDINGS_IN_ERROR),
    });
  }

  /**
   * The open guard (registered on session transitions in app.ts): re-checks every rule at the moment of
   * opening, because records may have changed since planning. Runs inside the transition's transaction when
   * the caller opened one; a refusal then rolls that transaction back, so its record is written just after.
   */
  checkOpening(sessionId: number, actor: string, now: number = this.clock.now()): number {
    const session = this.session(sessionId);
    const plan = this.plan(session, { examDate: dayOf(now) });
    const settings = this.repo.settings();
    const results = evaluate(plan, settings, RULES_FOR.open, this.repo.exceptions(sessionId));
    const run: CheckRun = { runId: null, results, blocking: blocking(results) };
    if (run.blocking.length > 0 && this.db.inTransaction) {
      setImmediate(() => {
        try {
          this.record(sessionId, 'open', plan, settings, results, actor, 'open (refused)', now);
        } catch (err) {
          this.logger?.error({ err, sessionId }, 'could not record a refused opening check');
        }
      });
      throw this.refusal(run);
    }
    run.runId = this.record(
      sessionId,
      'open',
      plan,
      settings,
      results,
      actor,
      run.blocking.length ? 'open (refused)' : 'open',
      now,
    );
    if (run.blocking.length > 0) throw this.refusal(run);
    return run.runId;
  }

  /**
   * For sealing (papers/): whether these staff may hold the seal's custodian codes on `date` (epoch ms or
   * 'YYYY-MM-DD'). Returns the violations (empty when allowed) and records the run; it never throws on them,
   * the caller refuses. Findings about the institution are reported against each custodian.
   */
  checkCustodians(sessionId: number, staffIds: number[], date: number | string): CustodianFinding[] {
    const examDate = typeof date === 'number' ? dayOf(date) : date;
    if (!isDay(examDate)) throw new AppError('invalid-input', `date: not a date: ${examDate}`);
    const session = this.session(sessionId);
    const unique = [...new Set(staffIds)];
    const plan = this.plan(session, {
      examDate,
      staff: unique.map((staffId) => ({ staffId, duty: 'custodian' as const })),
    });
    const run = this.check(sessionId, 'custodians', plan, 'system:sealing', 'custodians');
    return run.blocking.flatMap((f) =>
      f.staffId !== null ? [{ ...f, staffId: f.staffId }] : unique.map((staffId) => ({ ...f, staffId })),
    );
  }

  /** Every rule for one session, evaluated now without recording (officials' view, CLI). */
  evaluateSession(sessionId: number): IntegrityEvaluation {
    const session = this.session(sessionId);
    const plan = this.plan(session);
    const settings = this.repo.settings();
    const results = evaluate(plan, settings, RULES, this.repo.exceptions(sessionId));
    return {
      sessionId,
      sessionCode: session.code,
      state: session.state,
      examDate: plan.examDate,
      outcome: overallOutcome(results),
      results: results.map((r) => ({ ...r, inputs: ruleInputs(r.rule, plan, settings) })),
    };
  }

  evaluateAll(): IntegrityEvaluation[] {
    return this.repo.sessionIds().map((id) => this.evaluateSession(id));
  }

  view(sessionId: number): SessionIntegrityView {
    return {
      current: this.evaluateSession(sessionId),
      runs: this.repo.runs(sessionId),
      exceptions: this.repo.exceptionViews(sessionId),
    };
  }

  /** Whether each exam-staff member could be assigned now (not recorded: a planning aid). */
  eligibility(sessionId: number): StaffEligibilityView[] {
    const session = this.session(sessionId);
    const staff = this.staff
      .list()
      .filter((s) => !s.disabled && s.roles.some((r) => r === 'proctor' || r === 'chief_examiner'));
    const candidates = this.repo.registeredCandidates(sessionId);
    const settings = this.repo.settings();
    const exceptions = this.repo.exceptions(sessionId);
    return staff.map((s) => {
      const duty: Duty = s.roles.includes('proctor') ? 'proctor' : 'chief_examiner';
      const plan = this.plan(session, { staff: [{ staffId: s.id, duty }], candidates, withBank: false });
      const results = evaluate(plan, settings, RULES_FOR.assign, exceptions);
      return {
        staffId: s.id,
        username: s.username,
        name: s.name,
        roles: s.roles,
        outcome: overallOutcome(results),
        findings: results.flatMap((r) => r.findings),
      };
    });
  }

  /** An admin documents an exception where the rule allows one; bans and relatives never do. */
  recordException(sessionId: number, input: IntegrityExceptionInput, actor: string): IntegrityExceptionView {
    const session = this.session(sessionId);
    if (!exceptionAllowedFor(input.code, input.reason))
      throw new AppError(
        'exception-not-allowed',
        `规则 ${input.code}（${input.reason}）不允许例外：处分、失信、亲属回避、考培分离一律不得例外`,
        409,
        { code: input.code, reason: input.reason },
      );
    if (!this.staff.byId(input.staffId)) throw notFound('staff', { staffId: input.staffId });
    if (['closed', 'graded', 'archived'].includes(session.state))
      throw new AppError('session-finished', `场次状态为 ${session.state}，不能再登记例外`, 409);
    return this.db.transaction(() => {
      const now = this.clock.now();
      const id = this.repo.insertException(sessionId, input, actor, now);
      this.events.append({
        chain: sessionChain(sessionId),
        at: now,
        actor,
        type: 'integrity.exception-recorded',
        payload: { exceptionId: id, ...input },
      });
      return this.repo.exceptionViews(sessionId).find((x) => x.id === id) as IntegrityExceptionView;
    })();
  }

  /**
   * A supervising official confirms a recorded exception; only then does it waive the finding. One admin alone
   * could otherwise both record and "approve" it (the approver field is the admin's own text).
   */
  confirmException(sessionId: number, exceptionId: number, actor: string): IntegrityExceptionView {
    const session = this.session(sessionId);
    const x = this.repo.exceptionViews(sessionId).find((e) => e.id === exceptionId);
    if (!x) throw notFound('integrity exception', { sessionId, exceptionId });
    if (x.confirmedAt !== null)
      throw new AppError('exception-already-confirmed', `例外 #${exceptionId} 已由监管人员确认`, 409);
    if (['closed', 'graded', 'archived'].includes(session.state))
      throw new AppError('session-finished', '场次已结束，不能再确认例外', 409);
    return this.db.transaction(() => {
      const now = this.clock.now();
      this.repo.confirmException(exceptionId, actor, now);
      this.events.append({
        chain: sessionChain(sessionId),
        at: now,
        actor,
        type: 'integrity.exception-confirmed',
        payload: { exceptionId, code: x.code, reason: x.reason, staffId: x.staffId, candidateId: x.candidateId },
      });
      return this.repo.exceptionViews(sessionId).find((e) => e.id === exceptionId) as IntegrityExceptionView;
    })();
  }
}
