import { z } from 'zod';

export const ARCHIVE_FORMAT = 'exam-center-archive/1';
export const MANIFEST_ENTRY = 'manifest.json';
export const SIGNATURE_ENTRY = 'manifest.sig';
export const PUBLIC_KEY_ENTRY = 'institution-key.pub.pem';

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
  bankItems: 'bank/items.json',
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
