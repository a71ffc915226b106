import type { Db } from '../db/open';
import type { DisciplinaryInput, RevokeInput } from '../protocol';

export type StaffProfileRecord = {
  staffId: number;
  idNumber: string | null;
  employerOrgId: number | null;
  qualification: { certNo: string; validFrom: string; validTo: string } | null;
  updatedAt: number;
};

export type DisciplinaryRecordRow = {
  id: number;
  staffId: number;
  staffName: string;
  kind: DisciplinaryInput['kind'];
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

type ProfileRow = {
  staff_id: number;
  id_number: string | null;
  employer_org_id: number | null;
  cert_no: string | null;
  cert_valid_from: string | null;
  cert_valid_to: string | null;
  updated_at: number;
};

const toProfile = (r: ProfileRow): StaffProfileRecord => ({
  staffId: r.staff_id,
  idNumber: r.id_number,
  employerOrgId: r.employer_org_id,
  qualification:
    r.cert_no && r.cert_valid_from && r.cert_valid_to
      ? { certNo: r.cert_no, validFrom: r.cert_valid_from, validTo: r.cert_valid_to }
      : null,
  updatedAt: r.updated_at,
});

const DISCIPLINARY_SELECT = `SELECT d.id, d.staff_id AS staffId, s.name AS staffName, d.kind, d.decision_date AS decisionDate,
  d.authority, d.document_no AS documentNo, d.summary, d.recorded_by AS recordedBy, d.recorded_at AS recordedAt,
  d.revoked_at AS revokedAt, d.revoked_by AS revokedBy, d.revoke_reason AS revokeReason,
  d.revoke_authority AS revokeAuthority, d.revoke_document_no AS revokeDocumentNo
  FROM disciplinary_records d JOIN staff s ON s.id = d.staff_id`;

export class StaffProfilesRepo {
  constructor(private readonly db: Db) {}

  get(staffId: number): StaffProfileRecord | undefined {
    const row = this.db.prepare<[number], ProfileRow>('SELECT * FROM staff_profiles WHERE staff_id = ?').get(staffId);
    return row && toProfile(row);
  }

  byIdNumber(idNumber: string): StaffProfileRecord | undefined {
    const row = this.db.prepare<[string], ProfileRow>('SELECT * FROM staff_profiles WHERE id_number = ?').get(idNumber);
    return row && toProfile(row);
  }

  /** Profiles of the given staff (all staff when ids is omitted). */
  list(ids?: readonly number[]): StaffProfileRecord[] {
    const rows = ids
      ? this.db
          .prepare<[string], ProfileRow>(
            'SELECT * FROM staff_profiles WHERE staff_id IN (SELECT value FROM json_each(?))',
          )
          .all(JSON.stringify(ids))
      : this.db.prepare<[], ProfileRow>('SELECT * FROM staff_profiles').all();
    return rows.map(toProfile);
  }

  upsert(p: Omit<StaffProfileRecord, 'updatedAt'>, now: number): void {
    const q = p.qualification;
    this.db
      .prepare(
        `INSERT INTO staff_profiles (staff_id, id_number, employer_org_id, cert_no, cert_valid_from, cert_valid_to, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (staff_id) DO UPDATE SET id_number = excluded.id_number, employer_org_id = excluded.employer_org_id,
           cert_no = excluded.cert_no, cert_valid_from = excluded.cert_valid_from, cert_valid_to = excluded.cert_valid_to,
           updated_at = excluded.updated_at`,
      )
      .run(p.staffId, p.idNumber, p.employerOrgId, q?.certNo ?? null, q?.validFrom ?? null, q?.validTo ?? null, now);
  }

  disciplinaryList(staffId?: number): DisciplinaryRecordRow[] {
    return staffId === undefined
      ? this.db
          .prepare<[], DisciplinaryRecordRow>(`${DISCIPLINARY_SELECT} ORDER BY d.decision_date DESC, d.id DESC`)
          .all()
      : this.db
          .prepare<[number], DisciplinaryRecordRow>(`${DISCIPLINARY_SELECT} WHERE d.staff_id = ? ORDER BY d.id`)
          .all(staffId);
  }

  disciplinaryById(id: number): DisciplinaryRecordRow | undefined {
    return this.db.prepare<[number], DisciplinaryRecordRow>(`${DISCIPLINARY_SELECT} WHERE d.id = ?`).get(id);
  }

  /** Records in force (not revoked) for the given staff. */
  activeDisciplinary(staffIds: readonly number[]): DisciplinaryRecordRow[] {
    return this.db
      .prepare<[string], DisciplinaryRecordRow>(
        `${DISCIPLINARY_SELECT} WHERE d.revoked_at IS NULL AND d.staff_id IN (SELECT value FROM json_each(?)) ORDER BY d.id`,
      )
      .all(JSON.stringify(staffIds));
  }

  insertDisciplinary(staffId: number, r: DisciplinaryInput, actor: string, now: number): number {
    return Number(
      this.db
        .prepare(
          `INSERT INTO disciplinary_records (staff_id, kind, decision_date, authority, document_no, summary, recorded_by, recorded_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(staffId, r.kind, r.decisionDate, r.authority, r.documentNo, r.summary, actor, now).lastInsertRowid,
    );
  }

  revokeDisciplinary(id: number, r: RevokeInput, actor: string, now: number): void {
    this.db
      .prepare(
        `UPDATE disciplinary_records SET revoked_at = ?, revoked_by = ?, revoke_reason = ?, revoke_authority = ?,
           revoke_document_no = ? WHERE id = ?`,
      )
      .run(now, actor, r.reason, r.authority, r.documentNo, id);
  }
}
