import type { Db } from '../db/open';
import type { OrgKind, RevokeInput } from '../protocol';

export type OrganisationRecord = {
  id: number;
  name: string;
  kind: OrgKind;
  creditCode: string | null;
  createdAt: number;
  updatedAt: number;
};

export type DishonestyRecordRow = {
  id: number;
  orgId: number;
  orgName: string;
  decisionDate: string;
  authority: string;
  documentNo: string;
  summary: string;
  recordedBy: string;
  recordedAt: number;
  revokedAt: number | null;
  revokedBy: string | null;
  revokeReason: string | null;
  revokeAuthority: string | null;
  revokeDocumentNo: string | null;
};

type OrgRow = {
  id: number;
  name: string;
  kind: OrgKind;
  credit_code: string | null;
  created_at: number;
  updated_at: number;
};
const toOrg = (r: OrgRow): OrganisationRecord => ({
  id: r.id,
  name: r.name,
  kind: r.kind,
  creditCode: r.credit_code,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

const DISHONESTY_SELECT = `SELECT d.id, d.org_id AS orgId, o.name AS orgName, d.decision_date AS decisionDate,
  d.authority, d.document_no AS documentNo, d.summary, d.recorded_by AS recordedBy, d.recorded_at AS recordedAt,
  d.revoked_at AS revokedAt, d.revoked_by AS revokedBy, d.revoke_reason AS revokeReason,
  d.revoke_authority AS revokeAuthority, d.revoke_document_no AS revokeDocumentNo
  FROM dishonesty_records d JOIN organisations o ON o.id = d.org_id`;

export class OrganisationsRepo {
  constructor(private readonly db: Db) {}

  list(): OrganisationRecord[] {
    return this.db.prepare<[], OrgRow>('SELECT * FROM organisations ORDER BY kind, name').all().map(toOrg);
  }

  byIds(ids: readonly number[]): OrganisationRecord[] {
    return this.db
      .prepare<[string], OrgRow>('SELECT * FROM organisations WHERE id IN (SELECT value FROM json_each(?))')
      .all(JSON.stringify(ids))
      .map(toOrg);
  }

  byId(id: number): OrganisationRecord | undefined {
    const row = this.db.prepare<[number], OrgRow>('SELECT * FROM organisations WHERE id = ?').get(id);
    return row && toOrg(row);
  }

  byName(name: string): OrganisationRecord | undefined {
    const row = this.db.prepare<[string], OrgRow>('SELECT * FROM organisations WHERE name = ?').get(name);
    return row && toOrg(row);
  }

  institution(): OrganisationRecord | undefined {
    const row = this.db.prepare<[], OrgRow>("SELECT * FROM organisations WHERE kind = 'exam_institution'").get();
    return row && toOrg(row);
  }

  insert(o: { name: string; kind: OrgKind; creditCode: string | null }, now: number): number {
    return Number(
      this.db
        .prepare('INSERT INTO organisations (name, kind, credit_code, created_at, updated_at) VALUES (?, ?, ?, ?, ?)')
        .run(o.name, o.kind, o.creditCode, now, now).lastInsertRowid,
    );
  }

  update(id: number, o: { name: string; kind: OrgKind; creditCode: string | null }, now: number): void {
    this.db
      .prepare('UPDATE organisations SET name = ?, kind = ?, credit_code = ?, updated_at = ? WHERE id = ?')
      .run(o.name, o.kind, o.creditCode, now, id);
  }

  dishonestyList(): DishonestyRecordRow[] {
    return this.db
      .prepare<[], DishonestyRecordRow>(`${DISHONESTY_SELECT} ORDER BY d.decision_date DESC, d.id DESC`)
      .all();
  }

  dishonestyById(id: number): DishonestyRecordRow | undefined {
    return this.db.prepare<[number], DishonestyRecordRow>(`${DISHONESTY_SELECT} WHERE d.id = ?`).get(id);
  }

  /** Records in force (not revoked) for the given organisations. */
  activeDishonesty(orgIds: readonly number[]): DishonestyRecordRow[] {
    return this.db
      .prepare<[string], DishonestyRecordRow>(
        `${DISHONESTY_SELECT} WHERE d.revoked_at IS NULL AND d.org_id IN (SELECT value FROM json_each(?)) ORDER BY d.id`,
      )
      .all(JSON.stringify(orgIds));
  }

  insertDishonesty(
    orgId: number,
    r: { decisionDate: string; authority: string; documentNo: string; summary: string },
    actor: string,
    now: number,
  ): number {
    return Number(
      this.db
        .prepare(
          `INSERT INTO dishonesty_records (org_id, decision_date, authority, document_no, summary, recorded_by, recorded_at)
           VALUES (?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(orgId, r.decisionDate, r.authority, r.documentNo, r.summary, actor, now).lastInsertRowid,
    );
  }

  revokeDishonesty(id: number, r: RevokeInput, actor: string, now: number): void {
    this.db
      .prepare(
        `UPDATE dishonesty_records SET revoked_at = ?, revoked_by = ?, revoke_reason = ?, revoke_authority = ?,
           revoke_document_no = ? WHERE id = ?`,
      )
      .run(now, actor, r.reason, r.authority, r.documentNo, id);
  }
}
