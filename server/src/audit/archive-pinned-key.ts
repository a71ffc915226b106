import { createPublicKey, type KeyObject } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { publicKeyFingerprint } from '../shared/institution-key';

/**
 * The institution key an operator pinned on their own machine (issue 13, hole 7): `archive verify` and
 * `papers verify` trust a signature only against a key obtained apart from the thing checked — --pubkey, or
 * this file, written once by `archive pin-key` after comparing the fingerprint with the published one.
 * Where: $EXAM_CENTER_CONFIG_DIR, else $XDG_CONFIG_HOME/exam-center, else ~/.config/exam-center.
 */
export const PINNED_KEY_FILE = 'pinned-institution-key.pem';

export function operatorConfigDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.EXAM_CENTER_CONFIG_DIR ?? join(env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), 'exam-center');
}

/** A public key from a PEM file path or PEM text; throws when unreadable. */
export function readPublicKeyArg(arg: string): KeyObject {
  return createPublicKey(existsSync(arg) ? readFileSync(arg, 'utf8') : arg);
}

export function readPinnedKey(env: NodeJS.ProcessEnv = process.env): KeyObject | null {
  const file = join(operatorConfigDir(env), PINNED_KEY_FILE);
  if (!existsSync(file)) return null;
  try {
    return createPublicKey(readFileSync(file, 'utf8'));
  } catch {
    return null;
  }
}

export function pinKey(key: KeyObject, env: NodeJS.ProcessEnv = process.env): { file: string; fingerprint: string } {
  const dir = operatorConfigDir(env);
  mkdirSync(dir, { recursive: true });
  const file = join(dir, PINNED_KEY_FILE);
  writeFileSync(file, key.export({ type: 'spki', format: 'pem' }).toString(), { mode: 0o644 });
  return { file, fingerprint: publicKeyFingerprint(key) };
}

/** Which key a CLI verifies with: --pubkey, else the pinned one, else none (the embedded key, reported). */
export function chooseVerifyingKey(pubkeyArg: string | undefined): { key: KeyObject | null; source: string } {
  if (pubkeyArg) return { key: readPublicKeyArg(pubkeyArg), source: '--pubkey' };
  const pinned = readPinnedKey();
  return pinned ? { key: pinned, source: `pinned key (${operatorConfigDir()})` } : { key: null, source: 'none' };
}
