import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import type { HashedItem } from '../bank/bank-format';
import type { StoredBlueprint } from '../bank/blueprints.repo';
import type { SealProgress } from '../protocol';
import type { InstitutionKey } from '../shared/institution-key';
import { deriveDataKey, KDF_PARAMS, newCustodianCode, type Slot } from './custodian-codes';
import { preparePool } from './draw';
import { canonicalPaperBytes } from './paper-encoding';
import type { NewSeal, SealedPaperRow } from './papers.repo';
import { boxHash, packBox, paperAad, paperCommitment, seal, seedAad, seedHash } from './seal-crypto';
import { MANIFEST_FORMAT, manifestBytes, manifestHash, type SealManifest } from './seal-manifest';
import { DRAW_ALGORITHM, drawSession, type NeighbourStats } from './session-draw';

export type SealInputs = {
  session: { id: number; code: string; category: string; scheduledStart: number };
  bankVersion: { id: number; fingerprint: string; itemCount: number };
  items: HashedItem[];
  blueprint: StoredBlueprint;
  seats: { registrationId: number; seatNo: number; admissionNo: string }[];
  custodians: [{ staffId: number; name: string }, { staffId: number; name: string }];
  institutionKey: InstitutionKey;
  sealedAt: number;
  sealedBy: string;
};

export type SealBundle = {
  seal: NewSeal;
  papers: SealedPaperRow[];
  manifest: SealManifest;
  codes: { slot: Slot; staffId: number; code: string }[];
  stats: NeighbourStats;
};

/**
 * A key-check value in the signed manifest: it tells "these codes are not this seal's" apart from "the
 * sealed seed was altered". Testing a guess against it costs the same scrypt run as testing it against
 * the GCM tag, so it gives an attacker nothing new.
 */
export const keyCheck = (dataKey: Buffer, sealUid: string): string =>
  createHmac('sha256', dataKey).update(`exam-center/key-check/1|${sealUid}`).digest('hex');

/**
 * Draws, encrypts and signs one session's papers. A generator so the caller can yield to the event loop
 * and show progress between chunks; nothing is written here — the caller commits the bundle in one
 * transaction with the session's transition to 'sealed'. The data key and the seed exist only in memory
 * and are zeroed before returning.
 */
export function* buildSeal(input: SealInputs, chunk = 50): Generator<SealProgress, SealBundle> {
  const total = input.seats.length;
  const sealUid = randomUUID();
  const seed = randomBytes(32);
  const salt = randomBytes(16);
  const a = newCustodianCode();
  const b = newCustodianCode();
  const dataKey = deriveDataKey(a.share, b.share, salt);
  try {
    const prepared = preparePool(input.blueprint.body, input.items);
    const admissionNo = new Map(input.seats.map((s) => [s.registrationId, s.admissionNo]));
    const seatNo = new Map(input.seats.map((s) => [s.registrationId, s.seatNo]));
    const rows: SealedPaperRow[] = [];
    const listed: SealManifest['papers'] = [];
    const draw = drawSession(prepared, seed, input.seats);
    let step = draw.next();
    while (!step.done) {
      const { registrationId, paper } = step.value;
      const canonical = canonicalPaperBytes(paper);
      const box = seal(dataKey, canonical, paperAad(sealUid, registrationId));
      const ciphertextHash = boxHash(box);
      rows.push({ registrationId, box, ciphertextHash });
      listed.push({
        registrationId,
        admissionNo: admissionNo.get(registrationId) as string,
        seatNo: seatNo.get(registrationId) as number,
        ciphertextHash,
        commitment: paperCommitment(seed, registrationId, canonical),
      });
      if (rows.length % chunk === 0) yield { phase: 'sealing', done: rows.length, total };
      step = draw.next();
    }
    const stats = step.value;

    const manifest: SealManifest = {
      format: MANIFEST_FORMAT,
      sealUid,
      institutionKey: input.institutionKey.fingerprint,
      session: input.session,
      bankVersion: input.bankVersion,
      blueprint: { id: input.blueprint.id, fingerprint: input.blueprint.fingerprint },
      drawAlgorithm: DRAW_ALGORITHM,
      seedHash: seedHash(seed),
      keyCheck: keyCheck(dataKey, sealUid),
      cipher: 'aes-256-gcm',
      kdf: { alg: 'scrypt', ...KDF_PARAMS, salt: salt.toString('hex') },
      custodians: [
        { slot: 'A', staffId: input.custodians[0].staffId, name: input.custodians[0].name },
        { slot: 'B', staffId: input.custodians[1].staffId, name: input.custodians[1].name },
      ],
      papers: listed,
      stats: {
        papers: listed.length,
        questionsPerPaper: input.blueprint.body.sections.reduce((t, s) => t + s.count, 0),
        neighbours: stats,
      },
      sealedAt: input.sealedAt,
      sealedBy: input.sealedBy,
    };
    const bytes = manifestBytes(manifest);
    const sealRow: NewSeal = {
      uid: sealUid,
      sessionId: input.session.id,
      manifest: bytes,
      manifestHash: manifestHash(manifest),
      signature: input.institutionKey.sign(bytes).toString('base64'),
      keyFingerprint: input.institutionKey.fingerprint,
      seedHash: manifest.seedHash,
      sealedSeed: packBox(seal(dataKey, seed, seedAad(sealUid))),
      kdfSalt: salt,
      custodianA: input.custodians[0].staffId,
      custodianB: input.custodians[1].staffId,
      sealedAt: input.sealedAt,
      sealedBy: input.sealedBy,
    };
    return {
      seal: sealRow,
      papers: rows,
      manifest,
      codes: [
        { slot: 'A', staffId: input.custodians[0].staffId, code: a.code },
        { slot: 'B', staffId: input.custodians[1].staffId, code: b.code },
      ],
      stats,
    };
  } finally {
    dataKey.fill(0);
    seed.fill(0);
  }
}
