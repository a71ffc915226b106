import { createPrivateKey, createPublicKey, generateKeyPairSync } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { publicKeyFingerprint } from '../shared/institution-key';
import { privateKeySigner, type Signer } from '../shared/link-signing';

export const REGULATOR_SIGNING_KEY_FILE = 'regulator-ed25519.key.pem';
// The same names a centre gives the public halves in its own keys/ (conduct/grants.ts): the operator copies them.
export const REGULATOR_PUBLIC_KEY_FILE = 'regulator.pub';
export const REGULATOR_ENCRYPTION_KEY_FILE = 'regulator-x25519.key';
export const REGULATOR_ENCRYPTION_PUBLIC_KEY_FILE = 'regulator-x25519.pub';

export type RegulatorKeys = {
  signer: Signer;
  /** Ed25519 SPKI PEM: what each centre installs as keys/regulator.pub. */
  publicKeyPem: string;
  fingerprint: string;
  /** PKCS8 PEM of the signing key: grants are signed with it (conduct/grants.ts signGrant takes a PEM). */
  privatePem: string;
  /** X25519: archives carry their exam pool encrypted to it (issue 13). */
  encPrivatePem: string;
  encPublicKeyPem: string;
};

export const regulatorKeysDir = (regDataDir: string) => join(regDataDir, 'keys');

function writeSecret(file: string, pem: string): void {
  // 'wx': never overwrite a key another process has just created.
  writeFileSync(file, pem, { mode: 0o600, flag: 'wx' });
  chmodSync(file, 0o600);
}

/**
 * The regulator's keys, kept only in its data folder: created on first start (or `regulator init`). The
 * public halves are written beside them for the operator to hand to each centre out of band.
 */
export function loadOrCreateRegulatorKeys(regDataDir: string): RegulatorKeys {
  const dir = regulatorKeysDir(regDataDir);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const signFile = join(dir, REGULATOR_SIGNING_KEY_FILE);
  const encFile = join(dir, REGULATOR_ENCRYPTION_KEY_FILE);
  if (!existsSync(signFile))
    writeSecret(
      signFile,
      generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    );
  if (!existsSync(encFile))
    writeSecret(encFile, generateKeyPairSync('x25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString());
  const privatePem = readFileSync(signFile, 'utf8');
  const encPrivatePem = readFileSync(encFile, 'utf8');
  const signing = createPrivateKey(privatePem);
  const publicKeyPem = createPublicKey(signing).export({ type: 'spki', format: 'pem' }).toString();
  const encPublicKeyPem = createPublicKey(createPrivateKey(encPrivatePem))
    .export({ type: 'spki', format: 'pem' })
    .toString();
  const pubFile = join(dir, REGULATOR_PUBLIC_KEY_FILE);
  const encPubFile = join(dir, REGULATOR_ENCRYPTION_PUBLIC_KEY_FILE);
  if (!existsSync(pubFile) || readFileSync(pubFile, 'utf8') !== publicKeyPem) writeFileSync(pubFile, publicKeyPem);
  if (!existsSync(encPubFile) || readFileSync(encPubFile, 'utf8') !== encPublicKeyPem)
    writeFileSync(encPubFile, encPublicKeyPem);
  return {
    signer: privateKeySigner(signing),
    publicKeyPem,
    fingerprint: publicKeyFingerprint(publicKeyPem),
    privatePem,
    encPrivatePem,
    encPublicKeyPem,
  };
}

/** Keys held only in memory: for tests. */
export function ephemeralRegulatorKeys(): RegulatorKeys {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const enc = generateKeyPairSync('x25519');
  const publicKeyPem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
  return {
    signer: privateKeySigner(privateKey),
    publicKeyPem,
    fingerprint: publicKeyFingerprint(publicKeyPem),
    privatePem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    encPrivatePem: enc.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    encPublicKeyPem: enc.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  };
}
