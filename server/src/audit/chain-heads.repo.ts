import type { Db } from '../db/open';

export type SignedHead = {
  id: number;
  chain: string;
  seq: number;
  hash: string;
  signature: string; // base64 Ed25519
  keyFingerprint: string;
  reason: string;
  at: number;
};

type Row = {
  id: number;
  chain: string;
  seq: number;
  hash: string;
  signature: string;
  key_fingerprint: string;
  reason: string;
  at: number;
};

const toHead = (r: Row): SignedHead => ({
  id: r.id,
  chain: r.chain,
  seq: r.seq,
  hash: r.hash,
  signature: r.signature,
  keyFingerprint: r.key_fingerprint,
  reason: r.reason,
  at: r.at,
});

/** The bytes signed for a chain head: short, line-based, easy to re-create in any language. */
export const headMessage = (chain: string, seq: number, hash: string): string =>
  `exam-center-chain-head/1\n${chain}\n${seq}\n${hash}`;

/** Append-only (0006_audit_proctoring.sql triggers). */
export class ChainHeadsRepo {
  private readonly insertStmt;
  private readonly byChain;

  constructor(db: Db) {
    this.insertStmt = db.prepare(
      `INSERT INTO chain_heads_signed (chain, seq, hash, signature, key_fingerprint, reason, at)
       VALUES (@chain, @seq, @hash, @signature, @keyFingerprint, @reason, @at)`,
    );
    this.byChain = db.prepare<[string], Row>('SELECT * FROM chain_heads_signed WHERE chain = ? ORDER BY seq, id');
  }

  insert(h: Omit<SignedHead, 'id'>): SignedHead {
    const info = this.insertStmt.run(h);
    return { ...h, id: Number(info.lastInsertRowid) };
  }

  list(chain: string): SignedHead[] {
    return this.byChain.all(chain).map(toHead);
  }
}
