import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { openConfidential, sealConfidential, type ConfidentialContent } from './archive-sealed';

const content: ConfidentialContent = {
  bankItems: [],
  papers: [{ registrationId: 7, paper: { questions: [] } }],
};

describe('archive confidential part (X25519 + HKDF + AES-256-GCM)', () => {
  const regulator = generateKeyPairSync('x25519');

  it('opens only with the regulator private key it was sealed to', () => {
    const sealed = sealConfidential(content, regulator.publicKey, 3);
    expect(sealed.ciphertext).not.toContain('registrationId');
    expect(openConfidential(sealed, regulator.privateKey)).toEqual({ ok: true, content });
    const other = generateKeyPairSync('x25519');
    expect(openConfidential(sealed, other.privateKey)).toMatchObject({ ok: false, reason: /another regulator key/ });
    const ed = generateKeyPairSync('ed25519');
    expect(openConfidential(sealed, ed.privateKey)).toMatchObject({ ok: false, reason: /not X25519/ });
  });

  it('refuses a changed ciphertext, nonce or bound header (AES-GCM authentication)', () => {
    const sealed = sealConfidential(content, regulator.publicKey, 3);
    const flip = (b64: string) => {
      const b = Buffer.from(b64, 'base64');
      b[0] = b[0]! ^ 1;
      return b.toString('base64');
    };
    for (const changed of [
      { ...sealed, ciphertext: flip(sealed.ciphertext) },
      { ...sealed, nonce: flip(sealed.nonce) },
      { ...sealed, sessionId: 4 },
      { ...sealed, plaintextSha256: '0'.repeat(64) },
    ])
      expect(openConfidential(changed, regulator.privateKey)).toMatchObject({ ok: false, reason: /authentication/ });
  });

  it('uses a fresh ephemeral key and nonce for every archive', () => {
    const a = sealConfidential(content, regulator.publicKey, 3);
    const b = sealConfidential(content, regulator.publicKey, 3);
    expect(a.ephemeralKey).not.toBe(b.ephemeralKey);
    expect(a.ciphertext).not.toBe(b.ciphertext);
  });
});
