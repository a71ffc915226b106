import { randomInt, scryptSync } from 'node:crypto';

/**
 * Custodian codes (开卷码): the two halves of a session's data key, written down or printed by two
 * different people at sealing. Format XXXX-XXXX-XXXX-XXXX in Crockford base32 (no I, L, O, U: nothing to
 * confuse with 1 or 0), 15 random symbols (75 bits) and one check symbol.
 *
 * The check symbol is Σ α^(i+1)·v_i over GF(32) (x⁵+x²+1, α = x). Over a field every single wrong symbol
 * and every swap of two neighbours changes the sum, so such a typo is always reported as a typo, never as
 * "wrong code". (One check symbol cannot also tell custodian A's code from B's under a typo; a swap of the
 * two codes is recognised at opening instead, see opening.ts.)
 */
export const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
export const CODE_DATA_SYMBOLS = 15;
export type Slot = 'A' | 'B';
export const SLOTS: readonly Slot[] = ['A', 'B'];

function gfMul(a: number, b: number): number {
  let result = 0;
  let x = a;
  let y = b;
  while (y) {
    if (y & 1) result ^= x;
    y >>= 1;
    x <<= 1;
    if (x & 0b100000) x ^= 0b100101; // reduce by x⁵ + x² + 1
  }
  return result;
}

function checkSymbol(values: number[]): number {
  let sum = 0;
  let power = 1;
  for (const v of values) {
    power = gfMul(power, 2);
    sum ^= gfMul(power, v);
  }
  return sum;
}

/** Upper-cases, drops separators and maps the look-alikes Crockford allows (I/L → 1, O → 0). */
export function normaliseCode(input: string): string {
  return input
    .toUpperCase()
    .replace(/[\s\-_.]/g, '')
    .replace(/[IL]/g, '1')
    .replace(/O/g, '0');
}

export function formatCode(symbols: string): string {
  return symbols.match(/.{1,4}/g)!.join('-');
}

/** A fresh random share, as the code printed on a custodian's slip. */
export function newCustodianCode(): { code: string; share: string } {
  const values = Array.from({ length: CODE_DATA_SYMBOLS }, () => randomInt(32));
  const share = values.map((v) => CROCKFORD[v]).join('');
  return { code: formatCode(share + CROCKFORD[checkSymbol(values)]), share };
}

export type ParsedCode = { ok: true; share: string } | { ok: false; reason: 'malformed' | 'typo'; message: string };

/** Checks a typed code; says whether it is malformed or mistyped. */
export function parseCustodianCode(input: string): ParsedCode {
  const s = normaliseCode(input);
  if (s.length !== CODE_DATA_SYMBOLS + 1 || [...s].some((c) => !CROCKFORD.includes(c)))
    return { ok: false, reason: 'malformed', message: '开卷码应为 16 位（XXXX-XXXX-XXXX-XXXX），只含数字和字母' };
  const values = [...s].map((c) => CROCKFORD.indexOf(c));
  const check = values.pop() as number;
  if (checkSymbol(values) === check) return { ok: true, share: s.slice(0, CODE_DATA_SYMBOLS) };
  return { ok: false, reason: 'typo', message: '开卷码校验位不符：请逐位核对是否抄错' };
}

/** scrypt cost: ≈ 40 ms and 16 MB per try on this machine, for sealing and opening alike. */
export const KDF_PARAMS = { N: 2 ** 14, r: 8, p: 1 } as const;

/**
 * The data key is scrypt(share A ‖ share B, per-seal salt); neither the key nor the shares are stored.
 * Why scrypt over the concatenation rather than XOR of two key-length shares: a 256-bit share would be a
 * 52-symbol code nobody copies reliably. With 75-bit shares, whoever holds one code (and the database)
 * still has to search 2⁷⁵ candidates for the other, each costing one scrypt run (≈ 40 ms, 16 MB) before a
 * GCM tag can confirm it — millions of years, so one share gives no practical advantage; the salt makes
 * every seal's search start from zero.
 */
export function deriveDataKey(shareA: string, shareB: string, salt: Buffer): Buffer {
  return scryptSync(`A:${shareA}|B:${shareB}`, salt, 32, { ...KDF_PARAMS, maxmem: 64 * 1024 * 1024 });
}
