import { createPrivateKey, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';
import {
  LINK_MESSAGE_BODIES,
  linkBundle,
  signedLinkMessage,
  type BanFreshness,
  type BanListBody,
  type LinkBundle,
  type LinkMessage,
  type LinkMessageBody,
  type LinkMessageType,
  type LinkOutcome,
  type SignedBanFreshness,
  type SignedLinkBundle,
  type SignedLinkMessage,
} from '../protocol/regulator';
import { canonicalJson, sha256Hex } from './canonical-json';

// Signing and checking what crosses the regulator link (issue 14). Used by both ends: the centre signs with its
// institution key and checks with the regulator's public key; the regulator signs with its own key and checks
// with the key it pinned for the centre. Never a key carried in the thing being verified.

export type Signer = { sign(data: Buffer | string): Buffer };

export function privateKeySigner(privatePem: string | KeyObject): Signer {
  const key = typeof privatePem === 'string' ? createPrivateKey(privatePem) : privatePem;
  return { sign: (data) => sign(null, typeof data === 'string' ? Buffer.from(data) : data, key) };
}

function signatureValid(key: KeyObject | string, data: string, signature: string): boolean {
  try {
    const k = typeof key === 'string' ? createPublicKey(key) : key;
    return verify(null, Buffer.from(data), k, Buffer.from(signature, 'base64'));
  } catch {
    return false;
  }
}

export function signLinkMessage(message: LinkMessage, signer: Signer): SignedLinkMessage {
  return { message, signature: signer.sign(canonicalJson(message)).toString('base64') };
}

/** What the receiver stores to recognise a duplicate: the hash of the signed message. */
export const linkMessageHash = (m: SignedLinkMessage): string => sha256Hex(canonicalJson(m));

export function signFreshness(statement: BanFreshness, signer: Signer): SignedBanFreshness {
  return { statement, signature: signer.sign(canonicalJson(statement)).toString('base64') };
}
export const freshnessValid = (f: SignedBanFreshness, key: KeyObject | string): boolean =>
  signatureValid(key, canonicalJson(f.statement), f.signature);

export function signBundle(bundle: LinkBundle, signer: Signer): SignedLinkBundle {
  return { bundle, signature: signer.sign(canonicalJson(bundle)).toString('base64') };
}
export const bundleSignatureValid = (b: SignedLinkBundle, key: KeyObject | string): boolean =>
  signatureValid(key, canonicalJson(b.bundle), b.signature);
export const signedPayloadValid = (payload: unknown, signature: string, key: KeyObject | string): boolean =>
  signatureValid(key, canonicalJson(payload), signature);
export const signPayload = (payload: unknown, signer: Signer): string =>
  signer.sign(canonicalJson(payload)).toString('base64');

/** Parses a bundle file's text; throws an Error naming what is wrong. */
export function parseBundleFile(textContent: string): SignedLinkBundle {
  let raw: unknown;
  try {
    raw = JSON.parse(textContent);
  } catch (err) {
    throw new Error(`not a bundle file: ${(err as Error).message}`);
  }
  const outer = (raw ?? {}) as { bundle?: unknown; signature?: unknown };
  const bundle = linkBundle.safeParse(outer.bundle);
  if (!bundle.success || typeof outer.signature !== 'string')
    throw new Error(
      `not a bundle file: ${bundle.success ? 'signature missing' : bundle.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
    );
  return { bundle: bundle.data, signature: outer.signature };
}

/** Where the receiver stands on one channel (from one sender to it). */
export type ChannelState = {
  /** Highest seq applied from this sender (0: none yet). */
  lastSeq: number;
  /** Hash of the message applied at `seq`, or null if none was. */
  hashAt(seq: number): string | null;
};

/**
 * Decides what to do with one incoming message, before its body is applied: the one rule both ends follow.
 * `apply` is returned only for a correctly signed message to `me`, from `expectedFrom`, of a type that may go
 * that way, numbered exactly lastSeq + 1, with a body matching its type's schema.
 */
export function judgeLinkMessage(
  raw: unknown,
  opts: {
    me: string;
    expectedFrom: string;
    senderKey: KeyObject | string | null;
    allowedTypes: readonly LinkMessageType[];
    channel: ChannelState;
  },
): { outcome: LinkOutcome; message?: LinkMessage; hash?: string } {
  const parsed = signedLinkMessage.safeParse(raw);
  const seqOf = (x: unknown): number => {
    const s = (x as { message?: { seq?: unknown } } | null)?.message?.seq;
    return typeof s === 'number' && Number.isInteger(s) ? s : 0;
  };
  const refuse = (code: Extract<LinkOutcome, { status: 'refused' }>['code'], reason: string, seq = seqOf(raw)) => ({
    outcome: { seq, status: 'refused' as const, code, reason },
  });
  if (!parsed.success)
    return refuse('malformed', parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
  const m = parsed.data.message;
  if (m.to !== opts.me) return refuse('wrong-recipient', `addressed to ${m.to}, not ${opts.me}`, m.seq);
  if (m.from !== opts.expectedFrom)
    return refuse('unknown-sender', `from ${m.from}, expected ${opts.expectedFrom}`, m.seq);
  if (!opts.senderKey) return refuse('unknown-sender', `no key pinned for ${m.from}`, m.seq);
  if (!signatureValid(opts.senderKey, canonicalJson(m), parsed.data.signature))
    return refuse('bad-signature', `signature does not verify with the key pinned for ${m.from}`, m.seq);
  if (!opts.allowedTypes.includes(m.type))
    return refuse('wrong-direction', `${m.type} may not be sent by ${m.from}`, m.seq);
  const hash = linkMessageHash(parsed.data);
  if (m.seq <= opts.channel.lastSeq) {
    // The same message again changes nothing (idempotent); a different one under a used number is a replay.
    if (opts.channel.hashAt(m.seq) === hash) return { outcome: { seq: m.seq, status: 'duplicate' }, message: m, hash };
    return refuse('replayed', `message ${m.seq} was already used by a different message`, m.seq);
  }
  if (m.seq !== opts.channel.lastSeq + 1)
    return refuse('out-of-order', `message ${m.seq} arrived before ${opts.channel.lastSeq + 1}`, m.seq);
  const body = LINK_MESSAGE_BODIES[m.type].safeParse(m.body);
  if (!body.success)
    return refuse(
      'malformed',
      `${m.type}: ${body.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
      m.seq,
    );
  return { outcome: { seq: m.seq, status: 'applied' }, message: { ...m, body: body.data }, hash };
}

/** The parsed body of a message judged `applied` (judgeLinkMessage already checked it against its schema). */
export function bodyOf<T extends LinkMessageType>(m: LinkMessage, type: T): LinkMessageBody<T> {
  return LINK_MESSAGE_BODIES[type].parse(m.body) as LinkMessageBody<T>;
}

/** The hash a freshness statement names (`listSha256`): of the ban list body, canonical JSON. Both ends use it. */
export const banListSha256 = (body: BanListBody): string => sha256Hex(canonicalJson(body));
