import { z } from 'zod';
import type { SessionDetail, RosterRow } from './sessions';

/** JPEG/PNG data URL of a webcam frame; ≤ 250,000 base64 characters (the API body limit is 256 KB) keeps evidence small and the request bounded. */
export const MAX_SNAPSHOT_CHARS = 250_000;
export const imageDataUrl = z
  .string()
  .max(MAX_SNAPSHOT_CHARS, 'image larger than about 180 KB')
  .regex(/^data:image\/(jpeg|png);base64,[A-Za-z0-9+/=]+$/, 'a JPEG or PNG data URL');

export const candidateSnapshotRequest = z.union([
  z.object({ camera: z.literal('available'), image: imageDataUrl }).strict(),
  z.object({ camera: z.literal('none'), reason: z.string().max(200).default('') }).strict(),
]);
export type CandidateSnapshotRequest = z.infer<typeof candidateSnapshotRequest>;

export const IDENTITY_OUTCOMES = ['pass', 'fail', 'override'] as const;
/**
 * 人证核验 without a registered photo (issue 13, hole 15): the proctor records what was checked instead —
 * the number read from the ID card (must match the registration) and that the card's photo was compared
 * with the person. Required to pass (or override) a candidate who has no registered photo.
 */
export const idCardCheck = z.object({ number: z.string().trim().min(1).max(18), photoCompared: z.boolean() }).strict();
export type IdCardCheck = z.infer<typeof idCardCheck>;
export const identityCheckRequest = z
  .object({
    outcome: z.enum(IDENTITY_OUTCOMES),
    note: z.string().trim().max(500).default(''),
    idCard: idCardCheck.optional(),
  })
  .strict();

export const INCIDENT_TYPES = [
  'phone', // 携带手机
  'cheating', // 作弊
  'impersonation', // 替考
  'disruption', // 扰乱考场
  'equipment', // 设备故障
  'health', // 身体不适
  'other',
] as const;
export const incidentRequest = z
  .object({
    type: z.enum(INCIDENT_TYPES),
    registrationId: z.number().int().positive().optional(),
    seatNo: z.number().int().positive().optional(),
    note: z.string().trim().min(1).max(2000),
    photo: imageDataUrl.optional(),
  })
  .strict();
export type IncidentRequest = z.infer<typeof incidentRequest>;

export const proctorMessageRequest = z
  .object({ kind: z.enum(['warning', 'notice']), text: z.string().trim().min(1).max(500) })
  .strict();
export type ProctorMessage = { kind: 'warning' | 'notice' | 'broadcast'; text: string; at: number };

export const attachVideoRequest = z
  .object({
    path: z.string().min(1).max(1000),
    startsAt: z.number().int().nonnegative(),
    endsAt: z.number().int().nonnegative(),
    includeFile: z.boolean().default(false),
  })
  .strict();

export type IdentityState = 'unchecked' | 'passed' | 'failed' | 'locked';

export type SeatRow = RosterRow & {
  online: boolean;
  identity: IdentityState;
  identityFailures: number;
  snapshot: 'taken' | 'no-camera' | null;
  incidents: number;
  focusLosses: number;
  flagged: boolean;
};

/** A server outage as the console shows it: when the server came back, how long it was gone, time given back. */
export type OutageInfo = { at: number; outageMs: number; compensatedMs: number };

export type SeatGrid = Omit<SessionDetail, 'roster'> & {
  seats: SeatRow[];
  seatCount: number;
  outages: OutageInfo[];
  identityReport: IdentityReport;
};

export type EvidenceInfo = {
  id: number;
  kind: string;
  camera: 'available' | 'none';
  sha256: string | null;
  size: number | null;
  at: number;
};
/** basis: what a pass rested on — the registered photo, or (none registered) the ID card read and compared. */
export type IdentityBasis = 'photo' | 'id-card';
export type IdentityCheckInfo = {
  id: number;
  outcome: string;
  note: string;
  checkedBy: string;
  at: number;
  basis: IdentityBasis | null;
};
/** How this session's identity checks were made, for officials (issue 13, hole 15). */
export type IdentityReport = {
  passedByPhoto: number;
  passedByIdCard: number;
  overrides: number;
  failures: number;
};
export type IdentityView = {
  registrationId: number;
  name: string;
  seatNo: number;
  idNumberMasked: string;
  registeredPhoto: string | null;
  snapshots: EvidenceInfo[];
  checks: IdentityCheckInfo[];
  state: IdentityState;
};

export type IncidentInfo = {
  id: number;
  sessionId: number;
  registrationId: number | null;
  seatNo: number | null;
  type: string;
  note: string;
  photoId: number | null;
  reportedBy: string;
  at: number;
};

export type RoomVideoInfo = {
  id: number;
  name: string;
  path: string;
  sha256: string;
  size: number;
  startsAt: number;
  endsAt: number;
  includeFile: boolean;
  at: number;
};
