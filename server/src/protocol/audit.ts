import { z } from 'zod';

export const eventQuery = z.object({
  type: z.string().max(64).optional(),
  actor: z.string().max(64).optional(),
  from: z.coerce.number().int().optional(),
  to: z.coerce.number().int().optional(),
  registrationId: z.coerce.number().int().positive().optional(),
  ledgerId: z.coerce.number().int().positive().optional(),
  afterSeq: z.coerce.number().int().min(0).default(0),
  limit: z.coerce.number().int().min(1).max(1000).default(200),
});

export type AuditEvent = {
  seq: number;
  at: number;
  actor: string;
  type: string;
  payload: Record<string, unknown>;
  prevHash: string;
  hash: string;
};

/** Who an actor string (`staff:3`, `candidate:1`, `system:sealing`) is, so no screen shows the raw id. */
export type EventPerson =
  | { kind: 'staff'; name: string; roles: string[] }
  | { kind: 'candidate'; name: string; seatNo: number; admissionNo: string }
  | { kind: 'system'; name: string };

export type EventPage = {
  chain: string;
  events: AuditEvent[];
  nextAfterSeq: number | null;
  /** Events matching the filter on the whole chain. */
  total: number;
  /** Every actor on the page, and everyone a payload names (`staffId` → `staff:<id>`, `registrationId` → `candidate:<id>`). */
  people: Record<string, EventPerson>;
};

export type ChainVerificationView = {
  chain: string;
  ok: boolean;
  events: number;
  head: { seq: number; hash: string };
  problems: string[];
  signedHeads: { seq: number; hash: string; at: number; reason: string; signatureOk: boolean; inChain: boolean }[];
  keyFingerprint: string;
  verifiedAt: number;
};

export type Anomaly =
  | { kind: 'focus-loss'; registrationId: number; seatNo: number; name: string; count: number; threshold: number }
  | {
      kind: 'fast-answers';
      registrationId: number;
      seatNo: number;
      name: string;
      run: number;
      maxGapMs: number;
      from: number;
      to: number;
    }
  | {
      kind: 'identical-wrong';
      a: { registrationId: number; seatNo: number; name: string };
      b: { registrationId: number; seatNo: number; name: string };
      neighbours: boolean;
      sharedItems: number;
      identicalWrong: number;
      expected: number;
      pValue: number;
      threshold: number;
    };

export type AnomalyReport = {
  sessionId: number;
  statistic: string;
  settings: { focusLossThreshold: number; fastGapMs: number; fastRunLength: number; copyPValue: number };
  anomalies: Anomaly[];
};

export type ArchiveInfo = {
  id: number;
  sessionId: number;
  sessionCode: string;
  file: string;
  sha256: string;
  size: number;
  manifestHash: string;
  keyFingerprint: string;
  createdAt: number;
  retainUntil: number;
};

export type ArchiveCheck = { name: string; ok: boolean; detail?: string };
/**
 * VALID only when every check was made and passed; INCOMPLETE when none failed but one could not be made
 * (each reason in gaps, e.g. no regulator key, a key taken from the archive itself); INVALID when one failed.
 * ok is status === 'VALID'.
 */
export type ArchiveVerdictStatus = 'VALID' | 'INVALID' | 'INCOMPLETE';
export type ArchiveVerdict = {
  ok: boolean;
  status: ArchiveVerdictStatus;
  checks: ArchiveCheck[];
  failures: string[];
  gaps: ArchiveGap[];
};
/**
 * A check that could not be made: a stable code that screens label (client/src/staff/catalogue.ts) beside the
 * verifier's own English text, which the CLI prints and the console folds as technical detail.
 */
export type ArchiveGapCode =
  | 'embedded-key'
  | 'sealed-part-missing'
  | 'no-regulator-key'
  | 'other-regulator-key'
  | 'seal-missing'
  | 'seed-missing'
  | 'scores-not-recomputed';
export type ArchiveGap = { code: ArchiveGapCode; text: string };
