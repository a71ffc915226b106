import type { Db } from '../db/open';
import type { Box } from './seal-crypto';

export type SealState = 'sealed' | 'opened' | 'voided';

export type SealRecord = {
  id: number;
  uid: string;
  sessionId: number;
  state: SealState;
  manifest: string;
  manifestHash: string;
  signature: string;
  keyFingerprint: string;
  seedHash: string;
  sealedSeed: Buffer;
  kdfSalt: Buffer;
  custodianA: number;
  custodianB: number;
  sealedAt: number;
  sealedBy: string;
  seed: string | null;
  wrappedKey: Buffer | null;
  openedAt: number | null;
  openedBy: string | null;
};

type SealRow = {
  id: number;
  uid: string;
  session_id: number;
  state: SealState;
  manifest: string;
  manifest_hash: string;
  signature: string;
  key_fingerprint: string;
  seed_hash: string;
  sealed_seed: Buffer;
  kdf_salt: Buffer;
  custodian_a: number;
  custodian_b: number;
  sealed_at: number;
  sealed_by: string;
  seed: string | null;
  wrapped_key: Buffer | null;
  opened_at: number | null;
  opened_by: string | null;
};

const toSeal = (r: SealRow): SealRecord => ({
  id: r.id,
  uid: r.uid,
  sessionId: r.session_id,
  state: r.state,
  manifest: r.manifest,
  manifestHash: r.manifest_hash,
  signature: r.signature,
  keyFingerprint: r.key_fingerprint,
  seedHash: r.seed_hash,
  sealedSeed: r.sealed_seed,
  kdfSalt: r.kdf_salt,
  custodianA: r.custodian_a,
  custodianB: r.custodian_b,
  sealedAt: r.sealed_at,
  sealedBy: r.sealed_by,
  seed: r.seed,
  wrappedKey: r.wrapped_key,
  openedAt: r.opened_at,
  openedBy: r.opened_by,
});

export type NewSeal = Omit<SealRecord, 'id' | 'state' | 'seed' | 'wrappedKey' | 'openedAt' | 'openedBy'>;
export type SealedPaperRow = { registrationId: number; box: Box; ciphertextHash: string };

/** The only SQL on seals and sealed papers. No plaintext paper is ever written (0004_sealed_papers.sql). */
export class PapersRepo {
  constructor(private readonly db: Db) {}

  /** The session's live seal (sealed or opened), if any. */
  liveSeal(sessionId: number): SealRecord | undefined {
    const row = this.db
      .prepare<[number], SealRow>("SELECT * FROM seals WHERE session_id = ? AND state <> 'voided'")
      .get(sessionId);
    return row && toSeal(row);
  }

  /** The newest seal of any state (what `papers verify` checks when the session was resealed). */
  latestSeal(sessionId: number): SealRecord | undefined {
    const row = this.db
      .prepare<[number], SealRow>('SELECT * FROM seals WHERE session_id = ? ORDER BY id DESC LIMIT 1')
      .get(sessionId);
    return row && toSeal(row);
  }

  sessionsWithSeals(): number[] {
    return this.db
      .prepare<[], { session_id: number }>('SELECT DISTINCT session_id FROM seals ORDER BY session_id')
      .all()
      .map((r) => r.session_id);
  }

  insertSeal(s: NewSeal, papers: SealedPaperRow[]): number {
    const info = this.db
      .prepare(
        `INSERT INTO seals (uid, session_id, state, manifest, manifest_hash, signature, key_fingerprint, seed_hash,
           sealed_seed, kdf_salt, custodian_a, custodian_b, sealed_at, sealed_by)
         VALUES (?, ?, 'sealed', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        s.uid,
        s.sessionId,
        s.manifest,
        s.manifestHash,
        s.signature,
        s.keyFingerprint,
        s.seedHash,
        s.sealedSeed,
        s.kdfSalt,
        s.custodianA,
        s.custodianB,
        s.sealedAt,
        s.sealedBy,
      );
    const sealId = Number(info.lastInsertRowid);
    const insert = this.db.prepare(
      'INSERT INTO sealed_papers (seal_id, registration_id, iv, tag, ciphertext, ciphertext_hash) VALUES (?, ?, ?, ?, ?, ?)',
    );
    for (const p of papers)
      insert.run(sealId, p.registrationId, p.box.iv, p.box.tag, p.box.ciphertext, p.ciphertextHash);
    return sealId;
  }

  markOpened(sealId: number, seedHex: string, wrappedKey: Buffer, at: number, by: string): void {
    this.db
      .prepare(
        "UPDATE seals SET state = 'opened', seed = ?, wrapped_key = ?, opened_at = ?, opened_by = ? WHERE id = ?",
      )
      .run(seedHex, wrappedKey, at, by, sealId);
  }

  markVoided(sealId: number, at: number, reason: string): void {
    this.db
      .prepare("UPDATE seals SET state = 'voided', voided_at = ?, void_reason = ? WHERE id = ?")
      .run(at, reason, sealId);
  }

  papersOf(sealId: number): SealedPaperRow[] {
    return this.db
      .prepare<
        [number],
        { registration_id: number; iv: Buffer; tag: Buffer; ciphertext: Buffer; ciphertext_hash: string }
      >(
        'SELECT registration_id, iv, tag, ciphertext, ciphertext_hash FROM sealed_papers WHERE seal_id = ? ORDER BY registration_id',
      )
      .all(sealId)
      .map((r) => ({
        registrationId: r.registration_id,
        box: { iv: r.iv, tag: r.tag, ciphertext: r.ciphertext },
        ciphertextHash: r.ciphertext_hash,
      }));
  }

  paperOf(sealId: number, registrationId: number): SealedPaperRow | undefined {
    const r = this.db
      .prepare<[number, number], { iv: Buffer; tag: Buffer; ciphertext: Buffer; ciphertext_hash: string }>(
        'SELECT iv, tag, ciphertext, ciphertext_hash FROM sealed_papers WHERE seal_id = ? AND registration_id = ?',
      )
      .get(sealId, registrationId);
    return (
      r && {
        registrationId,
        box: { iv: r.iv, tag: r.tag, ciphertext: r.ciphertext },
        ciphertextHash: r.ciphertext_hash,
      }
    );
  }

  /** The seat plan the papers are drawn for (一人一卷: one per registration). */
  seatPlan(sessionId: number): { registrationId: number; seatNo: number; admissionNo: string }[] {
    return this.db
      .prepare<[number], { registrationId: number; seatNo: number; admissionNo: string }>(
        `SELECT id AS registrationId, seat_no AS seatNo, admission_no AS admissionNo
         FROM registrations WHERE session_id = ? ORDER BY seat_no, id`,
      )
      .all(sessionId);
  }

  sessionOfRegistration(registrationId: number): number | undefined {
    return this.db
      .prepare<[number], { session_id: number }>('SELECT session_id FROM registrations WHERE id = ?')
      .get(registrationId)?.session_id;
  }
}

/** Read-only queries the seal verifier needs from other domains' tables (events, results). */
export class SealEvidenceRepo {
  constructor(private readonly db: Db) {}

  /** The sealing and opening events of a session's chain (that chain is hash-linked by the audit module). */
  sealEvents(sessionId: number): { type: string; payload: Record<string, unknown> }[] {
    return this.db
      .prepare<[string], { type: string; payload: string }>(
        `SELECT type, payload FROM events WHERE chain = ? AND type IN ('papers.sealed', 'papers.opened') ORDER BY seq`,
      )
      .all(`session:${sessionId}`)
      .map((r) => ({ type: r.type, payload: JSON.parse(r.payload) as Record<string, unknown> }));
  }

  /** Seat moves as logged on the session chain, in order (delivery/exam-controls.service.ts seatMove). */
  seatMoves(sessionId: number): { registrationId: number; fromSeat: number; toSeat: number }[] {
    return this.db
      .prepare<[string], { payload: string }>(
        `SELECT payload FROM events WHERE chain = ? AND type = 'candidate.seat-moved' ORDER BY seq`,
      )
      .all(`session:${sessionId}`)
      .map((r) => {
        const p = JSON.parse(r.payload) as Record<string, unknown>;
        return { registrationId: Number(p.registrationId), fromSeat: Number(p.fromSeat), toSeat: Number(p.toSeat) };
      });
  }

  resultPaperHashes(sessionId: number): { registrationId: number; paperHash: string }[] {
    return this.db
      .prepare<[number], { registrationId: number; paperHash: string }>(
        `SELECT r.registration_id AS registrationId, r.paper_hash AS paperHash
         FROM results r JOIN registrations g ON g.id = r.registration_id WHERE g.session_id = ?`,
      )
      .all(sessionId);
  }

  sessionIdByCode(code: string): number | undefined {
    return this.db.prepare<[string], { id: number }>('SELECT id FROM sessions WHERE code = ?').get(code)?.id;
  }
}
