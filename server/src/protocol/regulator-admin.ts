import { z } from 'zod';
import { centreCode, type LinkOutcome, type LinkMessageType } from './regulator';

// The regulator console's REST payloads (issue 14): accounts, centres, officials, province-wide bans, the link
// log and bundle files. zod for what the console sends, plain types for what the regulator answers.

const text = (max: number) => z.string().trim().min(1).max(max);
const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'YYYY-MM-DD');
const username = z.string().regex(/^[a-z0-9_.-]{2,64}$/i, 'username: 2–64 of a–z, 0–9, _ . -');

// ---- accounts ----

/** `regulator_admin` manages centres, officials, bans and keys; `official` reads, searches and opens cases. */
export const REGULATOR_ROLES = ['regulator_admin', 'official'] as const;
export const regulatorRole = z.enum(REGULATOR_ROLES);
export type RegulatorRole = z.infer<typeof regulatorRole>;

export const regulatorLoginRequest = z.object({
  username: z.string().min(1).max(64),
  password: z.string().min(1).max(200),
});
export type RegulatorLoginRequest = z.infer<typeof regulatorLoginRequest>;
export type RegulatorAccount = {
  id: number;
  username: string;
  name: string;
  role: RegulatorRole;
  /** A first admin's one-time password (`regulator init`) should be replaced: POST /api/auth/password. */
  mustChangePassword: boolean;
};
/** POST /api/auth/password: an official's new password also goes to every centre in a signed grant. */
export const regulatorPasswordChange = z
  .object({ currentPassword: z.string().min(1).max(200), newPassword: z.string().min(10).max(200) })
  .strict();
export type RegulatorPasswordChange = z.infer<typeof regulatorPasswordChange>;
export type RegulatorLoginResponse = { token: string; expiresAt: number; account: RegulatorAccount };

// ---- centres ----

export const registerCentreInput = z
  .object({
    code: centreCode,
    name: text(100),
    creditCode: z
      .string()
      .regex(/^[0-9A-Z]{18}$/, '18-character 统一社会信用代码')
      .optional(),
    publicKeyPem: z.string().min(40).max(1000),
  })
  .strict();
export type RegisterCentreInput = z.infer<typeof registerCentreInput>;

export type CentreRow = {
  id: number;
  code: string;
  name: string;
  creditCode: string | null;
  /** Fingerprint of the pinned key (SHA-256 of the raw Ed25519 key, groups of 4 hex). */
  fingerprint: string;
  registeredAt: number;
  lastContactAt: number | null;
  lastContactVia: 'link' | 'bundle' | null;
  /** Regulator→centre messages the centre has not acknowledged yet. */
  pendingOut: number;
  /** Highest regulator→centre seq the centre acknowledged. */
  ackedSeq: number;
  /** Highest centre→regulator seq the regulator applied. */
  receivedSeq: number;
  /** Archives expected and never received (H3's intake; null when not computed). */
  missingArchives: number | null;
};

export type CentreKeyRow = { fingerprint: string; publicKeyPem: string; pinnedAt: number; replacedAt: number | null };
export type CentreDetail = CentreRow & { publicKeyPem: string; keys: CentreKeyRow[] };

// ---- officials ----

/** Create an official, or give an existing one a new password (no password: the regulator makes one). */
export const officialInput = z
  .object({ username, name: text(50), password: z.string().min(8).max(200).optional() })
  .strict();
export type OfficialInput = z.infer<typeof officialInput>;
export type OfficialRow = {
  id: number;
  username: string;
  name: string;
  disabled: boolean;
  createdAt: number;
  /** The newest grant: its action and validity. */
  lastAction: 'create' | 'update' | 'disable';
  grantIssuedAt: number;
  grantExpiresAt: number;
};
export type OfficialSaved = {
  official: OfficialRow;
  /** The password when the regulator generated it (shown once); null when the admin gave one. */
  oneTimePassword: string | null;
  /** How many centres the signed grant was queued to. */
  queuedTo: number;
};

// ---- province-wide bans ----

export const PERSON_BAN_REASONS = ['conduct', 'data_breach', 'recusal_skipped'] as const;
export const banInput = z.discriminatedUnion('kind', [
  z
    .object({
      kind: z.literal('person'),
      idNumber: z.string().regex(/^\d{17}[\dX]$/, '18-character ID number'),
      name: text(50),
      reason: z.enum(PERSON_BAN_REASONS),
      decisionDate: day,
      authority: text(100),
      documentNo: text(100),
      summary: text(500),
    })
    .strict(),
  z
    .object({
      kind: z.literal('organisation'),
      creditCode: z.string().regex(/^[0-9A-Z]{18}$/, '18-character 统一社会信用代码'),
      name: text(100),
      decisionDate: day,
      authority: text(100),
      documentNo: text(100),
      summary: text(500),
    })
    .strict(),
]);
export type BanInput = z.infer<typeof banInput>;
export const liftBanInput = z.object({ authority: text(100), documentNo: text(100), reason: text(500) }).strict();
export type LiftBanInput = z.infer<typeof liftBanInput>;

export type BanRow = {
  id: number;
  kind: 'person' | 'organisation';
  /** ID number (person) or 统一社会信用代码 (organisation). */
  subject: string;
  name: string;
  reason: (typeof PERSON_BAN_REASONS)[number] | null;
  decisionDate: string;
  /** Organisations: decisionDate + 3 years − 1 day; people: null (permanent). */
  barredUntil: string | null;
  authority: string;
  documentNo: string;
  summary: string;
  createdAt: number;
  createdBy: string;
  lifted: { at: number; by: string; authority: string; documentNo: string; reason: string } | null;
};
export type BanListState = {
  /** Version of the newest published list (0: none yet). */
  version: number;
  issuedAt: number | null;
  /** Every record, lifted ones included (they are absent from the published list). */
  bans: BanRow[];
};
export type BanSaved = { ban: BanRow; version: number; queuedTo: number };

// ---- link log and bundles ----

export type LinkLogRow = {
  id: number;
  at: number;
  via: 'link' | 'bundle';
  centreCode: string | null;
  seq: number;
  type: LinkMessageType | null;
  outcome: 'refused' | 'duplicate';
  code: string | null;
  reason: string;
  /** Hash chain: each row's hash covers its fields and the previous row's hash. */
  prevHash: string;
  hash: string;
};
export type LinkLogPage = { rows: LinkLogRow[]; chainValid: boolean };

export type BundleImportResult = {
  from: string;
  outcomes: LinkOutcome[];
  /** Highest regulator→centre seq the bundle acknowledged. */
  acked: number;
};
