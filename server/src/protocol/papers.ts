import { z } from 'zod';
import type { Role } from './common';

// Sealed papers (保密管理): sealing, two-person opening, and the institution key.

const staffId = z.number().int().positive();

export const sealRequest = z.object({ custodians: z.array(staffId).length(2) }).strict();
export type SealRequest = z.infer<typeof sealRequest>;

export const resealRequest = z
  .object({ custodians: z.array(staffId).length(2), reason: z.string().trim().min(2).max(500) })
  .strict();
export type ResealRequest = z.infer<typeof resealRequest>;

/**
 * One entry per custodian: who (staff id or username) and the code they wrote down. Deliberately loose
 * on the count (1–4) so that a refused attempt with too few codes reaches the service and is logged.
 */
export const openRequest = z
  .object({
    codes: z
      .array(
        z
          .object({
            staffId: staffId.optional(),
            username: z.string().trim().min(1).max(64).optional(),
            code: z.string().max(64),
          })
          .strict()
          .refine((c) => c.staffId !== undefined || c.username !== undefined, {
            message: 'give staffId or username',
          }),
      )
      .min(1)
      .max(4),
  })
  .strict();
export type OpenRequest = z.infer<typeof openRequest>;

/**
 * A custodian enters their own code on their own login, re-entering their password on that screen (issue 13,
 * hole 4): never two codes typed on one person's screen. The server holds the first until the second arrives.
 */
export const openCodeRequest = z
  .object({ password: z.string().min(1).max(200), code: z.string().trim().min(1).max(64) })
  .strict();
export type OpenCodeRequest = z.infer<typeof openCodeRequest>;

/** Who entered each code and when; `openedAt` once both were in and the papers opened. */
export type OpeningStatus = {
  sessionId: number;
  sealUid: string | null;
  slots: (CustodianRef & { enteredAt: number | null })[];
  openedAt: number | null;
};

export type OpenCodeResult = { status: OpeningStatus; opened: OpenResult | null };

export type NeighbourStatsView = {
  adjacentPairs: number;
  positionsCompared: number;
  sameItemSamePositionBefore: number;
  sameItemSamePositionAfter: number;
  rateBefore: number;
  rateAfter: number;
  reordered: number;
};

export type CustodianRef = { slot: 'A' | 'B'; staffId: number; name: string };

export type CustodianCodeSlip = CustodianRef & { username: string; code: string };

export type SealResult = {
  sessionId: number;
  sessionCode: string;
  sessionName: string;
  scheduledStart: number;
  sealUid: string;
  manifestHash: string;
  /** The manifest hash in groups of four, for reading aloud and printing. */
  manifestFingerprint: string;
  institutionKey: string;
  sealedAt: number;
  paperCount: number;
  neighbours: NeighbourStatsView;
  /**
   * Never stored. Over REST this is empty: each custodian collects their own code with their own login
   * (GET /api/sessions/:id/seal/my-code), so whoever operates the sealing never sees both. The service returns
   * both codes to in-process callers only (demo seed, tests).
   */
  codes: CustodianCodeSlip[];
};

/** Who has collected their code since the sealing; null when nothing waits (collected, expired, restarted). */
export type CodeHandoverStatus = {
  sealUid: string;
  expiresAt: number;
  custodians: (CustodianRef & { username: string; collected: boolean })[];
} | null;

export type SealProgress = { phase: 'sealing' | 'committing' | 'done' | 'failed'; done: number; total: number };

export type SealStatus = {
  sessionId: number;
  sessionState: string;
  seal: {
    sealUid: string;
    state: 'sealed' | 'opened';
    manifestHash: string;
    manifestFingerprint: string;
    institutionKey: string;
    sealedAt: number;
    sealedBy: string;
    openedAt: number | null;
    custodians: CustodianRef[];
    paperCount: number;
    neighbours: NeighbourStatsView;
  } | null;
  openWindow: { from: number; to: number };
  progress: SealProgress | null;
};

export type OpenResult = { sessionId: number; state: 'open'; openedAt: number; paperCount: number };

export type InstitutionKeyInfo = { algorithm: 'Ed25519'; fingerprint: string; publicKeyPem: string };

export type CustodianOption = { id: number; username: string; name: string; roles: Role[] };
