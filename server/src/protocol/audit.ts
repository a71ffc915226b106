import { z } from 'zod';

export const eventQuery = z.object({
  type: z.string().max(64).optional(),
  actor: z.string().max(64).optional(),
  from: z.coerce.number().int().optional(),
  to: z.coerce.number().int().optional(),
  registrationId: z.coerce.number().int().positive().optional(),
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

export type EventPage = { chain: string; events: AuditEvent[]; nextAfterSeq: number | null };

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
export type ArchiveVerdict = { ok: boolean; checks: ArchiveCheck[]; failures: string[]; gaps: string[] };
