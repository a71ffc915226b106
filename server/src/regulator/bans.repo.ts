import type { Db } from '../db/open';
import type { BanInput, BanRow, LiftBanInput } from '../protocol/regulator-admin';
import type { BanListBody } from '../protocol/regulator';

type Row = {
  id: number;
  kind: 'person' | 'organisation';
  subject: string;
  name: string;
  reason: BanRow['reason'];
  decision_date: string;
  barred_until: string | null;
  authority: string;
  document_no: string;
  summary: string;
  created_at: number;
  created_by: string;
  lifted_at: number | null;
  lifted_by: string | null;
  lift_authority: string | null;
  lift_document_no: string | null;
  lift_reason: string | null;
};
const toRow = (r: Row): BanRow => ({
  id: r.id,
  kind: r.kind,
  subject: r.subject,
  name: r.name,
  reason: r.reason,
  decisionDate: r.decision_date,
  barredUntil: r.barred_until,
  authority: r.authority,
  documentNo: r.document_no,
  summary: r.summary,
  createdAt: r.created_at,
  createdBy: r.created_by,
  lifted:
    r.lifted_at === null
      ? null
      : {
          at: r.lifted_at,
          by: r.lifted_by ?? '',
          authority: r.lift_authority ?? '',
          documentNo: r.lift_document_no ?? '',
          reason: r.lift_reason ?? '',
        },
});

export type PublishedList = { version: number; issuedAt: number; body: BanListBody; sha256: string };

export class BansRepo {
  constructor(private readonly db: Db) {}

  all(): BanRow[] {
    return (this.db.prepare('SELECT * FROM reg_bans ORDER BY id DESC').all() as Row[]).map(toRow);
  }
  byId(id: number): BanRow | null {
    const r = this.db.prepare('SELECT * FROM reg_bans WHERE id = ?').get(id) as Row | undefined;
    return r ? toRow(r) : null;
  }
  notLifted(): BanRow[] {
    return (this.db.prepare('SELECT * FROM reg_bans WHERE lifted_at IS NULL ORDER BY id').all() as Row[]).map(toRow);
  }
  insert(b: BanInput, barredUntil: string | null, at: number, by: string): number {
    return Number(
      this.db
        .prepare(
          `INSERT INTO reg_bans (kind, subject, name, reason, decision_date, barred_until, authority, document_no,
             summary, created_at, created_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          b.kind,
          b.kind === 'person' ? b.idNumber : b.creditCode,
          b.name,
          b.kind === 'person' ? b.reason : null,
          b.decisionDate,
          barredUntil,
          b.authority,
          b.documentNo,
          b.summary,
          at,
          by,
        ).lastInsertRowid,
    );
  }
  lift(id: number, l: LiftBanInput, at: number, by: string): void {
    this.db
      .prepare(
        `UPDATE reg_bans SET lifted_at = ?, lifted_by = ?, lift_authority = ?, lift_document_no = ?, lift_reason = ?
         WHERE id = ? AND lifted_at IS NULL`,
      )
      .run(at, by, l.authority, l.documentNo, l.reason, id);
  }

  latestList(): PublishedList | null {
    const r = this.db
      .prepare('SELECT version, issued_at, body_json, sha256 FROM reg_ban_lists ORDER BY version DESC LIMIT 1')
      .get() as { version: number; issued_at: number; body_json: string; sha256: string } | undefined;
    return r
      ? { version: r.version, issuedAt: r.issued_at, body: JSON.parse(r.body_json) as BanListBody, sha256: r.sha256 }
      : null;
  }
  insertList(body: BanListBody, sha256: string): void {
    this.db
      .prepare('INSERT INTO reg_ban_lists (version, issued_at, body_json, sha256) VALUES (?, ?, ?, ?)')
      .run(body.version, body.issuedAt, JSON.stringify(body), sha256);
  }
}
