import { createCipheriv, createDecipheriv, createHash, createHmac, randomBytes } from 'node:crypto';
import { randomFromBlocks, type RandomSource } from '../shared/random';

/** File name (in <data>/keys) of the server key that wraps opened data keys. */
export const PAPER_WRAP_KEY_FILE = 'paper-wrap-key';

/** One AES-256-GCM box: a fresh 96-bit IV per message, the 128-bit tag kept beside the ciphertext. */
export type Box = { iv: Buffer; tag: Buffer; ciphertext: Buffer };

export function seal(key: Buffer, plaintext: Buffer, aad: string): Box {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(aad, 'utf8'));
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return { iv, tag: cipher.getAuthTag(), ciphertext };
}

/** Throws when the key is wrong or any byte of iv, tag, ciphertext or aad was changed. */
export function unseal(key: Buffer, box: Box, aad: string): Buffer {
  const decipher = createDecipheriv('aes-256-gcm', key, box.iv);
  decipher.setAAD(Buffer.from(aad, 'utf8'));
  decipher.setAuthTag(box.tag);
  return Buffer.concat([decipher.update(box.ciphertext), decipher.final()]);
}

/** Packs a box into one blob (iv ‖ tag ‖ ciphertext) for single-column storage. */
export const packBox = (b: Box): Buffer => Buffer.concat([b.iv, b.tag, b.ciphertext]);
export const unpackBox = (blob: Buffer): Box => ({
  iv: blob.subarray(0, 12),
  tag: blob.subarray(12, 28),
  ciphertext: blob.subarray(28),
});

/** The hash the manifest signs for each paper: over iv, tag and ciphertext, so none can change unseen. */
export const boxHash = (b: Box): string =>
  createHash('sha256').update(b.iv).update(b.tag).update(b.ciphertext).digest('hex');

// Additional data binds each box to its place: a paper cannot be moved to another candidate or seal.
export const paperAad = (sealUid: string, registrationId: number) => `exam-center/paper/1|${sealUid}|${registrationId}`;
export const seedAad = (sealUid: string) => `exam-center/seed/1|${sealUid}`;
export const wrapAad = (sealUid: string) => `exam-center/wrap/1|${sealUid}`;

/**
 * Hides a paper until the seed is disclosed, yet lets an auditor check a re-derived paper against the
 * signed manifest afterwards: HMAC-SHA256 keyed by the seed (secret until opening) over the paper.
 */
export const paperCommitment = (seed: Buffer, registrationId: number, canonicalPaper: Buffer | string): string =>
  createHmac('sha256', seed).update(`${registrationId}\n`).update(canonicalPaper).digest('hex');

export const seedHash = (seed: Buffer): string => createHash('sha256').update(seed).digest('hex');

/**
 * Deterministic random source for paper draws: AES-256-CTR keystream (a standard PRG) under
 * HMAC-SHA256(seed, label). Anyone holding the disclosed seed re-derives the same stream with any AES
 * implementation; ~100× faster than one SHA-256 call per 32 bytes, which matters for 1,000 papers.
 */
export function streamRandom(seed: Buffer, label: string): RandomSource {
  const key = createHmac('sha256', seed).update(label).digest();
  const cipher = createCipheriv('aes-256-ctr', key, Buffer.alloc(16));
  const zeros = Buffer.alloc(4096);
  return randomFromBlocks(() => cipher.update(zeros));
}
