import { z } from 'zod';

export const ARCHIVE_FORMAT = 'exam-center-archive/1';
export const MANIFEST_ENTRY = 'manifest.json';
export const SIGNATURE_ENTRY = 'manifest.sig';
export const PUBLIC_KEY_ENTRY = 'institution-key.pub.pem';

/**
 * The confidential part (issue 13): pools are reused from one session to the next, so an archive carries no
 * exam-pool item and no answer key in the clear — neither the bank version nor the drawn papers. Both go into
 * one entry, `confidential/sealed.json`, encrypted to the regulator's X25519 public key:
 *
 *   eph        = a fresh X25519 key pair for this archive
 *   shared     = X25519(eph.private, regulator.public)                       (node:crypto diffieHellman)
 *   key        = HKDF-SHA256(ikm = shared, salt = eph.publicRaw ‖ regulator.publicRaw,
 *                            info = "exam-center-archive-sealed/1 key", 32 bytes)
 *   plaintext  = canonical JSON { bankItems, papers: [{ registrationId, paper }] }
 *   aad        = canonical JSON { alg, sessionId, regulatorKey, ephemeralKey, plaintextSha256 }
 *   ciphertext = AES-256-GCM(key, random 96-bit nonce, aad, raw-deflate(plaintext)), with its 128-bit tag
 *
 * regulatorKey is SHA-256 of the regulator's raw public key, so a verifier can tell "another key" from
 * "altered". Everything else stays in the clear and verifiable by anyone with the institution's public key:
 * chains, signed heads, the seal manifest and its commitments, answers, results, corrections, hashes. The
 * draw and the scores need the items and keys, so only a holder of the regulator's private key can prove them;
 * without it the verifier's verdict is INCOMPLETE and names what it could not check.
 */
export const CONFIDENTIAL_ALGORITHM = 'exam-center-archive-sealed/1';

/** Every other entry is listed here with its SHA-256; the manifest's canonical bytes are signed (Ed25519). */
export const archiveManifestSchema = z
  .object({
    format: z.literal(ARCHIVE_FORMAT),
    session: z.object({ id: z.number(), code: z.string(), name: z.string(), category: z.string(), state: z.string() }),
    createdAt: z.number(),
    createdBy: z.string(),
    institutionKey: z.string(), // fingerprint of the signing key
    entries: z.array(z.object({ path: z.string(), sha256: z.string(), size: z.number() })),
  })
  .strict();
export type ArchiveManifest = z.infer<typeof archiveManifestSchema>;

/** Entry names, shared by the builder and the verifier. */
export const entry = {
  session: 'session.json',
  roster: 'roster.json',
  staff: 'staff-and-integrity.json',
  sealManifest: 'seal/manifest.json',
  sealSignature: 'seal/signature.b64',
  sealSeed: 'seal/seed.hex',
  sealRecord: 'seal/record.json',
  confidential: 'confidential/sealed.json',
  paper: (admissionNo: string) => `papers/${admissionNo}.json`,
  answers: (admissionNo: string) => `answers/${admissionNo}.json`,
  results: 'results.json',
  corrections: 'result-corrections.json',
  // exam-center-chain/1 lines: "<hash> <prevHash> <canonical body>" (audit/chain-verify.ts)
  chain: (chain: string) => `events/${chain.replace(':', '-')}.chain`,
  heads: 'events/signed-heads.json',
  identityChecks: 'proctoring/identity-checks.json',
  incidents: 'proctoring/incidents.json',
  evidenceIndex: 'proctoring/evidence.json',
  evidenceFile: (id: number, ext: string) => `proctoring/evidence/${id}.${ext}`,
  delivery: 'delivery-controls.json',
  videos: 'video/recordings.json',
  videoFile: (id: number, name: string) => `video/${id}-${name.replace(/[^\w.-]+/g, '_')}`,
};
