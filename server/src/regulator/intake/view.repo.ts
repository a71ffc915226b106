import type { Db } from '../../db/open';
import { cachedStatement } from '../../db/statements';

// Reads behind the officials' one view: search, sessions, pass rates, missing archives.

export type SearchFilter = {
  idNumber?: string;
  name?: string;
  centre?: string;
  category?: string;
  from?: string;
  to?: string;
};

export type SearchRowDb = {
  centre_code: string;
  centre_name: string;
  session_code: string;
  category: string;
  exam_date: string;
  id_number: string;
  name: string;
  training_org_name: string | null;
  training_org_credit: string | null;
  score: number | null;
  max_score: number | null;
  passed: number | null;
  archive_id: number | null;
  archive_status: string | null;
};

const SEARCH = `SELECT c.code AS centre_code, c.name AS centre_name, ses.session_code, s.category, s.exam_date,
    s.id_number, s.name, s.training_org_name, s.training_org_credit, s.score, s.max_score, s.passed,
    ses.archive_id, a.status AS archive_status
  FROM reg_sittings s JOIN reg_sessions ses ON ses.id = s.session_id JOIN reg_centres c ON c.id = s.centre_id
  LEFT JOIN reg_archives a ON a.id = ses.archive_id`;

export type MissingRowDb = {
  centre_code: string;
  centre_name: string;
  session_code: string;
  category: string;
  state: string;
  scheduled_end: number;
};

export type OutcomeRowDb = { group_key: string; group_name: string; exam_date: string; sat: number; passed: number };

export class ViewRepo {
  constructor(private readonly db: Db) {}

  /** Filters combine with AND; each one has an index (0002_regulator_intake.sql). */
  search(f: SearchFilter, limit: number): SearchRowDb[] {
    if (f.idNumber && !f.name && !f.centre && !f.category && !f.from && !f.to)
      // The hot path (the bench's regulator-search-p99-ms): one prepared statement on the id_number index.
      return cachedStatement<[string, number], SearchRowDb>(
        this.db,
        `${SEARCH} WHERE s.id_number = ? ORDER BY s.exam_date DESC, s.id DESC LIMIT ?`,
      ).all(f.idNumber, limit);
    const where: string[] = [];
    const params: (string | number)[] = [];
    const add = (sql: string, v: string | undefined) => {
      if (v === undefined) return;
      where.push(sql);
      params.push(v);
    };
    add('s.id_number = ?', f.idNumber);
    // A name search matches the start of the name (index-friendly); Chinese names are searched by surname + given.
    add("s.name LIKE ? || '%'", f.name?.replace(/[%_]/g, ''));
    add('c.code = ?', f.centre);
    add('s.category = ?', f.category);
    add('s.exam_date >= ?', f.from);
    add('s.exam_date <= ?', f.to);
    return this.db
      .prepare<(string | number)[], SearchRowDb>(
        `${SEARCH} ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY s.exam_date DESC, s.id DESC LIMIT ?`,
      )
      .all(...params, limit);
  }

  sittingsOfSession(sessionId: number): SearchRowDb[] {
    return cachedStatement<[number], SearchRowDb>(this.db, `${SEARCH} WHERE s.session_id = ? ORDER BY s.id`).all(
      sessionId,
    );
  }

  staffOfSession(sessionId: number): { id_number: string; name: string; duty: string }[] {
    return cachedStatement<[number], { id_number: string; name: string; duty: string }>(
      this.db,
      'SELECT id_number, name, duty FROM reg_staff_duties WHERE session_id = ? ORDER BY duty, name',
    ).all(sessionId);
  }

  anomaliesOfSession(sessionId: number): {
    source: 'archive' | 'notice';
    kind: string;
    id_number: string | null;
    name: string | null;
    detail: string;
    at: number | null;
  }[] {
    return cachedStatement<
      [number],
      {
        source: 'archive' | 'notice';
        kind: string;
        id_number: string | null;
        name: string | null;
        detail: string;
        at: number | null;
      }
    >(
      this.db,
      'SELECT source, kind, id_number, name, detail, at FROM reg_anomalies WHERE session_id = ? ORDER BY id',
    ).all(sessionId);
  }

  staleExceptionsOf(
    centreId: number,
    sessionCode: string,
  ): { reason: string; recorded_by: string; list_version: number; list_as_of: number; received_at: number }[] {
    return cachedStatement<
      [number, string],
      { reason: string; recorded_by: string; list_version: number; list_as_of: number; received_at: number }
    >(
      this.db,
      `SELECT reason, recorded_by, list_version, list_as_of, received_at FROM reg_stale_exceptions
       WHERE centre_id = ? AND session_code = ? ORDER BY id`,
    ).all(centreId, sessionCode);
  }

  missingArchives(endedBefore: number): MissingRowDb[] {
    return cachedStatement<[number], MissingRowDb>(
      this.db,
      `SELECT c.code AS centre_code, c.name AS centre_name, ses.session_code, ses.category, ses.state,
         ses.scheduled_end
       FROM reg_sessions ses JOIN reg_centres c ON c.id = ses.centre_id
       WHERE ses.archive_id IS NULL AND ses.scheduled_end < ? ORDER BY ses.scheduled_end`,
    ).all(endedBefore);
  }

  missingCountOfCentre(centreId: number, endedBefore: number): number {
    return (
      cachedStatement<[number, number], { n: number }>(
        this.db,
        `SELECT COUNT(*) AS n FROM reg_sessions WHERE centre_id = ? AND archive_id IS NULL AND scheduled_end < ?`,
      ).get(centreId, endedBefore)?.n ?? 0
    );
  }

  /** Graded sittings per group and exam day; the service folds days into periods. */
  outcomes(by: 'centre' | 'training-org'): OutcomeRowDb[] {
    const sql =
      by === 'centre'
        ? `SELECT c.code AS group_key, c.name AS group_name, s.exam_date, COUNT(*) AS sat, SUM(s.passed) AS passed
           FROM reg_sittings s JOIN reg_centres c ON c.id = s.centre_id WHERE s.passed IS NOT NULL
           GROUP BY c.code, s.exam_date`
        : `SELECT COALESCE(s.training_org_credit, s.training_org_name) AS group_key,
             MAX(s.training_org_name) AS group_name, s.exam_date, COUNT(*) AS sat, SUM(s.passed) AS passed
           FROM reg_sittings s WHERE s.passed IS NOT NULL AND COALESCE(s.training_org_credit, s.training_org_name) IS NOT NULL
           GROUP BY COALESCE(s.training_org_credit, s.training_org_name), s.exam_date`;
    return cachedStatement<[], OutcomeRowDb>(this.db, sql).all();
  }

  personNames(idNumber: string): string[] {
    return cachedStatement<[string, string], { name: string }>(
      this.db,
      `SELECT name FROM reg_sittings WHERE id_number = ? UNION SELECT name FROM reg_staff_duties WHERE id_number = ?`,
    )
      .all(idNumber, idNumber)
      .map((r) => r.name);
  }
}
