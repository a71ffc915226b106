import {
  createCipheriv,
  createDecipheriv,
  createPrivateKey,
  createPublicKey,
  diffieHellman,
  generateKeyPairSync,
  hkdfSync,
  randomBytes,
  type KeyObject,
} from 'node:crypto';
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { z } from 'zod';
import type { HashedItem } from '../bank/bank-format';
import type { Paper } from '../papers/draw';
import { canonicalJson, sha256Hex } from '../shared/canonical-json';
import { CONFIDENTIAL_ALGORITHM } from './archive-format';

/** What only the regulator may read: the whole exam pool of the bank version and every drawn paper. */
export type ConfidentialContent = {
  bankItems: HashedItem[];
  papers: { registrationId: number; paper: Paper }[];
};

export const sealedEntrySchema = z
  .object({
    alg: z.literal(CONFIDENTIAL_ALGORITHM),
    sessionId: z.number(),
    regulatorKey: z.string(), // SHA-256 of the regulator's raw X25519 public key, hex
    ephemeralKey: z.string(), // raw 32-byte X25519 public key, base64
    nonce: z.string(),
    tag: z.string(),
    plaintextSha256: z.string(), // of the canonical plaintext: lets the verifier tie the contents to the manifest
    ciphertext: z.string(),
  })
  .strict();
export type SealedEntry = z.infer<typeof sealedEntrySchema>;

const rawX25519 = (k: KeyObject): Buffer => {
  const der = k.export({ type: 'spki', format: 'der' });
  return der.subarray(der.length - 32);
};
const x25519FromRaw = (raw: Buffer): KeyObject =>
  createPublicKey({
    key: Buffer.concat([Buffer.from('302a300506032b656e032100', 'hex'), raw]),
    format: 'der',
    type: 'spki',
  });

export const regulatorKeyId = (publicKey: KeyObject): string => sha256Hex(rawX25519(publicKey));

function aeadKey(shared: Buffer, ephemeral: Buffer, recipient: Buffer): Buffer {
  return Buffer.from(
    hkdfSync('sha256', shared, Buffer.concat([ephemeral, recipient]), `${CONFIDENTIAL_ALGORITHM} key`, 32),
  );
}

const aadOf = (e: Pick<SealedEntry, 'alg' | 'sessionId' | 'regulatorKey' | 'ephemeralKey' | 'plaintextSha256'>) =>
  Buffer.from(
    canonicalJson({
      alg: e.alg,
      sessionId: e.sessionId,
      regulatorKey: e.regulatorKey,
      ephemeralKey: e.ephemeralKey,
      plaintextSha256: e.plaintextSha256,
    }),
  );

/** Encrypts the confidential content to the regulator's X25519 public key (construction: archive-format.ts). */
export function sealConfidential(content: ConfidentialContent, regulator: KeyObject, sessionId: number): SealedEntry {
  if (regulator.asymmetricKeyType !== 'x25519') throw new Error('the regulator encryption key must be X25519');
  const plain = Buffer.from(canonicalJson(content), 'utf8');
  const eph = generateKeyPairSync('x25519');
  const ephRaw = rawX25519(eph.publicKey);
  const key = aeadKey(
    diffieHellman({ privateKey: eph.privateKey, publicKey: regulator }),
    ephRaw,
    rawX25519(regulator),
  );
  const nonce = randomBytes(12);
  const head = {
    alg: CONFIDENTIAL_ALGORITHM,
    sessionId,
    regulatorKey: regulatorKeyId(regulator),
    ephemeralKey: ephRaw.toString('base64'),
    plaintextSha256: sha256Hex(plain),
  } as const;
  const cipher = createCipheriv('aes-256-gcm', key, nonce);
  cipher.setAAD(aadOf(head));
  const ciphertext = Buffer.concat([cipher.update(deflateRawSync(plain)), cipher.final()]);
  return {
    ...head,
    nonce: nonce.toString('base64'),
    tag: cipher.getAuthTag().toString('base64'),
    ciphertext: ciphertext.toString('base64'),
  };
}

export type OpenResult = { ok: true; content: ConfidentialContent } | { ok: false; reason: string };

/** Decrypts with the regulator's X25519 private key (PEM text or KeyObject); says why when it cannot. */
export function openConfidential(entry: SealedEntry, privateKey: KeyObject | string): OpenResult {
  let priv: KeyObject;
  try {
    priv = typeof privateKey === 'string' ? createPrivateKey(privateKey) : privateKey;
  } catch {
    return { ok: false, reason: 'the regulator key is not a readable private key' };
  }
  if (priv.asymmetricKeyType !== 'x25519')
    return { ok: false, reason: `the regulator key is ${priv.asymmetricKeyType ?? 'unknown'}, not X25519` };
  const pub = createPublicKey(priv);
  if (regulatorKeyId(pub) !== entry.regulatorKey)
    return { ok: false, reason: 'encrypted to another regulator key than the one given' };
  try {
    const ephRaw = Buffer.from(entry.ephemeralKey, 'base64');
    const key = aeadKey(diffieHellman({ privateKey: priv, publicKey: x25519FromRaw(ephRaw) }), ephRaw, rawX25519(pub));
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(entry.nonce, 'base64'));
    decipher.setAAD(aadOf(entry));
    decipher.setAuthTag(Buffer.from(entry.tag, 'base64'));
    const packed = Buffer.concat([decipher.update(Buffer.from(entry.ciphertext, 'base64')), decipher.final()]);
    const plain = inflateRawSync(packed);
    if (sha256Hex(plain) !== entry.plaintextSha256) return { ok: false, reason: 'plaintext hash differs' };
    return { ok: true, content: JSON.parse(plain.toString('utf8')) as ConfidentialContent };
  } catch {
    return { ok: false, reason: 'does not decrypt (altered, or another key): AES-GCM authentication failed' };
  }
}
