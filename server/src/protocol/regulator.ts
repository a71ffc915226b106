import { z } from 'zod';
import { signedGrant } from './official-grant';

// The link between an exam centre and its regulator (监管端, issue 14). Everything that crosses it — over
// HTTP or in a bundle file carried on a USB stick — is a signed, numbered message. The regulator verifies a
// centre's messages against the key it pinned when it registered the centre; a centre verifies the
// regulator's against the regulator public key it was given out of band (keys/regulator.pub).

/** The regulator's name as a party on the link. Centres are named by the code the regulator gave them. */
export const REGULATOR_PARTY = 'regulator';
export const centreCode = z.string().regex(/^[A-Z0-9][A-Z0-9-]{1,31}$/, 'centre code: 2–32 of A–Z, 0–9, -');
const party = z.union([z.literal(REGULATOR_PARTY), centreCode]);
const base64 = z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/, 'base64');
const sha256 = z.string().regex(/^[0-9a-f]{64}$/, 'SHA-256 hex');
const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'YYYY-MM-DD');
const idNumber = z.string().regex(/^\d{17}[\dX]$/, '18-character ID number');
const text = (max: number) => z.string().trim().min(1).max(max);

// ---- what the regulator sends to a centre ----

/** First message to a new centre: who it is at the regulator, and the key the regulator pinned for it. */
export const centreRegisteredBody = z
  .object({ centreCode, name: text(100), pinnedFingerprint: z.string().min(10).max(100) })
  .strict();

export const officialGrantBody = z.object({ grant: signedGrant }).strict();

/** One province-wide ban. Disciplinary records are permanent; dishonest organisations are barred for 3 years. */
export const provinceBanRecord = z.discriminatedUnion('kind', [
  z
    .object({
      kind: z.literal('person'),
      id: z.number().int().positive(),
      idNumber,
      name: text(50),
      reason: z.enum(['conduct', 'data_breach', 'recusal_skipped']),
      decisionDate: day,
      authority: text(100),
      documentNo: text(100),
      summary: text(500),
    })
    .strict(),
  z
    .object({
      kind: z.literal('organisation'),
      id: z.number().int().positive(),
      creditCode: z.string().regex(/^[0-9A-Z]{18}$/, '18-character 统一社会信用代码'),
      name: text(100),
      decisionDate: day,
      /** Last day barred: decisionDate + 3 years − 1 day. */
      barredUntil: day,
      authority: text(100),
      documentNo: text(100),
      summary: text(500),
    })
    .strict(),
]);
export type ProvinceBanRecord = z.infer<typeof provinceBanRecord>;

/** The whole list in force: versioned; a record lifted by the regulator is simply absent from the next version. */
export const banListBody = z
  .object({
    version: z.number().int().positive(),
    issuedAt: z.number().int().positive(),
    records: z.array(provinceBanRecord),
  })
  .strict();
export type BanListBody = z.infer<typeof banListBody>;

// ---- what a centre sends to the regulator ----

const noticePerson = z.object({ idNumber, name: text(50) }).strict();
const noticeOrg = z.object({ name: text(100), creditCode: z.string().max(18).nullable() }).strict();
const trainingEngagement = z.object({ org: noticeOrg, from: day, to: day.nullable() }).strict();
export type NoticeTrainingEngagement = z.infer<typeof trainingEngagement>;
/**
 * What the regulator needs to know of a session before its archive arrives: when, what, who sits it, who
 * staffs it, which training organisation trained each candidate. Sent at sealing and at each transition.
 */
export const sessionNoticeBody = z
  .object({
    sessionCode: text(64),
    category: text(32),
    state: text(32),
    scheduledStart: z.number().int().positive(),
    scheduledEnd: z.number().int().positive(),
    candidates: z.array(
      noticePerson.extend({
        trainingOrg: noticeOrg.nullable(),
      }),
    ),
    staff: z.array(
      noticePerson.extend({
        duty: z.enum(['chief_examiner', 'proctor', 'examiner']),
        /**
         * Where the person declared teaching (training_engagements of the declaration in force), so the
         * regulator can find 考培分离 across centres. Optional: notices from before it existed still parse;
         * absent means "not told", an empty list means "declared none".
         */
        trainingEngagements: z.array(trainingEngagement).max(50).optional(),
      }),
    ),
  })
  .strict();
export type SessionNoticeBody = z.infer<typeof sessionNoticeBody>;

/** A session archive, whole. The message signature covers sha256; the regulator re-hashes the bytes. */
export const archiveSubmittedBody = z
  .object({ sessionCode: text(64), fileName: text(200), sha256, bytes: base64 })
  .strict();

/** The centre opened a session on a ban list older than allowed: the exception officials must see. */
export const staleListExceptionBody = z
  .object({
    sessionCode: text(64),
    reason: text(500),
    recordedBy: text(100),
    listVersion: z.number().int().nonnegative(),
    listAsOf: z.number().int().nonnegative(),
  })
  .strict();

/** A key change: signed by the old key (the envelope) and by the new key (newKeySignature over newPublicKeyPem). */
export const keyChangedBody = z
  .object({ newPublicKeyPem: z.string().min(40).max(1000), newKeySignature: base64 })
  .strict();

export const LINK_MESSAGE_BODIES = {
  'centre.registered': centreRegisteredBody,
  'official.grant': officialGrantBody,
  'bans.list': banListBody,
  'session.notice': sessionNoticeBody,
  'archive.submitted': archiveSubmittedBody,
  'stale-list.exception': staleListExceptionBody,
  'centre.key-changed': keyChangedBody,
} as const;
export type LinkMessageType = keyof typeof LINK_MESSAGE_BODIES;
export type LinkMessageBody<T extends LinkMessageType> = z.infer<(typeof LINK_MESSAGE_BODIES)[T]>;
export const REGULATOR_TO_CENTRE: readonly LinkMessageType[] = ['centre.registered', 'official.grant', 'bans.list'];
export const CENTRE_TO_REGULATOR: readonly LinkMessageType[] = [
  'session.notice',
  'archive.submitted',
  'stale-list.exception',
  'centre.key-changed',
];

/**
 * One message. `seq` counts from 1 per (from, to) channel with no gaps: the receiver applies seq = last + 1
 * only, so a message replayed, dropped or reordered is refused; the same message twice is a harmless duplicate.
 */
export const linkMessage = z
  .object({
    v: z.literal(1),
    kind: z.literal('exam-center.link-message'),
    from: party,
    to: party,
    seq: z.number().int().positive(),
    sentAt: z.number().int().positive(),
    type: z.enum(Object.keys(LINK_MESSAGE_BODIES) as [LinkMessageType, ...LinkMessageType[]]),
    body: z.unknown(),
  })
  .strict();
export type LinkMessage = z.infer<typeof linkMessage>;
export const signedLinkMessage = z.object({ message: linkMessage, signature: base64 }).strict();
export type SignedLinkMessage = z.infer<typeof signedLinkMessage>;

/**
 * The regulator's word that a centre's ban list is current as of `asOf`. Not numbered (it is re-issued at every
 * exchange and in every bundle); a centre keeps the newest and refuses one from the future.
 */
export const banFreshness = z
  .object({
    v: z.literal(1),
    kind: z.literal('exam-center.bans-freshness'),
    centreCode,
    version: z.number().int().nonnegative(),
    listSha256: sha256.nullable(),
    asOf: z.number().int().positive(),
  })
  .strict();
export type BanFreshness = z.infer<typeof banFreshness>;
export const signedBanFreshness = z.object({ statement: banFreshness, signature: base64 }).strict();
export type SignedBanFreshness = z.infer<typeof signedBanFreshness>;

/** A bundle file: the messages one side has for the other, carried when the link is down. */
export const linkBundle = z
  .object({
    v: z.literal(1),
    kind: z.literal('exam-center.link-bundle'),
    from: party,
    to: party,
    createdAt: z.number().int().positive(),
    /** Highest seq the sender has applied from the receiver: the receiver may stop resending those. */
    received: z.number().int().nonnegative(),
    messages: z.array(signedLinkMessage),
    freshness: signedBanFreshness.nullable(),
  })
  .strict();
export type LinkBundle = z.infer<typeof linkBundle>;
export const signedLinkBundle = z.object({ bundle: linkBundle, signature: base64 }).strict();
export type SignedLinkBundle = z.infer<typeof signedLinkBundle>;

/** What the receiver did with one message. */
export type LinkOutcome =
  | { seq: number; status: 'applied' }
  | { seq: number; status: 'duplicate' }
  | { seq: number; status: 'refused'; code: LinkRefusalCode; reason: string };
export type LinkRefusalCode =
  | 'malformed'
  | 'unknown-sender'
  | 'wrong-recipient'
  | 'bad-signature'
  | 'replayed'
  | 'out-of-order'
  | 'wrong-direction'
  | 'rejected';

/** POST /api/link/exchange at the regulator: the centre's messages in, the regulator's messages out. */
export const linkExchangeRequest = z
  .object({
    v: z.literal(1),
    kind: z.literal('exam-center.link-exchange'),
    centreCode,
    /** Highest seq of the regulator's messages this centre has applied: the regulator sends the ones after. */
    received: z.number().int().nonnegative(),
    at: z.number().int().positive(),
    messages: z.array(signedLinkMessage).max(500),
  })
  .strict();
export type LinkExchangeRequest = z.infer<typeof linkExchangeRequest>;
export const signedLinkExchange = z.object({ request: linkExchangeRequest, signature: base64 }).strict();
export type SignedLinkExchange = z.infer<typeof signedLinkExchange>;
export type LinkExchangeResponse = {
  outcomes: LinkOutcome[];
  messages: SignedLinkMessage[];
  freshness: SignedBanFreshness | null;
};
