import { randomBytes, scryptSync, timingSafeEqual } from 'node:crypto';

// scrypt N=2^15, r=8, p=1: ~50 ms per check here, costly for an attacker holding a copy of the database.
const SCRYPT = { N: 1 << 15, r: 8, p: 1, maxmem: 64 * 1024 * 1024 };
const KEY_LENGTH = 32;

export type PasswordHash = { hash: string; salt: string };

export function hashPassword(password: string): PasswordHash {
  const salt = randomBytes(16);
  const hash = scryptSync(password.normalize('NFKC'), salt, KEY_LENGTH, SCRYPT);
  return { hash: hash.toString('hex'), salt: salt.toString('hex') };
}

export function verifyPassword(password: string, stored: PasswordHash): boolean {
  const expected = Buffer.from(stored.hash, 'hex');
  const actual = scryptSync(password.normalize('NFKC'), Buffer.from(stored.salt, 'hex'), KEY_LENGTH, SCRYPT);
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}

/** A one-time password easy to read aloud and type: no 0/O, 1/l/I. */
export function generateOneTimePassword(length = 14): string {
  const alphabet = 'abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';
  const bytes = randomBytes(length);
  let out = '';
  for (const b of bytes) out += alphabet[b % alphabet.length];
  return out;
}
