import type { Db } from '../db/open';
import type { LinkMessageType, SignedLinkMessage } from '../protocol/regulator';

/** The numbered channels with each centre: the outbox (regulator → centre) and the applied inbox (centre → regulator). */
export class ChannelRepo {
  constructor(private readonly db: Db) {}

  lastOutSeq(centreId: number): number {
    return (
      this.db.prepare('SELECT COALESCE(MAX(seq), 0) AS n FROM reg_outbox WHERE centre_id = ?').get(centreId) as {
        n: number;
      }
    ).n;
  }
  insertOut(centreId: number, seq: number, type: LinkMessageType, signed: SignedLinkMessage, at: number): void {
    this.db
      .prepare('INSERT INTO reg_outbox (centre_id, seq, type, signed_json, created_at) VALUES (?, ?, ?, ?, ?)')
      .run(centreId, seq, type, JSON.stringify(signed), at);
  }
  outAfter(centreId: number, seq: number, limit = 500): SignedLinkMessage[] {
    const rows = this.db
      .prepare('SELECT signed_json AS j FROM reg_outbox WHERE centre_id = ? AND seq > ? ORDER BY seq LIMIT ?')
      .all(centreId, seq, limit) as { j: string }[];
    return rows.map((r) => JSON.parse(r.j) as SignedLinkMessage);
  }
  countOutAfter(centreId: number, seq: number): number {
    return (
      this.db.prepare('SELECT COUNT(*) AS n FROM reg_outbox WHERE centre_id = ? AND seq > ?').get(centreId, seq) as {
        n: number;
      }
    ).n;
  }
  outTypes(centreId: number): { seq: number; type: LinkMessageType }[] {
    return this.db.prepare('SELECT seq, type FROM reg_outbox WHERE centre_id = ? ORDER BY seq').all(centreId) as {
      seq: number;
      type: LinkMessageType;
    }[];
  }

  lastInSeq(centreId: number): number {
    return (
      this.db.prepare('SELECT COALESCE(MAX(seq), 0) AS n FROM reg_inbox WHERE centre_id = ?').get(centreId) as {
        n: number;
      }
    ).n;
  }
  inHashAt(centreId: number, seq: number): string | null {
    const r = this.db.prepare('SELECT hash FROM reg_inbox WHERE centre_id = ? AND seq = ?').get(centreId, seq) as
      { hash: string } | undefined;
    return r?.hash ?? null;
  }
  insertIn(
    centreId: number,
    seq: number,
    type: LinkMessageType,
    hash: string,
    at: number,
    via: 'link' | 'bundle',
  ): void {
    this.db
      .prepare('INSERT INTO reg_inbox (centre_id, seq, type, hash, received_at, via) VALUES (?, ?, ?, ?, ?, ?)')
      .run(centreId, seq, type, hash, at, via);
  }
}
