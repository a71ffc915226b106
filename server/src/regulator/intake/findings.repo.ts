import type { Db } from '../../db/open';
import { cachedStatement } from '../../db/statements';

// SQL of the cross-centre checks, findings and cases. Bans are H1's table (reg_bans): read here, never written.

/** A sitting with where and when it was: what one end of a finding names. */
export type SittingRef = {
  id: number;
  id_number: string;
  name: string;
  category: string;
  exam_date: string;
  score: number | null;
  passed: number | null;
  training_org_name: string | null;
  training_org_credit: string | null;
  session_code: string;
  scheduled_start: number;
  scheduled_end: number;
  archive_id: number | null;
  centre_id: number;
  centre_code: string;
  centre_name: string;
};
export type DutyRef = {
  id_number: string;
  name: string;
  duty: string;
  exam_date: string;
  session_code: string;
  centre_id: number;
  centre_code: string;
  centre_name: string;
};
export type BanRow = {
  id: number;
  kind: 'person' | 'organisation';
  subject: string;
  name: string;
  reason: string | null;
  decision_date: string;
  barred_until: string | null;
  authority: string;
  document_no: string;
};
export type FindingRow = {
  id: number;
  kind: string;
  key: string;
  summary: string;
  a_json: string;
  b_json: string;
  found_at: number;
  case_id: number | null;
};
export type CaseRow = {
  id: number;
  finding_id: number;
  measure: string;
  responsible: string;
  deadline: string;
  note: string | null;
  opened_by: string;
  opened_at: number;
  status: string;
};

export const SITTING = `SELECT s.id, s.id_number, s.name, s.category, s.exam_date, s.score, s.passed, s.training_org_name,
    s.training_org_credit, ses.session_code, ses.scheduled_start, ses.scheduled_end, ses.archive_id,
    c.id AS centre_id, c.code AS centre_code, c.name AS centre_name
  FROM reg_sittings s JOIN reg_sessions ses ON ses.id = s.session_id JOIN reg_centres c ON c.id = s.centre_id`;
const DUTY = `SELECT d.id_number, d.name, d.duty, d.exam_date, ses.session_code, c.id AS centre_id,
    c.code AS centre_code, c.name AS centre_name
  FROM reg_staff_duties d JOIN reg_sessions ses ON ses.id = d.session_id JOIN reg_centres c ON c.id = d.centre_id`;

export class FindingsRepo {
  constructor(private readonly db: Db) {}

  sittingsOf(idNumber: string): SittingRef[] {
    return cachedStatement<[string], SittingRef>(
      this.db,
      `${SITTING} WHERE s.id_number = ? ORDER BY s.exam_date, ses.scheduled_start, s.id`,
    ).all(idNumber);
  }

  dutiesOf(idNumber: string): DutyRef[] {
    return cachedStatement<[string], DutyRef>(this.db, `${DUTY} WHERE d.id_number = ? ORDER BY d.exam_date`).all(
      idNumber,
    );
  }

  /** Sittings whose training organisation is this credit code, in a date range (a dishonest organisation's term). */
  sittingsOfOrganisation(creditCode: string, from: string, to: string, limit: number): SittingRef[] {
    return cachedStatement<[string, string, string, number], SittingRef>(
      this.db,
      `${SITTING} WHERE s.training_org_credit = ? AND s.exam_date BETWEEN ? AND ? ORDER BY s.exam_date LIMIT ?`,
    ).all(creditCode, from, to, limit);
  }

  bansInForce(): BanRow[] {
    return cachedStatement<[], BanRow>(
      this.db,
      `SELECT id, kind, subject, name, reason, decision_date, barred_until, authority, document_no
       FROM reg_bans WHERE lifted_at IS NULL ORDER BY id`,
    ).all();
  }

  personBansOf(idNumber: string): BanRow[] {
    return cachedStatement<[string], BanRow>(
      this.db,
      `SELECT id, kind, subject, name, reason, decision_date, barred_until, authority, document_no
       FROM reg_bans WHERE lifted_at IS NULL AND kind = 'person' AND subject = ?`,
    ).all(idNumber);
  }

  /** A finding is recorded once: its key names both records, so a re-check finds nothing new. */
  insertFinding(f: { kind: string; key: string; summary: string; a: unknown; b: unknown; at: number }): void {
    cachedStatement(
      this.db,
      `INSERT OR IGNORE INTO reg_findings (kind, key, summary, a_json, b_json, found_at) VALUES (?, ?, ?, ?, ?, ?)`,
    ).run(f.kind, f.key, f.summary, JSON.stringify(f.a), JSON.stringify(f.b), f.at);
  }

  findings(filter: { kind?: string; idNumber?: string; limit: number }): FindingRow[] {
    const where: string[] = [];
    const params: (string | number)[] = [];
    if (filter.kind) {
      where.push('f.kind = ?');
      params.push(filter.kind);
    }
    if (filter.idNumber) {
      // Both ends are kept as JSON; the id number appears in the key of every finding about a person.
      where.push("f.key LIKE '%' || ? || '%'");
      params.push(filter.idNumber);
    }
    return this.db
      .prepare<(string | number)[], FindingRow>(
        `SELECT f.*, k.id AS case_id FROM reg_findings f LEFT JOIN reg_cases k ON k.finding_id = f.id
         ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY f.id DESC LIMIT ?`,
      )
      .all(...params, filter.limit);
  }

  finding(id: number): FindingRow | undefined {
    return cachedStatement<[number], FindingRow>(
      this.db,
      'SELECT f.*, k.id AS case_id FROM reg_findings f LEFT JOIN reg_cases k ON k.finding_id = f.id WHERE f.id = ?',
    ).get(id);
  }

  insertCase(c: Omit<CaseRow, 'id' | 'status'>): number {
    return Number(
      cachedStatement(
        this.db,
        `INSERT INTO reg_cases (finding_id, measure, responsible, deadline, note, opened_by, opened_at)
         VALUES (@finding_id, @measure, @responsible, @deadline, @note, @opened_by, @opened_at)`,
      ).run(c).lastInsertRowid,
    );
  }

  cases(): (CaseRow & { kind: string; summary: string; a_json: string; b_json: string })[] {
    return cachedStatement<[], CaseRow & { kind: string; summary: string; a_json: string; b_json: string }>(
      this.db,
      `SELECT k.*, f.kind, f.summary, f.a_json, f.b_json FROM reg_cases k JOIN reg_findings f ON f.id = k.finding_id
       ORDER BY k.id DESC`,
    ).all();
  }
}
