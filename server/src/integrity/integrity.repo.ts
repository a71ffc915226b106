import type { Db } from '../db/open';
import { BankRepo } from '../bank/bank.repo';
import { DeclarationsRepo } from '../people/declarations.repo';
import { declarationRemovals } from '../people/declarations.service';
import { LinkRepo } from '../link/link.repo';
import { OrganisationsRepo } from '../people/organisations.repo';
import { StaffProfilesRepo } from '../people/staff-profiles.repo';
import type {
  IntegrityCheckView,
  IntegrityExceptionInput,
  IntegrityExceptionView,
  IntegrityRunView,
} from '../protocol';
import {
  integritySettingsSchema,
  defaultIntegritySettings,
  type Duty,
  type IntegritySettings,
} from './integrity-settings';
import type { BankFacts, CandidateFacts, ExceptionRecord, OrgFacts, Purpose, RuleResult, StaffFacts } from './rules';

export type SessionBasics = {
  id: number;
  code: string;
  state: string;
  scheduledStart: number;
  bankVersionId: number;
  category: string;
};

type RunRow = {
  id: number;
  session_id: number;
  purpose: IntegrityRunView['purpose'];
  exam_date: string;
  subjects: string;
  settings: string;
  outcome: IntegrityRunView['outcome'];
  at: number;
  actor: string;
};
type CheckRow = {
  id: number;
  run_id: number;
  rule: string;
  outcome: IntegrityRunView['outcome'];
  inputs: string;
  findings: string;
  at: number;
  actor: string;
};

/** What the rules read of a disciplinary or dishonesty decision, local or from the province list. */
const decision = (r: { id: number; decisionDate: string; authority: string; documentNo: string; summary: string }) => ({
  id: r.id,
  decisionDate: r.decisionDate,
  authority: r.authority,
  documentNo: r.documentNo,
  summary: r.summary,
});
const provinceSource = (listVersion: number) => ({ kind: 'province' as const, listVersion });

/** Loads the facts the rules read and keeps the record of every check (the only SQL of integrity/). */
export class IntegrityRepo {
  private readonly orgs: OrganisationsRepo;
  private readonly profiles: StaffProfilesRepo;
  private readonly declarations: DeclarationsRepo;
  private readonly link: LinkRepo;

  constructor(private readonly db: Db) {
    this.link = new LinkRepo(db);
    this.orgs = new OrganisationsRepo(db);
    this.profiles = new StaffProfilesRepo(db);
    this.declarations = new DeclarationsRepo(db);
  }

  settings(): IntegritySettings {
    const row = this.db.prepare<[], { body: string }>('SELECT body FROM integrity_settings WHERE id = 1').get();
    return row ? integritySettingsSchema.parse(JSON.parse(row.body)) : defaultIntegritySettings();
  }

  saveSettings(s: IntegritySettings, actor: string, now: number): void {
    this.db
      .prepare(
        `INSERT INTO integrity_settings (id, body, updated_by, updated_at) VALUES (1, ?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET body = excluded.body, updated_by = excluded.updated_by, updated_at = excluded.updated_at`,
      )
      .run(JSON.stringify(s), actor, now);
  }

  session(id: number): SessionBasics | undefined {
    return this.db
      .prepare<[number], SessionBasics>(
        `SELECT id, code, state, scheduled_start AS scheduledStart, bank_version_id AS bankVersionId, category
         FROM sessions WHERE id = ?`,
      )
      .get(id);
  }

  sessionIds(): number[] {
    return this.db
      .prepare<[], { id: number }>('SELECT id FROM sessions ORDER BY id')
      .all()
      .map((r) => r.id);
  }

  assigned(sessionId: number): { staffId: number; duty: Duty }[] {
    return this.db
      .prepare<[number], { staffId: number; duty: Duty }>(
        'SELECT staff_id AS staffId, duty FROM session_staff WHERE session_id = ? ORDER BY staff_id',
      )
      .all(sessionId);
  }

  institutionOrgId(): number | null {
    return this.orgs.institution()?.id ?? null;
  }

  /**
   * `lookbackFrom` (ms): items dropped from a declaration version that was still in force at or after it
   * keep counting until an admin reviews their removal (issue 13 hole 9); 0 = every version ever.
   */
  staffFacts(staffIds: readonly number[], lookbackFrom = 0): Map<number, StaffFacts> {
    const ids = JSON.stringify(staffIds);
    const names = this.db
      .prepare<[string], { id: number; name: string; roles: string }>(
        'SELECT id, name, roles FROM staff WHERE id IN (SELECT value FROM json_each(?))',
      )
      .all(ids);
    const profiles = new Map(this.profiles.list(staffIds).map((p) => [p.staffId, p]));
    const declarations = this.declarations.latestFor(staffIds);
    const versions = this.declarations.allVersionsFor(staffIds);
    const reviews = this.declarations.removalReviewsFor(staffIds);
    const disciplinary = this.profiles.activeDisciplinary(staffIds);
    // The regulator's province-wide list binds too (issue 14): matched by ID number, never stored locally.
    const province = this.link.provinceBans({
      idNumbers: [...profiles.values()].flatMap((p) => (p.idNumber ? [p.idNumber] : [])),
    });
    return new Map(
      names.map((s) => {
        const p = profiles.get(s.id);
        const d = declarations.get(s.id);
        const retracted = declarationRemovals(
          versions.get(s.id) ?? [],
          reviews.filter((r) => r.staffId === s.id),
          lookbackFrom,
        ).filter((r) => r.review === null);
        const retraction = (r: (typeof retracted)[number]) => ({
          declaredInVersion: r.declaredInVersion,
          removedInVersion: r.removedInVersion,
        });
        const facts: StaffFacts = {
          id: s.id,
          name: s.name,
          roles: JSON.parse(s.roles) as string[],
          employerOrgId: p?.employerOrgId ?? null,
          qualification: p?.qualification ?? null,
          declaration: d ? { id: d.id, version: d.version, signedAt: d.signedAt } : null,
          relationships: [
            ...(d?.relationships.map(({ orgName: _o, ...r }) => r) ?? []),
            ...retracted.flatMap((r) => {
              if (!r.relationship) return [];
              const { orgName: _o, ...rel } = r.relationship;
              return [{ ...rel, retracted: retraction(r) }];
            }),
          ],
          engagements: [
            ...(d?.engagements.map(({ orgName: _o, ...e }) => e) ?? []),
            ...retracted.flatMap((r) => {
              if (!r.engagement) return [];
              const { orgName: _o, ...eng } = r.engagement;
              return [{ ...eng, retracted: retraction(r) }];
            }),
          ],
          disciplinary: [
            ...disciplinary.filter((r) => r.staffId === s.id).map((r) => ({ ...decision(r), kind: r.kind })),
            ...province.persons
              .filter((r) => r.idNumber === p?.idNumber)
              .map((r) => ({ ...decision(r), kind: r.reason, source: provinceSource(province.version) })),
          ],
        };
        return [s.id, facts];
      }),
    );
  }

  registeredCandidates(sessionId: number): CandidateFacts[] {
    return this.db
      .prepare<[number], CandidateFacts>(
        `SELECT c.id, c.name, c.id_number AS idNumber, c.employer_org_id AS employerOrgId, c.training_org_id AS trainingOrgId
         FROM registrations g JOIN candidates c ON c.id = g.candidate_id WHERE g.session_id = ? ORDER BY g.id`,
      )
      .all(sessionId);
  }

  candidateFacts(candidateIds: readonly number[]): CandidateFacts[] {
    return this.db
      .prepare<[string], CandidateFacts>(
        `SELECT id, name, id_number AS idNumber, employer_org_id AS employerOrgId, training_org_id AS trainingOrgId
         FROM candidates WHERE id IN (SELECT value FROM json_each(?)) ORDER BY id`,
      )
      .all(JSON.stringify(candidateIds));
  }

  orgFacts(orgIds: readonly number[]): Map<number, OrgFacts> {
    const records = this.orgs.activeDishonesty(orgIds);
    const orgs = this.orgs.byIds(orgIds);
    // Province-wide dishonest organisations (issue 14), matched by 统一社会信用代码.
    const province = this.link.provinceBans({
      creditCodes: orgs.flatMap((o) => (o.creditCode ? [o.creditCode] : [])),
    });
    return new Map(
      orgs.map((o) => [
        o.id,
        {
          id: o.id,
          name: o.name,
          kind: o.kind,
          dishonesty: [
            ...records.filter((r) => r.orgId === o.id).map(decision),
            ...province.organisations
              .filter((r) => r.creditCode === o.creditCode)
              .map((r) => ({ ...decision(r), barredUntil: r.barredUntil, source: provinceSource(province.version) })),
          ],
        },
      ]),
    );
  }

  bankFacts(versionId: number): BankFacts | null {
    const v = this.db
      .prepare<[number], { id: number; pool: 'exam' | 'practice'; category: string }>(
        'SELECT id, pool, category FROM bank_versions WHERE id = ?',
      )
      .get(versionId);
    if (!v) return null;
    // Items compare by clash hash (what the candidate sees and the key, 0010), across every category: an N1
    // exam item filed as G1 practice is the same leak (issue 13 hole 3).
    new BankRepo(this.db).backfillClashHashes();
    const hashes = this.db.prepare<[number], { h: string }>(
      `SELECT c.clash_hash AS h FROM bank_version_items m JOIN bank_item_clash c ON c.content_hash = m.item_hash
       WHERE m.version_id = ?`,
    );
    // Only the practice versions that share an item: every category's practice pool, read in one join.
    const practice = this.db
      .prepare<[number], { id: number; category: string; h: string }>(
        `SELECT DISTINCT pv.id, pv.category, pc.clash_hash AS h
         FROM bank_version_items em
           JOIN bank_item_clash ec ON ec.content_hash = em.item_hash
           JOIN bank_item_clash pc ON pc.clash_hash = ec.clash_hash
           JOIN bank_version_items pm ON pm.item_hash = pc.content_hash
           JOIN bank_versions pv ON pv.id = pm.version_id AND pv.pool = 'practice'
         WHERE em.version_id = ?
         ORDER BY pv.id`,
      )
      .all(v.id);
    const byVersion = new Map<number, { id: number; category: string; itemHashes: string[] }>();
    for (const p of practice) {
      const entry = byVersion.get(p.id) ?? { id: p.id, category: p.category, itemHashes: [] };
      entry.itemHashes.push(p.h);
      byVersion.set(p.id, entry);
    }
    return {
      versionId: v.id,
      pool: v.pool,
      category: v.category,
      itemHashes: hashes.all(v.id).map((r) => r.h),
      practiceVersions: [...byVersion.values()],
    };
  }

  exceptions(sessionId: number): ExceptionRecord[] {
    return this.db
      .prepare<[number], ExceptionRecord>(
        // Only an exception a supervising official confirmed waives a finding (migration 0014).
        `SELECT id, code, reason, staff_id AS staffId, candidate_id AS candidateId FROM integrity_exceptions
         JOIN integrity_exception_confirmations k ON k.exception_id = id WHERE session_id = ? ORDER BY id`,
      )
      .all(sessionId);
  }

  exceptionViews(sessionId: number): IntegrityExceptionView[] {
    return this.db
      .prepare<[number], IntegrityExceptionView>(
        `SELECT x.id, x.session_id AS sessionId, x.code, x.reason, x.staff_id AS staffId, s.name AS staffName,
           x.candidate_id AS candidateId, c.name AS candidateName, x.justification, x.approver,
           x.document_ref AS documentRef, x.recorded_by AS recordedBy, x.recorded_at AS recordedAt,
           k.confirmed_by AS confirmedBy, k.confirmed_at AS confirmedAt
         FROM integrity_exceptions x JOIN staff s ON s.id = x.staff_id LEFT JOIN candidates c ON c.id = x.candidate_id
         LEFT JOIN integrity_exception_confirmations k ON k.exception_id = x.id
         WHERE x.session_id = ? ORDER BY x.id`,
      )
      .all(sessionId);
  }

  confirmException(id: number, actor: string, now: number): void {
    this.db
      .prepare(
        'INSERT INTO integrity_exception_confirmations (exception_id, confirmed_by, confirmed_at) VALUES (?, ?, ?)',
      )
      .run(id, actor, now);
  }

  insertException(sessionId: number, x: IntegrityExceptionInput, actor: string, now: number): number {
    return Number(
      this.db
        .prepare(
          `INSERT INTO integrity_exceptions (session_id, code, reason, staff_id, candidate_id, justification, approver,
             document_ref, recorded_by, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          sessionId,
          x.code,
          x.reason,
          x.staffId,
          x.candidateId,
          x.justification,
          x.approver,
          x.documentRef,
          actor,
          now,
        ).lastInsertRowid,
    );
  }

  insertRun(r: {
    sessionId: number;
    purpose: Purpose;
    examDate: string;
    subjects: IntegrityRunView['subjects'];
    settings: IntegritySettings;
    outcome: IntegrityRunView['outcome'];
    at: number;
    actor: string;
    checks: (RuleResult & { inputs: Record<string, unknown> })[];
  }): number {
    const runId = Number(
      this.db
        .prepare(
          `INSERT INTO integrity_runs (session_id, purpose, exam_date, subjects, settings, outcome, at, actor)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          r.sessionId,
          r.purpose,
          r.examDate,
          JSON.stringify(r.subjects),
          JSON.stringify(r.settings),
          r.outcome,
          r.at,
          r.actor,
        ).lastInsertRowid,
    );
    const insert = this.db.prepare(
      `INSERT INTO integrity_checks (run_id, session_id, rule, outcome, inputs, findings, at, actor)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    for (const c of r.checks)
      insert.run(
        runId,
        r.sessionId,
        c.rule,
        c.outcome,
        JSON.stringify(c.inputs),
        JSON.stringify(c.findings),
        r.at,
        r.actor,
      );
    return runId;
  }

  runs(sessionId: number, limit = 200): IntegrityRunView[] {
    const runs = this.db
      .prepare<[number, number], RunRow>('SELECT * FROM integrity_runs WHERE session_id = ? ORDER BY id DESC LIMIT ?')
      .all(sessionId, limit);
    if (runs.length === 0) return [];
    const checks = this.db
      .prepare<[string], CheckRow>(
        'SELECT * FROM integrity_checks WHERE run_id IN (SELECT value FROM json_each(?)) ORDER BY id',
      )
      .all(JSON.stringify(runs.map((r) => r.id)));
    const byRun = new Map<number, IntegrityCheckView[]>();
    for (const c of checks) {
      const list = byRun.get(c.run_id) ?? [];
      list.push({
        id: c.id,
        rule: c.rule,
        outcome: c.outcome,
        inputs: JSON.parse(c.inputs) as Record<string, unknown>,
        findings: JSON.parse(c.findings) as IntegrityCheckView['findings'],
        at: c.at,
        actor: c.actor,
      });
      byRun.set(c.run_id, list);
    }
    return runs.map((r) => ({
      id: r.id,
      sessionId: r.session_id,
      purpose: r.purpose,
      examDate: r.exam_date,
      subjects: JSON.parse(r.subjects) as IntegrityRunView['subjects'],
      settings: JSON.parse(r.settings) as Record<string, unknown>,
      outcome: r.outcome,
      at: r.at,
      actor: r.actor,
      checks: byRun.get(r.id) ?? [],
    }));
  }
}
