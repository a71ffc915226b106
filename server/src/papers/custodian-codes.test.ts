import { describe, expect, it } from 'vitest';
import { CROCKFORD, deriveDataKey, newCustodianCode, normaliseCode, parseCustodianCode } from './custodian-codes';

describe('custodian codes', () => {
  it('look like XXXX-XXXX-XXXX-XXXX and parse back to their share', () => {
    for (let i = 0; i < 20; i++) {
      const { code, share } = newCustodianCode();
      expect(code).toMatch(/^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){3}$/);
      expect(parseCustodianCode(code)).toEqual({ ok: true, share });
    }
  });

  it('reports every single wrong symbol and every swap of neighbours as a typo, never as a valid code', () => {
    for (let trial = 0; trial < 20; trial++) {
      const { code } = newCustodianCode();
      const s = normaliseCode(code);
      for (let i = 0; i < s.length; i++) {
        for (const c of CROCKFORD) {
          if (c === s[i]) continue;
          const typo = s.slice(0, i) + c + s.slice(i + 1);
          expect(parseCustodianCode(typo)).toMatchObject({ ok: false, reason: 'typo' });
        }
        if (i + 1 < s.length && s[i] !== s[i + 1]) {
          const swapped = s.slice(0, i) + s[i + 1] + s[i] + s.slice(i + 2);
          expect(parseCustodianCode(swapped)).toMatchObject({ ok: false, reason: 'typo' });
        }
      }
    }
  });

  it('reports a code of the wrong length or with foreign characters as malformed', () => {
    const { code } = newCustodianCode();
    expect(parseCustodianCode(code.slice(0, -2))).toMatchObject({ ok: false, reason: 'malformed' });
    expect(parseCustodianCode(code.slice(0, -1) + 'U')).toMatchObject({ ok: false, reason: 'malformed' });
  });

  it('accepts lower case, spaces and the look-alikes I, L and O', () => {
    const { code, share } = newCustodianCode();
    const sloppy = code.toLowerCase().replaceAll('-', ' ').replaceAll('1', 'l').replaceAll('0', 'o');
    expect(parseCustodianCode(sloppy)).toEqual({ ok: true, share });
  });

  it('derives the key from both shares: either share changed gives another key', () => {
    const salt = Buffer.alloc(16, 7);
    const a = newCustodianCode().share;
    const b = newCustodianCode().share;
    const key = deriveDataKey(a, b, salt);
    expect(key).toHaveLength(32);
    expect(deriveDataKey(a, b, salt)).toEqual(key);
    expect(deriveDataKey(b, a, salt)).not.toEqual(key);
    expect(deriveDataKey(a, newCustodianCode().share, salt)).not.toEqual(key);
    expect(deriveDataKey(a, b, Buffer.alloc(16, 8))).not.toEqual(key);
  });
});
