import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  sign,
  verify,
  type KeyObject,
} from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const INSTITUTION_PRIVATE_KEY_FILE = 'institution-ed25519.key.pem';
export const INSTITUTION_PUBLIC_KEY_FILE = 'institution-ed25519.pub.pem';

/**
 * The institution's Ed25519 signing key. It signs seal manifests (and, later, event-chain heads and
 * archives) so that anybody holding only the public key can check them offline (design.md, Trust boundaries).
 */
export interface InstitutionKey {
  readonly publicKey: KeyObject;
  readonly publicKeyPem: string;
  /** SHA-256 of the raw 32-byte public key, hex in groups of 4, e.g. "3f2a 9c01 …" — read aloud to officials. */
  readonly fingerprint: string;
  sign(data: Buffer | string): Buffer;
}

/** Raw 32-byte Ed25519 public key (the last 32 bytes of its SPKI DER encoding). */
export function rawPublicKey(publicKey: KeyObject): Buffer {
  const der = publicKey.export({ type: 'spki', format: 'der' });
  return der.subarray(der.length - 32);
}

export function publicKeyFingerprint(publicKey: KeyObject | string): string {
  const key = typeof publicKey === 'string' ? createPublicKey(publicKey) : publicKey;
  const hex = createHash('sha256').update(rawPublicKey(key)).digest('hex');
  return hex.match(/.{4}/g)!.join(' ');
}

/** Checks an Ed25519 signature with a public key alone (what an offline verifier has). */
export function verifyInstitutionSignature(
  publicKey: KeyObject | string,
  data: Buffer | string,
  signature: Buffer,
): boolean {
  const key = typeof publicKey === 'string' ? createPublicKey(publicKey) : publicKey;
  try {
    return verify(null, typeof data === 'string' ? Buffer.from(data, 'utf8') : data, key, signature);
  } catch {
    return false;
  }
}

function fromPrivateKey(privateKey: KeyObject): InstitutionKey {
  const publicKey = createPublicKey(privateKey);
  return {
    publicKey,
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    fingerprint: publicKeyFingerprint(publicKey),
    sign: (data) => sign(null, typeof data === 'string' ? Buffer.from(data, 'utf8') : data, privateKey),
  };
}

/**
 * Loads the institution key from <data>/keys/, generating it on first start. The private key file is
 * mode 0600; the public key is written beside it so verifiers and exports can read it without the secret.
 */
export function loadOrCreateInstitutionKey(dataDir: string): InstitutionKey {
  const dir = join(dataDir, 'keys');
  const privateFile = join(dir, INSTITUTION_PRIVATE_KEY_FILE);
  const publicFile = join(dir, INSTITUTION_PUBLIC_KEY_FILE);
  if (existsSync(privateFile)) {
    const key = fromPrivateKey(createPrivateKey(readFileSync(privateFile, 'utf8')));
    if (!existsSync(publicFile)) writeFileSync(publicFile, key.publicKeyPem, { mode: 0o644 });
    return key;
  }
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const { privateKey } = generateKeyPairSync('ed25519');
  // 'wx': never overwrite a key another process has just created; signatures would stop verifying.
  writeFileSync(privateFile, privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), {
    mode: 0o600,
    flag: 'wx',
  });
  chmodSync(privateFile, 0o600);
  const key = fromPrivateKey(privateKey);
  writeFileSync(publicFile, key.publicKeyPem, { mode: 0o644 });
  return key;
}

/** Reads only the public key from a data folder (for `papers verify` and other offline checks). */
export function readInstitutionPublicKey(dataDir: string): KeyObject | null {
  const dir = join(dataDir, 'keys');
  const publicFile = join(dir, INSTITUTION_PUBLIC_KEY_FILE);
  if (existsSync(publicFile)) return createPublicKey(readFileSync(publicFile, 'utf8'));
  const privateFile = join(dir, INSTITUTION_PRIVATE_KEY_FILE);
  if (existsSync(privateFile)) return createPublicKey(createPrivateKey(readFileSync(privateFile, 'utf8')));
  return null;
}

/** A key held only in memory: for tests and for an app created without a data folder. */
export function ephemeralInstitutionKey(): InstitutionKey {
  return fromPrivateKey(generateKeyPairSync('ed25519').privateKey);
}
