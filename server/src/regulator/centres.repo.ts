import type { Db } from '../db/open';

export type CentreRecord = {
  id: number;
  code: string;
  name: string;
  creditCode: string | null;
  publicKeyPem: string;
  fingerprint: string;
  registeredAt: number;
  lastContactAt: number | null;
  lastContactVia: 'link' | 'bundle' | null;
  ackedSeq: number;
};
type Row = {
  id: number;
  code: string;
  name: string;
  credit_code: string | null;
  public_key_pem: string;
  fingerprint: string;
  registered_at: number;
  last_contact_at: number | null;
  last_contact_via: 'link' | 'bundle' | null;
  acked_seq: number;
};
const toRecord = (r: Row): CentreRecord => ({
  id: r.id,
  code: r.code,
  name: r.name,
  creditCode: r.credit_code,
  publicKeyPem: r.public_key_pem,
  fingerprint: r.fingerprint,
  registeredAt: r.registered_at,
  lastContactAt: r.last_contact_at,
  lastContactVia: r.last_contact_via,
  ackedSeq: r.acked_seq,
});

export class CentresRepo {
  constructor(private readonly db: Db) {}

  byCode(code: string): CentreRecord | null {
    const r = this.db.prepare('SELECT * FROM reg_centres WHERE code = ?').get(code) as Row | undefined;
    return r ? toRecord(r) : null;
  }
  list(): CentreRecord[] {
    return (this.db.prepare('SELECT * FROM reg_centres ORDER BY code').all() as Row[]).map(toRecord);
  }
  insert(c: {
    code: string;
    name: string;
    creditCode: string | null;
    publicKeyPem: string;
    fingerprint: string;
    at: number;
    by: string;
  }): number {
    const id = Number(
      this.db
        .prepare(
          `INSERT INTO reg_centres (code, name, credit_code, public_key_pem, fingerprint, registered_at, registered_by)
           VALUES (?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(c.code, c.name, c.creditCode, c.publicKeyPem, c.fingerprint, c.at, c.by).lastInsertRowid,
    );
    this.insertKey(id, c.publicKeyPem, c.fingerprint, c.at, c.by);
    return id;
  }
  private insertKey(centreId: number, pem: string, fingerprint: string, at: number, by: string): void {
    this.db
      .prepare(
        'INSERT INTO reg_centre_keys (centre_id, public_key_pem, fingerprint, pinned_at, pinned_by) VALUES (?, ?, ?, ?, ?)',
      )
      .run(centreId, pem, fingerprint, at, by);
  }
  /** Repins: the old key row is closed, the new one opened; the history stays. */
  repin(centreId: number, pem: string, fingerprint: string, at: number, by: string): void {
    this.db
      .prepare('UPDATE reg_centre_keys SET replaced_at = ? WHERE centre_id = ? AND replaced_at IS NULL')
      .run(at, centreId);
    this.db
      .prepare('UPDATE reg_centres SET public_key_pem = ?, fingerprint = ? WHERE id = ?')
      .run(pem, fingerprint, centreId);
    this.insertKey(centreId, pem, fingerprint, at, by);
  }
  keys(centreId: number): { fingerprint: string; publicKeyPem: string; pinnedAt: number; replacedAt: number | null }[] {
    return this.db
      .prepare(
        `SELECT fingerprint, public_key_pem AS publicKeyPem, pinned_at AS pinnedAt, replaced_at AS replacedAt
           FROM reg_centre_keys WHERE centre_id = ? ORDER BY id`,
      )
      .all(centreId) as { fingerprint: string; publicKeyPem: string; pinnedAt: number; replacedAt: number | null }[];
  }
  /** A fingerprint pinned (now or before) for any centre: one key, one centre. */
  centreOfFingerprint(fingerprint: string): string | null {
    const r = this.db
      .prepare(
        'SELECT c.code FROM reg_centre_keys k JOIN reg_centres c ON c.id = k.centre_id WHERE k.fingerprint = ? LIMIT 1',
      )
      .get(fingerprint) as { code: string } | undefined;
    return r?.code ?? null;
  }
  touch(centreId: number, at: number, via: 'link' | 'bundle'): void {
    this.db
      .prepare('UPDATE reg_centres SET last_contact_at = ?, last_contact_via = ? WHERE id = ?')
      .run(at, via, centreId);
  }
  /** Acks only move forward, and never past what was sent. */
  ack(centreId: number, received: number): void {
    this.db
      .prepare(
        `UPDATE reg_centres SET acked_seq = MAX(acked_seq, MIN(?, (SELECT COALESCE(MAX(seq), 0) FROM reg_outbox WHERE centre_id = ?)))
         WHERE id = ?`,
      )
      .run(received, centreId, centreId);
  }
}
