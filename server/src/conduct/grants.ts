import { createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { grantBody, type GrantBody, type SignedGrant } from '../protocol/official-grant';
import { canonicalJson, sha256Hex } from '../shared/canonical-json';
import { loadOrCreateRegulatorKeys } from '../regulator/regulator-keys';

/**
 * Officials' accounts (README "Officials' accounts"). Regulators supervise the institution (notice §二(三)),
 * so the institution alone must not be able to create, change or disable the accounts they supervise with.
 * The regulator holds an Ed25519 key pair; the institution's server holds only its public key. Every
 * official account state (create, new password, disable) is a grant signed with the private key; the server
 * verifies the signature when installing the grant and again at every login, against the stored grant,
 * so editing the staff table (even with direct database access) does not make or change an official.
 */
export { grantBody, signedGrant, type GrantBody, type SignedGrant } from '../protocol/official-grant';

export const REGULATOR_PUBLIC_KEY_FILE = 'regulator.pub';
export const DEMO_REGULATOR_DIR = 'demo-regulator';
/**
 * The regulator's X25519 encryption key (issue 13): archives carry the exam pool and answer keys encrypted to
 * it (audit/archive-format.ts), so only the regulator can re-derive and re-score papers from an archive.
 */
export const REGULATOR_ENCRYPTION_KEY_FILE = 'regulator-x25519.key';
export const REGULATOR_ENCRYPTION_PUBLIC_KEY_FILE = 'regulator-x25519.pub';

export type RegulatorKeys = { privatePem: string; publicPem: string; encPrivatePem: string; encPublicPem: string };

export function generateRegulatorKeys(): RegulatorKeys {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const enc = generateKeyPairSync('x25519');
  return {
    privatePem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    encPrivatePem: enc.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    encPublicPem: enc.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  };
}

/**
 * The regulator's X25519 public key: $EXAM_CENTER_REGULATOR_ENC_PUB (a PEM file path) or
 * <data>/keys/regulator-x25519.pub. None: sessions cannot be archived (the pool would have nobody to go to).
 */
export function loadRegulatorEncryptionKey(
  dataDir: string | null,
  env: NodeJS.ProcessEnv = process.env,
): KeyObject | null {
  const file =
    env.EXAM_CENTER_REGULATOR_ENC_PUB ?? (dataDir ? join(dataDir, 'keys', REGULATOR_ENCRYPTION_PUBLIC_KEY_FILE) : null);
  if (!file || !existsSync(file)) return null;
  const key = createPublicKey(readFileSync(file, 'utf8'));
  return key.asymmetricKeyType === 'x25519' ? key : null;
}

export function signGrant(body: GrantBody, privatePem: string): SignedGrant {
  const key = createPrivateKey(privatePem);
  const signature = sign(null, Buffer.from(canonicalJson(body)), key).toString('base64');
  return { grant: grantBody.parse(body), signature };
}

export function grantSignatureValid(g: SignedGrant, publicKey: KeyObject): boolean {
  try {
    return verify(null, Buffer.from(canonicalJson(g.grant)), publicKey, Buffer.from(g.signature, 'base64'));
  } catch {
    return false;
  }
}

export const grantHash = (g: SignedGrant): string => sha256Hex(canonicalJson(g));

/**
 * The regulator's public key: $EXAM_CENTER_REGULATOR_PUB (a PEM file path) or <data>/keys/regulator.pub.
 * None: no official can log in (a real installation must be given the key by its regulator).
 */
export function loadRegulatorPublicKey(dataDir: string | null, env: NodeJS.ProcessEnv = process.env): KeyObject | null {
  const file = env.EXAM_CENTER_REGULATOR_PUB ?? (dataDir ? join(dataDir, 'keys', REGULATOR_PUBLIC_KEY_FILE) : null);
  if (!file || !existsSync(file)) return null;
  return createPublicKey(readFileSync(file, 'utf8'));
}

/** The demo's regulator data folder (issue 14): its own server, started beside the demo centre by `npm start`. */
export const demoRegulatorDataDir = (dataDir: string) => join(dataDir, DEMO_REGULATOR_DIR, 'regulator-data');

/**
 * DEMO ONLY: the demo regulator's keys, kept in the demo regulator's own data folder (<data>/demo-regulator/
 * regulator-data/keys, created here on first start); the centre gets only the public halves in its keys/. The
 * demo centre reads the signing key from there once, at seeding, so the demo official can log in at once; a real
 * regulator's private key never reaches an institution (README says so). No data folder (tests): in memory.
 */
export function createDemoRegulator(dataDir: string | null): { privatePem: string; publicKey: KeyObject } {
  if (!dataDir) {
    const keys = generateRegulatorKeys();
    return { privatePem: keys.privatePem, publicKey: createPublicKey(keys.publicPem) };
  }
  const reg = loadOrCreateRegulatorKeys(demoRegulatorDataDir(dataDir));
  writeFileSync(
    join(dataDir, DEMO_REGULATOR_DIR, 'README-DEMO-ONLY.txt'),
    "DEMO ONLY. regulator-data/ is the demo regulator's own data folder (`exam-center regulator serve`, started by\n" +
      '`npm start` beside the demo centre). In a real installation the regulator runs on its own computer and the\n' +
      'exam centre holds only keys/regulator.pub and keys/regulator-x25519.pub.\n',
  );
  mkdirSync(join(dataDir, 'keys'), { recursive: true });
  writeFileSync(join(dataDir, 'keys', REGULATOR_PUBLIC_KEY_FILE), reg.publicKeyPem);
  writeFileSync(join(dataDir, 'keys', REGULATOR_ENCRYPTION_PUBLIC_KEY_FILE), reg.encPublicKeyPem);
  return { privatePem: reg.privatePem, publicKey: createPublicKey(reg.publicKeyPem) };
}
