import { z } from 'zod';

// Conduct supervision (行风监督, issue 10): what candidates, institution staff and officials may send.

const score = z.number().int().min(1).max(5);
/** Free text: trimmed, bounded, no control characters other than newlines and tabs. */
const freeText = (max: number) =>
  z
    .string()
    .trim()
    .max(max, `at most ${max} characters`)
    .refine((s) => !/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(s), 'control characters are not allowed');
const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'YYYY-MM-DD');

export const SURVEY_COMMENT_MAX = 500;
export const REPORT_BODY_MAX = 2000;

export const surveyInput = z
  .object({
    service: score,
    fairness: score,
    equipment: score,
    staffConduct: score,
    comment: freeText(SURVEY_COMMENT_MAX).default(''),
  })
  .strict();
export type SurveyInput = z.infer<typeof surveyInput>;

export const REPORT_KINDS = ['money', 'coaching', 'recusal', 'other'] as const;
export const reportInput = z
  .object({
    kind: z.enum(REPORT_KINDS),
    body: freeText(REPORT_BODY_MAX).pipe(z.string().min(5, 'at least 5 characters')),
    anonymous: z.boolean(),
    contact: freeText(100).default(''),
  })
  .strict()
  .refine((r) => !(r.anonymous && r.contact !== ''), {
    message: 'an anonymous report carries no contact',
    path: ['contact'],
  });
export type ReportInput = z.infer<typeof reportInput>;

/** The areas regulators check in provincial practice: site, equipment, staff certificates, procedure, published information, archives. */
export const INSPECTION_AREAS = ['site', 'equipment', 'certificates', 'procedure', 'disclosure', 'archives'] as const;
export type InspectionArea = (typeof INSPECTION_AREAS)[number];
const area = z.enum([...INSPECTION_AREAS, 'report']);

export const findingInput = z
  .object({
    area,
    problem: freeText(500).pipe(z.string().min(2)),
    measure: freeText(500).pipe(z.string().min(2)),
    responsible: freeText(50).pipe(z.string().min(1)),
    deadline: day,
  })
  .strict();
export type FindingInput = z.infer<typeof findingInput>;

export const inspectionInput = z
  .object({
    kind: z.enum(['inspection', 'spot-check']),
    day,
    inspectors: freeText(200).pipe(z.string().min(1)),
    areas: z.array(z.enum(INSPECTION_AREAS)).min(1).max(INSPECTION_AREAS.length),
    sessionId: z.number().int().positive().nullable().default(null),
    notes: freeText(2000).default(''),
    findings: z.array(findingInput).max(50).default([]),
  })
  .strict()
  .refine((i) => i.kind === 'inspection' || i.sessionId !== null, {
    message: 'a spot check names its session',
    path: ['sessionId'],
  });
export type InspectionInput = z.infer<typeof inspectionInput>;

export const caseInput = findingInput.omit({ area: true }).strict();
export type CaseInput = z.infer<typeof caseInput>;
export const closeReportInput = z.object({ outcome: freeText(500).pipe(z.string().min(2)) }).strict();
export const ledgerStepInput = z.object({ note: freeText(1000).pipe(z.string().min(2)) }).strict();

export const LEDGER_STATUSES = ['open', 'rectifying', 'rectified', 'verified'] as const;
export type LedgerStatus = (typeof LEDGER_STATUSES)[number];

export type SurveyRow = {
  id: number;
  sessionId: number;
  service: number;
  fairness: number;
  equipment: number;
  staffConduct: number;
  comment: string;
  submittedAt: number;
};
export type ReportView = {
  id: number;
  sessionId: number;
  sessionCode: string;
  /** null when anonymous; otherwise the reporter's admission number and name. */
  reporter: { registrationId: number; admissionNo: string; name: string } | null;
  kind: (typeof REPORT_KINDS)[number];
  body: string;
  contact: string;
  contentHash: string;
  filedAt: number;
  status: 'new' | 'case' | 'closed';
  outcome: string | null;
  ledgerId: number | null;
};
export type LedgerStep = {
  at: number;
  actor: string;
  /** The staff member's name (the actor id when it is not a staff account). */
  actorName: string;
  from: LedgerStatus | null;
  to: LedgerStatus;
  note: string;
};
export type EvidenceView = {
  id: number;
  filename: string;
  mime: string;
  size: number;
  sha256: string;
  uploadedBy: string;
  uploadedAt: number;
};
export type LedgerEntry = {
  id: number;
  inspectionId: number | null;
  /** Set when the entry came from a candidate's report: the institution sees only that one exists. */
  fromReport: boolean;
  area: string;
  problem: string;
  measure: string;
  responsible: string;
  deadline: string;
  status: LedgerStatus;
  overdue: boolean;
  createdAt: number;
  verifiedAt: number | null;
  steps: LedgerStep[];
  evidence: EvidenceView[];
};
export type InspectionView = {
  id: number;
  kind: 'inspection' | 'spot-check';
  day: string;
  inspectors: string;
  areas: InspectionArea[];
  sessionId: number | null;
  sessionCode: string | null;
  sessionEventSeq: number | null;
  notes: string;
  createdBy: string;
  createdAt: number;
  findings: number;
};
export type SurveyStat = {
  key: string;
  label: string;
  count: number;
  service: number;
  fairness: number;
  equipment: number;
  staffConduct: number;
};
export type SurveyStats = {
  bySession: SurveyStat[];
  byMonth: SurveyStat[];
  total: number;
  comments: { sessionCode: string; comment: string; at: number }[] | null;
};
export type ConductSummary = {
  year: number;
  generatedAt: number;
  inspections: { total: number; spotChecks: number; byArea: Record<string, number> };
  findings: {
    total: number;
    verified: number;
    rectified: number;
    open: number;
    overdue: number;
    rectificationRate: number;
  };
  reports: {
    total: number;
    anonymous: number;
    cases: number;
    closed: number;
    pending: number;
    byKind: Record<string, number>;
  };
  surveys: { total: number; average: number | null };
  exams: { sessions: number; graded: number; passed: number; passRate: number | null; anomalies: number };
};
