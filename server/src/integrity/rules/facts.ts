import type { Day } from '../dates';
import type { Duty, IntegritySettings } from '../integrity-settings';

// The facts the rules read. Loaded from the database by integrity.repo.ts; the rules themselves are pure.

export type RelationshipKind = 'relative' | 'same_employer' | 'trained' | 'other_interest';
export type DisciplineKind = 'conduct' | 'data_breach' | 'recusal_skipped';

/**
 * Set on an item the staff member dropped from a later declaration version whose removal no admin has
 * reviewed yet (issue 13 hole 9): it keeps counting, and the finding says it was retracted.
 */
export type Retraction = { declaredInVersion: number; removedInVersion: number };

export type DeclaredRelationship = {
  id: number;
  kind: RelationshipKind;
  personIdNumber: string | null;
  personName: string | null;
  orgId: number | null;
  note: string | null;
  retracted?: Retraction;
};

export type TrainingEngagement = {
  id: number;
  orgId: number;
  from: Day;
  to: Day | null;
  note: string | null;
  retracted?: Retraction;
};

/** "声明 v2" for an item in force, "声明 v1 申报、v2 撤回（撤回待管理员审核）" for a retracted one. */
export const declaredIn = (version: number | undefined, retracted: Retraction | undefined): string =>
  retracted
    ? `声明 v${retracted.declaredInVersion} 申报、v${retracted.removedInVersion} 撤回（撤回待管理员审核，仍然有效）`
    : `声明 v${version ?? '?'}`;

/**
 * Where a ban comes from: the centre's own records, or the regulator's province-wide list (issue 14), which
 * binds the centre and is not in its tables, so the centre cannot revoke it.
 */
export type BanSource = { kind: 'province'; listVersion: number };

export type DisciplinaryRecord = {
  id: number;
  kind: DisciplineKind;
  decisionDate: Day;
  authority: string;
  documentNo: string;
  summary: string;
  source?: BanSource;
};

export type DishonestyRecord = {
  id: number;
  decisionDate: Day;
  authority: string;
  documentNo: string;
  summary: string;
  source?: BanSource;
  /** A province record states its last day (decisionDate + 3 years − 1 day) as the regulator decided it. */
  barredUntil?: Day;
};

export type StaffFacts = {
  id: number;
  name: string;
  roles: string[];
  employerOrgId: number | null;
  qualification: { certNo: string; validFrom: Day; validTo: Day } | null;
  declaration: { id: number; version: number; signedAt: number } | null;
  relationships: DeclaredRelationship[];
  engagements: TrainingEngagement[];
  disciplinary: DisciplinaryRecord[]; // not revoked
};

export type CandidateFacts = {
  id: number;
  name: string;
  idNumber: string;
  employerOrgId: number | null;
  trainingOrgId: number | null;
};

export type OrgFacts = { id: number; name: string; kind: string; dishonesty: DishonestyRecord[] };

/** A seal custodian is checked like exam staff but holds no exam duty. */
export type AssignedStaff = { staff: StaffFacts; duty: Duty | 'custodian' };

/**
 * Bank facts for 考培分离 on content: the session's version and the practice versions, of any category, that
 * share an item with it. Hashes are clash hashes (stem, options and key; bank-format.ts itemClashHash).
 */
export type BankFacts = {
  versionId: number;
  pool: 'exam' | 'practice';
  category: string;
  itemHashes: string[];
  practiceVersions: { id: number; category?: string; itemHashes: string[] }[];
};

export type PlanFacts = {
  sessionId: number;
  sessionCode: string;
  examDate: Day;
  institutionOrgId: number | null;
  staff: AssignedStaff[];
  candidates: CandidateFacts[];
  orgs: ReadonlyMap<number, OrgFacts>;
  bank: BankFacts | null;
};

export const RULES = [
  'declaration',
  'staff-ban',
  'organisation-ban',
  'qualification',
  'recusal',
  'training-separation',
  'institution-separation',
  'pool-separation',
  'staffing',
] as const;
export type RuleId = (typeof RULES)[number];

/** What a finding rests on, so a refusal names the record behind it. */
export type RecordRef = {
  type:
    | 'declaration'
    | 'relationship'
    | 'engagement'
    | 'disciplinary'
    | 'dishonesty'
    | 'qualification'
    | 'staff-profile'
    | 'candidate'
    | 'organisation'
    | 'bank-version'
    | 'settings';
  id: number | null;
  summary: string;
};

export type Finding = {
  rule: RuleId;
  code: string; // stable kebab-case, used as the AppError code of a refusal
  reason: string; // the variant within the code, e.g. 'relative', 'same-employer'
  message: string; // zh-CN, names the people and the record
  staffId: number | null;
  candidateId: number | null;
  orgId: number | null;
  records: RecordRef[];
  exceptionAllowed: boolean;
  exceptionId?: number;
};

export type Rule = (plan: PlanFacts, settings: IntegritySettings) => Finding[];

export const orgName = (plan: PlanFacts, id: number | null): string =>
  id === null ? '—' : (plan.orgs.get(id)?.name ?? `#${id}`);

export function finding(
  f: Omit<Finding, 'staffId' | 'candidateId' | 'orgId' | 'exceptionAllowed'> & Partial<Finding>,
): Finding {
  return { staffId: null, candidateId: null, orgId: null, exceptionAllowed: false, ...f };
}
