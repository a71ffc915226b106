import type { Db } from '../db/open';
import type { LinkLogRow } from '../protocol/regulator-admin';
import type { LinkMessageType } from '../protocol/regulator';
import { canonicalJson, sha256Hex } from '../shared/canonical-json';

const GENESIS = '0'.repeat(64);
type Entry = Omit<LinkLogRow, 'id' | 'prevHash' | 'hash'>;
type Row = {
  id: number;
  at: number;
  via: 'link' | 'bundle';
  centre_code: string | null;
  seq: number;
  type: LinkMessageType | null;
  outcome: 'refused' | 'duplicate';
  code: string | null;
  reason: string;
  prev_hash: string;
  hash: string;
};
const entryOf = (r: Row): Entry => ({
  at: r.at,
  via: r.via,
  centreCode: r.centre_code,
  seq: r.seq,
  type: r.type,
  outcome: r.outcome,
  code: r.code,
  reason: r.reason,
});
const hashOf = (prevHash: string, e: Entry) => sha256Hex(canonicalJson({ prevHash, ...e }));

/**
 * Every refused and duplicate message, append-only (triggers refuse UPDATE and DELETE) and hash-chained, so a
 * row removed or edited with direct database access shows as a break in the chain.
 */
export class LinkLogRepo {
  constructor(private readonly db: Db) {}

  append(e: Entry): void {
    const last = this.db.prepare('SELECT hash FROM reg_link_log ORDER BY id DESC LIMIT 1').get() as
      { hash: string } | undefined;
    const prevHash = last?.hash ?? GENESIS;
    this.db
      .prepare(
        `INSERT INTO reg_link_log (at, via, centre_code, seq, type, outcome, code, reason, prev_hash, hash)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(e.at, e.via, e.centreCode, e.seq, e.type, e.outcome, e.code, e.reason, prevHash, hashOf(prevHash, e));
  }

  /** Newest first. */
  page(limit: number, centreCode?: string): LinkLogRow[] {
    const rows = (
      centreCode
        ? this.db
            .prepare('SELECT * FROM reg_link_log WHERE centre_code = ? ORDER BY id DESC LIMIT ?')
            .all(centreCode, limit)
        : this.db.prepare('SELECT * FROM reg_link_log ORDER BY id DESC LIMIT ?').all(limit)
    ) as Row[];
    return rows.map((r) => ({ id: r.id, ...entryOf(r), prevHash: r.prev_hash, hash: r.hash }));
  }

  /** Walks the whole chain. */
  chainValid(): boolean {
    let prev = GENESIS;
    for (const r of this.db.prepare('SELECT * FROM reg_link_log ORDER BY id').iterate() as Iterable<Row>) {
      if (r.prev_hash !== prev || r.hash !== hashOf(prev, entryOf(r))) return false;
      prev = r.hash;
    }
    return true;
  }
}
