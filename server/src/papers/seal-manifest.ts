import { z } from 'zod';
import { canonicalJson, sha256Hex } from '../shared/canonical-json';

export const MANIFEST_FORMAT = 'exam-center-seal/1';

const neighbourStats = z.object({
  adjacentPairs: z.number(),
  positionsCompared: z.number(),
  sameItemSamePositionBefore: z.number(),
  sameItemSamePositionAfter: z.number(),
  rateBefore: z.number(),
  rateAfter: z.number(),
  reordered: z.number(),
});

/**
 * What the institution signs at sealing. It names everything a paper was drawn from (bank version,
 * blueprint, seat plan, the seed's hash) and a hash of every ciphertext, but nothing that reveals a paper
 * before the seed is disclosed: the per-paper commitment is keyed by the seed.
 */
export const sealManifestSchema = z
  .object({
    format: z.literal(MANIFEST_FORMAT),
    sealUid: z.string(),
    institutionKey: z.string(), // fingerprint of the signing key
    session: z.object({ id: z.number(), code: z.string(), category: z.string(), scheduledStart: z.number() }),
    bankVersion: z.object({ id: z.number(), fingerprint: z.string(), itemCount: z.number() }),
    blueprint: z.object({ id: z.number(), fingerprint: z.string() }),
    drawAlgorithm: z.string(),
    seedHash: z.string(),
    keyCheck: z.string(), // HMAC(data key, uid): tells wrong codes from an altered sealed seed
    cipher: z.literal('aes-256-gcm'),
    kdf: z.object({ alg: z.literal('scrypt'), N: z.number(), r: z.number(), p: z.number(), salt: z.string() }),
    custodians: z.array(z.object({ slot: z.enum(['A', 'B']), staffId: z.number(), name: z.string() })).length(2),
    papers: z.array(
      z.object({
        registrationId: z.number(),
        admissionNo: z.string(),
        seatNo: z.number(),
        ciphertextHash: z.string(),
        commitment: z.string(),
      }),
    ),
    stats: z.object({ papers: z.number(), questionsPerPaper: z.number(), neighbours: neighbourStats }),
    sealedAt: z.number(),
    sealedBy: z.string(),
  })
  .strict();

export type SealManifest = z.infer<typeof sealManifestSchema>;

/** The exact bytes that are hashed and signed. */
export const manifestBytes = (m: SealManifest): string => canonicalJson(m);
export const manifestHash = (m: SealManifest): string => sha256Hex(manifestBytes(m));

/** "ab12 cd34 …": the manifest hash in groups of four, for staff to compare on screen and on paper. */
export const groupHex = (hex: string, groups = 16): string =>
  hex
    .slice(0, groups * 4)
    .match(/.{4}/g)!
    .join(' ');
