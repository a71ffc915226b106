import type { IntegritySettings } from '../integrity-settings';
import { addYears } from '../dates';
import type { Finding, PlanFacts, Rule, RuleId } from './facts';
import { recusalRule } from './recusal';
import { declarationRule, organisationBanRule, qualificationRule, staffBanRule, staffingRule } from './staff-rules';
import { institutionSeparationRule, poolSeparationRule, trainingSeparationRule } from './training-separation';

export * from './facts';

export const RULE_FUNCTIONS: Record<RuleId, Rule> = {
  declaration: declarationRule,
  'staff-ban': staffBanRule,
  'organisation-ban': organisationBanRule,
  qualification: qualificationRule,
  recusal: recusalRule,
  'training-separation': trainingSeparationRule,
  'institution-separation': institutionSeparationRule,
  'pool-separation': poolSeparationRule,
  staffing: staffingRule,
};

/** Which rules each enforcement point runs (the plan passed holds only the subjects in scope). */
export const RULES_FOR = {
  // A staff member joins a session: the rules about that person, and that person against every candidate.
  assign: ['declaration', 'staff-ban', 'organisation-ban', 'qualification', 'recusal', 'training-separation'],
  // A candidate joins: every assigned staff member against that candidate, and the institution against them.
  register: ['recusal', 'training-separation', 'institution-separation'],
  // Opening re-checks everything, because records may have changed since planning (design.md, Session states).
  open: [
    'declaration',
    'staff-ban',
    'organisation-ban',
    'qualification',
    'recusal',
    'training-separation',
    'institution-separation',
    'pool-separation',
    'staffing',
  ],
  // A seal custodian holds half the key: the same person rules as an examiner, but no certificate is needed.
  custodians: ['declaration', 'staff-ban', 'organisation-ban', 'recusal', 'training-separation'],
} as const satisfies Record<string, readonly RuleId[]>;
export type Purpose = keyof typeof RULES_FOR;

export type Outcome = 'pass' | 'violation' | 'exception';
export type RuleResult = { rule: RuleId; outcome: Outcome; findings: Finding[] };

export type ExceptionRecord = {
  id: number;
  code: string;
  reason: string;
  staffId: number;
  candidateId: number | null; // null: every candidate
};

/** Runs the given rules over the plan; each result says pass, violation, or exception (all waived). */
export function evaluate(
  plan: PlanFacts,
  settings: IntegritySettings,
  rules: readonly RuleId[],
  exceptions: readonly ExceptionRecord[] = [],
): RuleResult[] {
  return rules.map((rule) => {
    const findings = applyExceptions(RULE_FUNCTIONS[rule](plan, settings), exceptions);
    return { rule, outcome: outcomeOf(findings), findings };
  });
}

/** A documented exception waives a finding only where the rule allows one; bans never do. */
export function applyExceptions(findings: Finding[], exceptions: readonly ExceptionRecord[]): Finding[] {
  if (exceptions.length === 0) return findings;
  return findings.map((f) => {
    if (!f.exceptionAllowed) return f;
    const e = exceptions.find(
      (x) =>
        x.code === f.code &&
        x.reason === f.reason &&
        x.staffId === f.staffId &&
        (x.candidateId === null || x.candidateId === f.candidateId),
    );
    return e ? { ...f, exceptionId: e.id } : f;
  });
}

export function outcomeOf(findings: readonly Finding[]): Outcome {
  if (findings.length === 0) return 'pass';
  return findings.some((f) => f.exceptionId === undefined) ? 'violation' : 'exception';
}

export function overallOutcome(results: readonly { outcome: Outcome }[]): Outcome {
  if (results.some((r) => r.outcome === 'violation')) return 'violation';
  return results.some((r) => r.outcome === 'exception') ? 'exception' : 'pass';
}

export const blocking = (results: readonly RuleResult[]): Finding[] =>
  results.flatMap((r) => r.findings.filter((f) => f.exceptionId === undefined));

/** The facts and settings each rule looked at, recorded with the check so officials can see its inputs. */
export function ruleInputs(rule: RuleId, plan: PlanFacts, settings: IntegritySettings): Record<string, unknown> {
  const staffIds = plan.staff.map((a) => a.staff.id);
  const base = { examDate: plan.examDate, staffIds, candidateCount: plan.candidates.length };
  switch (rule) {
    case 'declaration':
      return {
        ...base,
        requireDeclaration: settings.requireDeclaration,
        declarations: plan.staff.map((a) => ({
          staffId: a.staff.id,
          declarationId: a.staff.declaration?.id ?? null,
          version: a.staff.declaration?.version ?? null,
        })),
      };
    case 'staff-ban':
      return {
        ...base,
        recusalSkipSuspensionYears: settings.recusalSkipSuspensionYears,
        disciplinaryRecordIds: plan.staff.flatMap((a) => a.staff.disciplinary.map((r) => r.id)),
      };
    case 'organisation-ban': {
      const orgIds = [plan.institutionOrgId, ...plan.staff.map((a) => a.staff.employerOrgId)].filter(
        (x): x is number => x !== null,
      );
      return {
        ...base,
        organisationBanYears: settings.organisationBanYears,
        institutionOrgId: plan.institutionOrgId,
        orgIds: [...new Set(orgIds)],
        dishonestyRecordIds: [...new Set(orgIds)].flatMap((id) => plan.orgs.get(id)?.dishonesty.map((r) => r.id) ?? []),
      };
    }
    case 'qualification':
      return {
        ...base,
        requiredFor: settings.qualificationRequiredFor,
        certificates: plan.staff.map((a) => ({
          staffId: a.staff.id,
          duty: a.duty,
          ...(a.staff.qualification ?? { certNo: null }),
        })),
      };
    case 'recusal':
      return {
        ...base,
        candidateIds: plan.candidates.map((c) => c.id),
        staff: plan.staff.map((a) => ({
          staffId: a.staff.id,
          declarationVersion: a.staff.declaration?.version ?? null,
          relationshipIds: a.staff.relationships.filter((r) => r.kind !== 'trained').map((r) => r.id),
          employerOrgId: a.staff.employerOrgId,
        })),
      };
    case 'training-separation':
      return {
        ...base,
        candidateIds: plan.candidates.map((c) => c.id),
        trainingLookbackYears: settings.trainingLookbackYears,
        lookbackFrom: addYears(plan.examDate, -settings.trainingLookbackYears),
        staff: plan.staff.map((a) => ({
          staffId: a.staff.id,
          declarationVersion: a.staff.declaration?.version ?? null,
          engagementIds: a.staff.engagements.map((e) => e.id),
          trainedRelationshipIds: a.staff.relationships.filter((r) => r.kind === 'trained').map((r) => r.id),
          employerOrgId: a.staff.employerOrgId,
        })),
      };
    case 'institution-separation':
      return {
        ...base,
        institutionOrgId: plan.institutionOrgId,
        candidateTrainingOrgIds: [...new Set(plan.candidates.map((c) => c.trainingOrgId))],
      };
    case 'pool-separation':
      return plan.bank
        ? {
            bankVersionId: plan.bank.versionId,
            pool: plan.bank.pool,
            practiceVersionIds: plan.bank.practiceVersions.map((p) => p.id),
          }
        : { bankVersionId: null };
    case 'staffing':
      return {
        proctorsPerRoom: settings.proctorsPerRoom,
        proctors: plan.staff.filter((a) => a.duty === 'proctor').map((a) => a.staff.id),
        duties: plan.staff.map((a) => ({ staffId: a.staff.id, duty: a.duty })),
      };
  }
}

/** Findings a documented exception may waive (code + reason). Bans, relatives and 考培分离 never are. */
export const EXCEPTION_ALLOWED: readonly { code: string; reason: string }[] = [
  // 同单位 回避 in a small place where one employer employs most people: documented, approved, shown to officials.
  { code: 'recusal-conflict', reason: 'same-employer' },
];
export const exceptionAllowedFor = (code: string, reason: string) =>
  EXCEPTION_ALLOWED.some((e) => e.code === code && e.reason === reason);
