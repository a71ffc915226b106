import { z } from 'zod';

// The centre's side of the regulator link (issue 14): what its REST routes take and answer.

export type LinkBanListStatus = {
  /** 0: no list ever received. */
  version: number;
  issuedAt: number | null;
  /** When the regulator last said this list was current (signed freshness), or when it was issued. */
  asOf: number | null;
  ageDays: number | null;
  /** Older than maxAgeDays, never received, or no regulator configured: opening a session needs an exception. */
  stale: boolean;
  maxAgeDays: number;
};

export type LinkStatus = {
  /** The centre knows its code and holds the regulator's public key (a URL is optional: bundles carry it too). */
  linked: boolean;
  regulatorUrl: string | null;
  centreCode: string | null;
  lastExchangeAt: number | null;
  lastError: string | null;
  pendingOut: number;
  banList: LinkBanListStatus;
};

export type LinkLogEntry = {
  id: number;
  at: number;
  via: 'link' | 'bundle';
  seq: number;
  type: string | null;
  status: 'refused' | 'duplicate' | 'problem';
  code: string;
  reason: string;
};

export type LinkBundleImportResult = {
  outcomes: { seq: number; status: 'applied' | 'duplicate' | 'refused'; code?: string; reason?: string }[];
  freshnessAccepted: boolean;
  status: LinkStatus;
};

export type StaleListExceptionView = {
  id: number;
  sessionId: number;
  sessionCode: string;
  reason: string;
  /** 'staff:<id>' (the audit actor) and the person's name, which is what screens show. */
  recordedBy: string;
  recordedByName: string | null;
  recordedAt: number;
  listVersion: number;
  listAsOf: number;
};

export const staleListExceptionInput = z
  .object({ sessionId: z.number().int().positive(), reason: z.string().trim().min(4).max(500) })
  .strict();
export type StaleListExceptionInput = z.infer<typeof staleListExceptionInput>;

export const linkSettingsInput = z.object({ banListMaxAgeDays: z.number().int().min(1).max(365) }).strict();
