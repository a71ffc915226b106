import { z } from 'zod';

// Integrity checks as officials and staff see them (issue 5).

/** A documented exception to a finding whose rule allows one (server checks which do). */
export const integrityExceptionInput = z
  .object({
    code: z.string().min(1).max(64),
    reason: z.string().min(1).max(64),
    staffId: z.number().int().positive(),
    candidateId: z.number().int().positive().nullable(),
    justification: z.string().trim().min(10, 'explain the exception (≥ 10 characters)').max(2000),
    approver: z.string().trim().min(2).max(100),
    documentRef: z
      .string()
      .trim()
      .max(200)
      .nullish()
      .transform((s) => (s ? s : null)),
  })
  .strict();
export type IntegrityExceptionInput = z.infer<typeof integrityExceptionInput>;

export type IntegrityOutcome = 'pass' | 'violation' | 'exception';

export type IntegrityRecordRef = { type: string; id: number | null; summary: string };

export type IntegrityFinding = {
  rule: string;
  code: string;
  reason: string;
  message: string;
  staffId: number | null;
  candidateId: number | null;
  orgId: number | null;
  records: IntegrityRecordRef[];
  exceptionAllowed: boolean;
  exceptionId?: number;
};

export type IntegrityRuleResult = { rule: string; outcome: IntegrityOutcome; findings: IntegrityFinding[] };

export type IntegrityCheckView = IntegrityRuleResult & {
  id: number;
  inputs: Record<string, unknown>;
  at: number;
  actor: string;
};

export type IntegrityRunView = {
  id: number;
  sessionId: number;
  purpose: 'assign' | 'register' | 'open' | 'custodians';
  examDate: string;
  subjects: { staffIds: number[]; candidateIds: number[]; action: string };
  settings: Record<string, unknown>;
  outcome: IntegrityOutcome;
  at: number;
  actor: string;
  checks: IntegrityCheckView[];
};

export type IntegrityExceptionView = {
  id: number;
  sessionId: number;
  code: string;
  reason: string;
  staffId: number;
  staffName: string;
  candidateId: number | null;
  candidateName: string | null;
  justification: string;
  approver: string;
  documentRef: string | null;
  recordedBy: string;
  recordedAt: number;
  /** The supervising official who confirmed it; until then it waives nothing. */
  confirmedBy: string | null;
  confirmedAt: number | null;
};

/** Every rule evaluated now for one session (read-only: nothing recorded). */
export type IntegrityEvaluation = {
  sessionId: number;
  sessionCode: string;
  state: string;
  examDate: string;
  outcome: IntegrityOutcome;
  results: (IntegrityRuleResult & { inputs: Record<string, unknown> })[];
};

export type SessionIntegrityView = {
  current: IntegrityEvaluation;
  runs: IntegrityRunView[];
  exceptions: IntegrityExceptionView[];
};

export type AssignedStaffView = {
  staffId: number;
  username: string;
  name: string;
  duty: 'chief_examiner' | 'proctor' | 'examiner';
  assignedAt: number;
  assignedBy: string;
};

/** Whether a staff member could be assigned now, and why not. */
export type StaffEligibilityView = {
  staffId: number;
  username: string;
  name: string;
  roles: string[];
  outcome: IntegrityOutcome;
  findings: IntegrityFinding[];
};

export type SessionStaffView = {
  sessionId: number;
  assigned: AssignedStaffView[];
  eligibility: StaffEligibilityView[];
};
