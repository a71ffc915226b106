import { z } from 'zod';
import type { ArchiveCheck, ArchiveGap, ArchiveVerdictStatus } from './audit';

// The regulator's one view over every centre (监管端, issue 14): search, people, sessions, archive reports,
// cross-centre findings, ledger cases, pass rates, missing archives. Inputs are zod schemas, outputs types.

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'YYYY-MM-DD');

/** GET /api/search — every filter optional, at least one required (a search over everything is a listing). */
export const regulatorSearchQuery = z
  .object({
    idNumber: z.string().trim().min(1).max(18).optional(),
    name: z.string().trim().min(1).max(50).optional(),
    centre: z.string().trim().min(1).max(32).optional(),
    category: z.string().trim().min(1).max(32).optional(),
    from: day.optional(),
    to: day.optional(),
    limit: z.coerce.number().int().min(1).max(1000).optional(),
  })
  .strict();
export type RegulatorSearchQuery = z.infer<typeof regulatorSearchQuery>;

/** Whether the regulator holds the session's archive, and what verifying it said. */
export type ArchiveStatus = 'none' | ArchiveVerdictStatus;

export type RegulatorCentreRef = { code: string; name: string };

/** One sitting (a person in a session at a centre), from a session notice or an archive. */
export type RegulatorSearchRow = {
  centre: RegulatorCentreRef;
  sessionCode: string;
  category: string;
  /** YYYY-MM-DD of the scheduled start, Beijing time. */
  date: string;
  idNumber: string;
  name: string;
  trainingOrg: { name: string; creditCode: string | null } | null;
  /** null until the archive with the results arrives. */
  score: number | null;
  maxScore: number | null;
  passed: boolean | null;
  archiveStatus: ArchiveStatus;
  archiveId: number | null;
};
export type RegulatorSearchResult = { rows: RegulatorSearchRow[]; truncated: boolean };

export type StaffDutyRow = {
  centre: RegulatorCentreRef;
  sessionCode: string;
  date: string;
  duty: string;
};

/** GET /api/people/:idNumber — one person across every centre. */
export type RegulatorPersonDetail = {
  idNumber: string;
  names: string[];
  sittings: RegulatorSearchRow[];
  duties: StaffDutyRow[];
  findings: RegulatorFinding[];
  bans: { kind: 'person'; reason: string; decisionDate: string; authority: string; documentNo: string }[];
};

export type RegulatorAnomalyRow = {
  source: 'archive' | 'notice';
  kind: string;
  idNumber: string | null;
  name: string | null;
  detail: string;
  at: number | null;
};

/** GET /api/sessions/:centre/:sessionCode */
export type RegulatorSessionDetail = {
  centre: RegulatorCentreRef;
  sessionCode: string;
  name: string | null;
  category: string;
  state: string;
  scheduledStart: number;
  scheduledEnd: number;
  lastNoticeAt: number | null;
  sittings: RegulatorSearchRow[];
  staff: { idNumber: string; name: string; duty: string }[];
  anomalies: RegulatorAnomalyRow[];
  archives: RegulatorArchiveSummary[];
  staleListExceptions: {
    reason: string;
    recordedBy: string;
    listVersion: number;
    listAsOf: number;
    receivedAt: number;
  }[];
};

export type RegulatorArchiveSummary = {
  id: number;
  sessionCode: string;
  status: ArchiveVerdictStatus;
  receivedAt: number;
  via: 'link' | 'bundle';
  sha256: string;
};

/** GET /api/archives/:id — what the regulator could and could not check, against which key. */
export type RegulatorArchiveReport = RegulatorArchiveSummary & {
  centre: RegulatorCentreRef;
  fileName: string;
  size: number;
  checks: ArchiveCheck[];
  failures: string[];
  gaps: ArchiveGap[];
  /** The fingerprint of the key the archive was verified against: the centre's pinned key at receipt. */
  verifiedWithFingerprint: string;
  /** The centre's pinned fingerprint now (it may have been changed since, by a signed key change). */
  pinnedFingerprint: string;
  /** Whether the key carried inside the archive is the pinned key (informational; never used to verify). */
  embeddedKeyFingerprint: string | null;
  embeddedKeyMatchesPin: boolean;
  /** Whether the bytes' SHA-256 equals the one in the signed message. */
  sha256MatchesMessage: boolean;
};

export type FindingKind =
  'overlapping-sessions' | 'staff-and-candidate' | 'staff-and-trainer' | 'barred-appearance' | 'reexam-too-soon';

/** One end of a finding: a record at a centre (a sitting, a staff duty, a training role) or a ban record. */
export type FindingEnd = {
  role: 'candidate' | 'staff' | 'trainer' | 'ban';
  centre: RegulatorCentreRef | null;
  sessionCode: string | null;
  date: string | null;
  idNumber: string | null;
  creditCode: string | null;
  name: string;
  /** e.g. duty, result, the ban's authority and document number. */
  detail: string;
};

export type RegulatorFinding = {
  id: number;
  kind: FindingKind;
  key: string;
  summary: string;
  a: FindingEnd;
  b: FindingEnd;
  foundAt: number;
  caseId: number | null;
};

/** POST /api/findings/:id/case: the finding becomes a ledger case (整改台账, issue 10's ledger at the regulator). */
export const openCaseInput = z
  .object({
    measure: z.string().trim().min(2).max(500),
    responsible: z.string().trim().min(1).max(100),
    deadline: day,
    note: z.string().trim().max(1000).optional(),
  })
  .strict();
export type OpenCaseInput = z.infer<typeof openCaseInput>;

export type RegulatorCase = {
  id: number;
  findingId: number;
  kind: FindingKind;
  /** The finding's summary: the problem the ledger entry records. */
  problem: string;
  measure: string;
  responsible: string;
  deadline: string;
  note: string | null;
  a: FindingEnd;
  b: FindingEnd;
  openedBy: string;
  openedAt: number;
  status: 'open';
};

export const passRatesQuery = z.object({ by: z.enum(['centre', 'training-org']).default('centre') }).strict();
export type PassRatesQuery = z.infer<typeof passRatesQuery>;

/**
 * One group (a centre or a training organisation) in one period (a calendar quarter, Beijing time), compared
 * with the same group's earlier periods pooled by the item analysis test (grading/item-analysis.ts
 * passRateChanges: two-proportion z-test; |z| above the setting is flagged as an outlier).
 */
export type RegulatorPassRateRow = {
  group: { key: string; name: string };
  period: string;
  sat: number;
  passed: number;
  rate: number;
  baseline: { candidates: number; rate: number } | null;
  z: number | null;
  flagged: boolean;
};
export type RegulatorPassRates = { by: 'centre' | 'training-org'; rows: RegulatorPassRateRow[] };

/** GET /api/archives/missing — a session known from notices, past its end + the grace days, with no archive. */
export type MissingArchiveRow = {
  centre: RegulatorCentreRef;
  sessionCode: string;
  category: string;
  state: string;
  scheduledEnd: number;
  dueAt: number;
  daysOverdue: number;
};
