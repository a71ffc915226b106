import { EventsRepo, INSTITUTION_CHAIN, sessionChain } from '../audit/events.repo';
import type { Db } from '../db/open';
import { dayOf, isDay } from '../integrity/dates';
import type {
  CaseInput,
  InspectionInput,
  LedgerEntry,
  LedgerStatus,
  ReportInput,
  ReportView,
  SurveyInput,
} from '../protocol';
import { canonicalJson, sha256Hex } from '../shared/canonical-json';
import type { Clock } from '../shared/clock';
import { AppError, notFound } from '../shared/errors';
import { ConductRepo, submittedSession, type LedgerRow } from './conduct.repo';

/** Reports per registration (named and anonymous alike): enough to report, too few to flood officials. */
export const MAX_REPORTS_PER_REGISTRATION = 3;
export const MAX_EVIDENCE_BYTES = 5 * 1024 * 1024;
const EVIDENCE_TYPES = /^(image\/(jpeg|png|webp)|application\/pdf|text\/plain)$/;

const LIVE_STATES = ['open', 'running', 'paused'];

export type Side = 'institution' | 'official';
type Move = { from: LedgerStatus; to: LedgerStatus; by: Side };
/**
 * The ledger's life (整改工作台账): the institution answers with its plan (open → rectifying) and reports it done
 * with evidence (rectifying → rectified); only an official verifies (→ verified) or rejects it back to
 * rectifying with a reason. Nothing else moves an entry.
 */
export const LEDGER_MOVES: Record<'respond' | 'rectified' | 'verify' | 'reject', Move> = {
  respond: { from: 'open', to: 'rectifying', by: 'institution' },
  rectified: { from: 'rectifying', to: 'rectified', by: 'institution' },
  verify: { from: 'rectified', to: 'verified', by: 'official' },
  reject: { from: 'rectified', to: 'rectifying', by: 'official' },
};
export type LedgerAction = keyof typeof LEDGER_MOVES;

/** Overdue: the deadline's Beijing day has passed and the entry is not rectified or verified. */
export function isOverdue(e: Pick<LedgerRow, 'deadline' | 'status'>, now: number): boolean {
  return (e.status === 'open' || e.status === 'rectifying') && dayOf(now) > e.deadline;
}

export class ConductService {
  readonly repo: ConductRepo;
  private readonly events: EventsRepo;
  // Anonymous reports keep no registration id, so their per-registration limit is counted in memory only.
  private readonly anonymousCount = new Map<number, number>();

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
  ) {
    this.repo = new ConductRepo(db);
    this.events = new EventsRepo(db);
  }

  private afterSubmission(registrationId: number): number {
    const s = submittedSession(this.db, registrationId);
    if (!s) throw new AppError('not-submitted', '交卷后才能填写 / available after submitting', 409);
    return s.sessionId;
  }

  /**
   * 满意度调查. Touches nothing of the result: the survey row and one institution-chain event, never the
   * session chain or the results tables, so grading and release are neither changed nor delayed.
   */
  submitSurvey(registrationId: number, input: SurveyInput): { id: number } {
    const sessionId = this.afterSubmission(registrationId);
    if (this.repo.surveyOf(registrationId))
      throw new AppError('survey-already-answered', '已提交过问卷 / already answered', 409);
    const at = this.clock.now();
    return this.db.transaction(() => {
      const id = this.repo.insertSurvey(registrationId, sessionId, input, at);
      this.events.append({
        chain: INSTITUTION_CHAIN,
        at,
        actor: `candidate:${registrationId}`,
        type: 'conduct.survey-answered',
        payload: { surveyId: id, sessionId },
      });
      return { id };
    })();
  }

  /**
   * 畅通反映渠道. An anonymous report stores no registration id, only the session. No event is appended at
   * filing: the institution's log is readable by its staff, and the notice's channel must not tell the
   * institution a report exists before an official acts on it. The text is sealed by content_hash, which
   * the official's case-opening (or closing) event carries into the chain.
   */
  fileReport(registrationId: number, input: ReportInput): { id: number } {
    const sessionId = this.afterSubmission(registrationId);
    const named = this.repo.reportsFiledBy(registrationId);
    const anon = this.anonymousCount.get(registrationId) ?? 0;
    if (named + anon >= MAX_REPORTS_PER_REGISTRATION)
      throw new AppError('too-many-reports', '反映次数已达上限 / report limit reached', 429);
    const at = this.clock.now();
    const registration = input.anonymous ? null : registrationId;
    const contentHash = sha256Hex(
      canonicalJson({ sessionId, kind: input.kind, body: input.body, contact: input.contact, at }),
    );
    const id = this.repo.insertReport({
      sessionId,
      registrationId: registration,
      kind: input.kind,
      body: input.body,
      contact: input.contact,
      contentHash,
      at,
    });
    if (input.anonymous) this.anonymousCount.set(registrationId, anon + 1);
    return { id };
  }

  reports(): ReportView[] {
    return this.repo.reports();
  }

  private report(id: number): ReportView {
    const r = this.repo.report(id);
    if (!r) throw notFound('report', { reportId: id });
    if (r.status !== 'new') throw new AppError('report-handled', '该反映已处理 / report already handled', 409);
    return r;
  }

  /** An official opens a case: the report becomes a ledger entry; from now on the institution sees that one exists. */
  openCase(reportId: number, input: CaseInput, actor: string): LedgerEntry {
    const r = this.report(reportId);
    checkDeadline(input.deadline);
    const at = this.clock.now();
    const entryId = this.db.transaction(() => {
      this.repo.setReportStatus(reportId, 'case', actor, at, null);
      const id = this.createEntry({ ...input, area: 'report' }, null, reportId, actor, at);
      this.events.append({
        chain: INSTITUTION_CHAIN,
        at,
        actor,
        type: 'conduct.case-opened',
        payload: { reportId, reportHash: r.contentHash, ledgerId: id },
      });
      return id;
    })();
    return this.entry(entryId);
  }

  /** An official closes a report without a finding (e.g. unfounded), with the outcome recorded. */
  closeReport(reportId: number, outcome: string, actor: string): ReportView {
    const r = this.report(reportId);
    const at = this.clock.now();
    this.db.transaction(() => {
      this.repo.setReportStatus(reportId, 'closed', actor, at, outcome);
      this.events.append({
        chain: INSTITUTION_CHAIN,
        at,
        actor,
        type: 'conduct.report-closed',
        payload: { reportId, reportHash: r.contentHash, outcomeHash: sha256Hex(outcome) },
      });
    })();
    return this.repo.report(reportId)!;
  }

  /** Inspections and spot checks (现场监督抽查), each finding a ledger entry. */
  recordInspection(input: InspectionInput, actor: string): { id: number; ledgerIds: number[] } {
    if (!isDay(input.day)) throw new AppError('invalid-input', 'day: not a calendar date');
    input.findings.forEach((f) => checkDeadline(f.deadline));
    const at = this.clock.now();
    let seq: number | null = null;
    if (input.sessionId !== null) {
      const row = this.db
        .prepare<[number], { state: string }>('SELECT state FROM sessions WHERE id = ?')
        .get(input.sessionId);
      if (!row) throw notFound('session', { sessionId: input.sessionId });
      // 现场监督抽查 watches a session while it runs; its event joins that session's chain, which is sealed once archived.
      if (input.kind === 'spot-check' && !LIVE_STATES.includes(row.state))
        throw new AppError(
          'session-not-live',
          `抽查只能针对进行中的场次（当前 ${row.state}）/ spot checks are of live sessions`,
          409,
        );
    }
    return this.db.transaction(() => {
      if (input.kind === 'spot-check' && input.sessionId !== null)
        seq = this.events.chainHead(sessionChain(input.sessionId)).seq;
      const id = this.repo.insertInspection({ ...input, sessionEventSeq: seq, by: actor, at });
      const ledgerIds = input.findings.map((f) => this.createEntry(f, id, null, actor, at));
      const payload = {
        inspectionId: id,
        kind: input.kind,
        day: input.day,
        areas: input.areas,
        sessionId: input.sessionId,
        findings: ledgerIds,
      };
      this.events.append({ chain: INSTITUTION_CHAIN, at, actor, type: 'conduct.inspection-recorded', payload });
      // A spot check is also an event of the session it watched, placed among that session's own events.
      if (input.kind === 'spot-check' && input.sessionId !== null)
        this.events.append({
          chain: sessionChain(input.sessionId),
          at,
          actor,
          type: 'conduct.spot-check',
          payload: { inspectionId: id, atSeq: seq },
        });
      return { id, ledgerIds };
    })();
  }

  private createEntry(
    f: { area: string; problem: string; measure: string; responsible: string; deadline: string },
    inspectionId: number | null,
    reportId: number | null,
    actor: string,
    at: number,
  ): number {
    const id = this.repo.insertEntry({ ...f, inspectionId, reportId, by: actor, at });
    this.repo.insertStep(id, { at, actor, from: null, to: 'open', note: '' });
    this.events.append({
      chain: INSTITUTION_CHAIN,
      at,
      actor,
      type: 'conduct.ledger-created',
      payload: {
        ledgerId: id,
        inspectionId,
        fromReport: reportId !== null,
        area: f.area,
        problem: f.problem,
        measure: f.measure,
        responsible: f.responsible,
        deadline: f.deadline,
      },
    });
    return id;
  }

  transition(entryId: number, action: LedgerAction, side: Side, note: string, actor: string): LedgerEntry {
    const e = this.repo.entry(entryId);
    if (!e) throw notFound('ledger entry', { entryId });
    const move = LEDGER_MOVES[action];
    if (move.by !== side)
      throw new AppError('forbidden', side === 'official' ? '此步骤由考试机构办理' : '此步骤仅监管人员可办理', 403);
    if (e.status !== move.from)
      throw new AppError(
        'ledger-bad-transition',
        `当前状态为 ${e.status}，不能 ${action} / cannot ${action} from ${e.status}`,
        409,
        { status: e.status },
      );
    if (action === 'rectified' && this.repo.evidenceCount(entryId) === 0)
      throw new AppError('evidence-required', '请先上传整改证明材料 / upload evidence first', 409);
    const at = this.clock.now();
    this.db.transaction(() => {
      this.repo.setStatus(entryId, move.to, at);
      this.repo.insertStep(entryId, { at, actor, from: move.from, to: move.to, note });
      this.events.append({
        chain: INSTITUTION_CHAIN,
        at,
        actor,
        type: 'conduct.ledger-transition',
        payload: { ledgerId: entryId, action, from: move.from, to: move.to, note },
      });
    })();
    return this.entry(entryId);
  }

  addEvidence(entryId: number, file: { filename: string; mime: string; content: Buffer }, actor: string): LedgerEntry {
    const e = this.repo.entry(entryId);
    if (!e) throw notFound('ledger entry', { entryId });
    if (e.status === 'verified')
      throw new AppError('ledger-closed', '已验收，不能再补充材料 / entry already verified', 409);
    if (!EVIDENCE_TYPES.test(file.mime))
      throw new AppError('invalid-input', 'evidence: JPEG, PNG, WebP, PDF or plain text only', 415);
    if (file.content.length === 0 || file.content.length > MAX_EVIDENCE_BYTES)
      throw new AppError('invalid-input', 'evidence: 1 byte to 5 MB', 413);
    const filename = file.filename.replace(/[\\/\u0000-\u001f]/g, '_').slice(0, 120) || 'evidence';
    const sha256 = sha256Hex(file.content);
    const at = this.clock.now();
    this.db.transaction(() => {
      const id = this.repo.insertEvidence({
        entryId,
        filename,
        mime: file.mime,
        content: file.content,
        sha256,
        by: actor,
        at,
      });
      this.events.append({
        chain: INSTITUTION_CHAIN,
        at,
        actor,
        type: 'conduct.evidence-added',
        payload: { ledgerId: entryId, evidenceId: id, filename, sha256, size: file.content.length },
      });
    })();
    return this.entry(entryId);
  }

  entry(id: number): LedgerEntry {
    const e = this.repo.entry(id);
    if (!e) throw notFound('ledger entry', { entryId: id });
    return this.view(e);
  }

  ledger(): LedgerEntry[] {
    return this.repo.entries().map((e) => this.view(e));
  }

  private view(e: LedgerRow): LedgerEntry {
    return {
      id: e.id,
      inspectionId: e.inspection_id,
      fromReport: e.report_id !== null,
      area: e.area,
      problem: e.problem,
      measure: e.measure,
      responsible: e.responsible,
      deadline: e.deadline,
      status: e.status,
      overdue: isOverdue(e, this.clock.now()),
      createdAt: e.created_at,
      verifiedAt: e.verified_at,
      steps: this.repo.steps(e.id),
      evidence: this.repo.evidence(e.id),
    };
  }
}

function checkDeadline(day: string): void {
  if (!isDay(day)) throw new AppError('invalid-input', 'deadline: not a calendar date (YYYY-MM-DD, Beijing time)');
}
