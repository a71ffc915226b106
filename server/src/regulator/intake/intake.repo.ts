import type { Db } from '../../db/open';
import { cachedStatement } from '../../db/statements';

// The only SQL of the regulator's intake: sessions, sittings, staff duties, anomalies and archives. Kept
// narrow (one statement per question) so the same interface could sit over PostgreSQL for a national
// deployment (README, design notes).

export type CentreRow = { id: number; code: string; name: string; public_key_pem: string; fingerprint: string };

export type SessionRow = {
  id: number;
  centre_id: number;
  session_code: string;
  name: string | null;
  category: string;
  state: string;
  scheduled_start: number;
  scheduled_end: number;
  exam_date: string;
  last_notice_at: number | null;
  archive_id: number | null;
};

export type SessionUpsert = Omit<SessionRow, 'id' | 'last_notice_at' | 'archive_id'> & {
  last_notice_at: number | null;
};

export type SittingUpsert = {
  idNumber: string;
  name: string;
  trainingOrgName: string | null;
  trainingOrgCredit: string | null;
};
export type ResultUpdate = { idNumber: string; score: number; maxScore: number; passed: boolean };
export type StaffDuty = { idNumber: string; name: string; duty: string };
export type AnomalyInsert = {
  source: 'archive' | 'notice';
  kind: string;
  idNumber: string | null;
  name: string | null;
  detail: string;
  at: number | null;
};

export type ArchiveInsert = {
  centreId: number;
  sessionId: number | null;
  sessionCode: string;
  fileName: string;
  storedPath: string;
  sha256: string;
  sha256MatchesMessage: boolean;
  size: number;
  status: 'VALID' | 'INVALID' | 'INCOMPLETE';
  reportJson: string;
  verifiedFingerprint: string;
  embeddedFingerprint: string | null;
  embeddedMatchesPin: boolean;
  receivedAt: number;
  via: 'link' | 'bundle';
  seq: number;
};

export type ArchiveRow = {
  id: number;
  centre_id: number;
  session_id: number | null;
  session_code: string;
  file_name: string;
  stored_path: string;
  sha256: string;
  sha256_matches_message: number;
  size: number;
  status: 'VALID' | 'INVALID' | 'INCOMPLETE';
  report_json: string;
  verified_fingerprint: string;
  embedded_fingerprint: string | null;
  embedded_matches_pin: number;
  received_at: number;
  via: 'link' | 'bundle';
  seq: number;
};

export class IntakeRepo {
  constructor(private readonly db: Db) {}

  centre(id: number): CentreRow | undefined {
    return cachedStatement<[number], CentreRow>(
      this.db,
      'SELECT id, code, name, public_key_pem, fingerprint FROM reg_centres WHERE id = ?',
    ).get(id);
  }

  centreByCode(code: string): CentreRow | undefined {
    return cachedStatement<[string], CentreRow>(
      this.db,
      'SELECT id, code, name, public_key_pem, fingerprint FROM reg_centres WHERE code = ?',
    ).get(code);
  }

  session(centreId: number, code: string): SessionRow | undefined {
    return cachedStatement<[number, string], SessionRow>(
      this.db,
      'SELECT * FROM reg_sessions WHERE centre_id = ? AND session_code = ?',
    ).get(centreId, code);
  }

  sessionById(id: number): SessionRow | undefined {
    return cachedStatement<[number], SessionRow>(this.db, 'SELECT * FROM reg_sessions WHERE id = ?').get(id);
  }

  /** Inserts or refreshes a session; a name already known (from an archive) is kept when the notice has none. */
  upsertSession(s: SessionUpsert): number {
    cachedStatement(
      this.db,
      `INSERT INTO reg_sessions (centre_id, session_code, name, category, state, scheduled_start, scheduled_end,
         exam_date, last_notice_at)
       VALUES (@centre_id, @session_code, @name, @category, @state, @scheduled_start, @scheduled_end, @exam_date,
         @last_notice_at)
       ON CONFLICT (centre_id, session_code) DO UPDATE SET name = COALESCE(excluded.name, name),
         category = excluded.category, state = excluded.state, scheduled_start = excluded.scheduled_start,
         scheduled_end = excluded.scheduled_end, exam_date = excluded.exam_date,
         last_notice_at = COALESCE(excluded.last_notice_at, last_notice_at)`,
    ).run(s);
    return (this.session(s.centre_id, s.session_code) as SessionRow).id;
  }

  setSessionArchive(sessionId: number, archiveId: number): void {
    cachedStatement(this.db, 'UPDATE reg_sessions SET archive_id = ? WHERE id = ?').run(archiveId, sessionId);
  }

  /** A sitting's person and training organisation; a result already indexed from an archive is kept. */
  upsertSittings(session: SessionRow, rows: readonly SittingUpsert[]): void {
    const stmt = cachedStatement(
      this.db,
      `INSERT INTO reg_sittings (session_id, centre_id, id_number, name, category, exam_date, training_org_name,
         training_org_credit)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (session_id, id_number) DO UPDATE SET name = excluded.name, category = excluded.category,
         exam_date = excluded.exam_date,
         training_org_name = COALESCE(excluded.training_org_name, training_org_name),
         training_org_credit = COALESCE(excluded.training_org_credit, training_org_credit)`,
    );
    for (const r of rows)
      stmt.run(
        session.id,
        session.centre_id,
        r.idNumber,
        r.name,
        session.category,
        session.exam_date,
        r.trainingOrgName,
        r.trainingOrgCredit,
      );
  }

  setResults(sessionId: number, rows: readonly ResultUpdate[]): void {
    const stmt = cachedStatement(
      this.db,
      'UPDATE reg_sittings SET score = ?, max_score = ?, passed = ? WHERE session_id = ? AND id_number = ?',
    );
    for (const r of rows) stmt.run(r.score, r.maxScore, r.passed ? 1 : 0, sessionId, r.idNumber);
  }

  /** Staff of a session as last reported: a notice replaces the list (a duty withdrawn is no longer there). */
  replaceStaff(session: SessionRow, rows: readonly StaffDuty[]): void {
    cachedStatement(this.db, 'DELETE FROM reg_staff_duties WHERE session_id = ?').run(session.id);
    const stmt = cachedStatement(
      this.db,
      `INSERT OR IGNORE INTO reg_staff_duties (session_id, centre_id, id_number, name, duty, exam_date)
       VALUES (?, ?, ?, ?, ?, ?)`,
    );
    for (const r of rows) stmt.run(session.id, session.centre_id, r.idNumber, r.name, r.duty, session.exam_date);
  }

  /** Anomalies from one source are replaced as a whole (a later notice or archive supersedes the earlier). */
  replaceAnomalies(sessionId: number, source: 'archive' | 'notice', rows: readonly AnomalyInsert[]): void {
    cachedStatement(this.db, 'DELETE FROM reg_anomalies WHERE session_id = ? AND source = ?').run(sessionId, source);
    const stmt = cachedStatement(
      this.db,
      `INSERT INTO reg_anomalies (session_id, source, kind, id_number, name, detail, at)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
    );
    for (const r of rows) stmt.run(sessionId, r.source, r.kind, r.idNumber, r.name, r.detail, r.at);
  }

  insertArchive(a: ArchiveInsert): number {
    const r = cachedStatement(
      this.db,
      `INSERT INTO reg_archives (centre_id, session_id, session_code, file_name, stored_path, sha256,
         sha256_matches_message, size, status, report_json, verified_fingerprint, embedded_fingerprint,
         embedded_matches_pin, received_at, via, seq)
       VALUES (@centreId, @sessionId, @sessionCode, @fileName, @storedPath, @sha256, @sha256MatchesMessage, @size,
         @status, @reportJson, @verifiedFingerprint, @embeddedFingerprint, @embeddedMatchesPin, @receivedAt, @via,
         @seq)`,
    ).run({
      ...a,
      sha256MatchesMessage: a.sha256MatchesMessage ? 1 : 0,
      embeddedMatchesPin: a.embeddedMatchesPin ? 1 : 0,
    });
    return Number(r.lastInsertRowid);
  }

  archive(id: number): ArchiveRow | undefined {
    return cachedStatement<[number], ArchiveRow>(this.db, 'SELECT * FROM reg_archives WHERE id = ?').get(id);
  }

  archivesOfSession(sessionId: number): ArchiveRow[] {
    return cachedStatement<[number], ArchiveRow>(
      this.db,
      'SELECT * FROM reg_archives WHERE session_id = ? ORDER BY id',
    ).all(sessionId);
  }
}
