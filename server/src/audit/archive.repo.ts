import { DeliveryRepo, type StoredAnswer } from '../delivery/delivery.repo';
import type { Db } from '../db/open';
import type { ArchiveInfo } from '../protocol';

type Row = Record<string, unknown>;

/**
 * Read-only SQL gathering one session's records for its archive, plus the archives table itself. Tables
 * owned by other domains are read as whole rows so the archive keeps every column they record; a table
 * that does not exist in this build is simply absent from the archive.
 */
export class ArchiveRepo {
  constructor(private readonly db: Db) {}

  private hasTable(name: string): boolean {
    return !!this.db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(name);
  }

  private rows(table: string, sql: string, ...params: unknown[]): Row[] {
    if (!this.hasTable(table)) return [];
    return this.db.prepare<unknown[], Row>(sql).all(...params);
  }

  session(sessionId: number): Row | undefined {
    return this.db.prepare<[number], Row>('SELECT * FROM sessions WHERE id = ?').get(sessionId);
  }

  roster(sessionId: number): Row[] {
    return this.db
      .prepare<[number], Row>(
        `SELECT g.id AS registration_id, g.admission_no, g.seat_no, g.first_login_at, g.created_at AS registered_at,
           c.id AS candidate_id, c.name, c.id_number, c.employer, c.training_org, c.photo IS NOT NULL AS has_photo
         FROM registrations g JOIN candidates c ON c.id = g.candidate_id WHERE g.session_id = ? ORDER BY g.seat_no`,
      )
      .all(sessionId);
  }

  /** Attempt rows as the delivery domain keeps them (start, submission, pauses, extensions). */
  attempts(sessionId: number): Row[] {
    return this.db
      .prepare<[number], Row>(
        'SELECT a.* FROM attempts a JOIN registrations g ON g.id = a.registration_id WHERE g.session_id = ? ORDER BY g.seat_no',
      )
      .all(sessionId);
  }

  staff(sessionId: number): {
    assignments: Row[];
    integrityRuns: Row[];
    integrityChecks: Row[];
    integrityExceptions: Row[];
  } {
    return {
      assignments: this.rows(
        'session_staff',
        `SELECT ss.*, s.name, s.username FROM session_staff ss JOIN staff s ON s.id = ss.staff_id WHERE ss.session_id = ? ORDER BY ss.staff_id`,
        sessionId,
      ),
      integrityRuns: this.rows(
        'integrity_runs',
        'SELECT * FROM integrity_runs WHERE session_id = ? ORDER BY id',
        sessionId,
      ),
      integrityChecks: this.rows(
        'integrity_checks',
        'SELECT * FROM integrity_checks WHERE session_id = ? ORDER BY id',
        sessionId,
      ),
      integrityExceptions: this.rows(
        'integrity_exceptions',
        `SELECT x.*, k.confirmed_by, k.confirmed_at FROM integrity_exceptions x
         LEFT JOIN integrity_exception_confirmations k ON k.exception_id = x.id WHERE x.session_id = ? ORDER BY x.id`,
        sessionId,
      ),
    };
  }

  latestSeal(sessionId: number): Row | undefined {
    if (!this.hasTable('seals')) return undefined;
    return this.db
      .prepare<[number], Row>('SELECT * FROM seals WHERE session_id = ? ORDER BY id DESC LIMIT 1')
      .get(sessionId);
  }

  finalAnswers(registrationId: number): StoredAnswer[] {
    return new DeliveryRepo(this.db).answers(registrationId);
  }

  answerHistory(registrationId: number): { seq: number; position: number; choice: number[]; savedAt: number }[] {
    return this.db
      .prepare<[number], { seq: number; position: number; choice: string; saved_at: number }>(
        'SELECT seq, position, choice, saved_at FROM answer_history WHERE registration_id = ? ORDER BY seq',
      )
      .all(registrationId)
      .map((r) => ({
        seq: r.seq,
        position: r.position,
        choice: JSON.parse(r.choice) as number[],
        savedAt: r.saved_at,
      }));
  }

  results(sessionId: number): Row[] {
    return this.db
      .prepare<[number], Row>(
        `SELECT r.* FROM results r JOIN registrations g ON g.id = r.registration_id WHERE g.session_id = ? ORDER BY g.seat_no`,
      )
      .all(sessionId);
  }

  corrections(sessionId: number): Row[] {
    return this.rows(
      'result_corrections',
      `SELECT rc.* FROM result_corrections rc JOIN registrations g ON g.id = rc.registration_id WHERE g.session_id = ? ORDER BY rc.id`,
      sessionId,
    );
  }

  sessionRows(table: string, sessionId: number): Row[] {
    return this.rows(table, `SELECT * FROM ${table} WHERE session_id = ? ORDER BY rowid`, sessionId);
  }

  seatMoves(sessionId: number): Row[] {
    if (!this.hasTable('seat_moves')) return [];
    const cols = this.db
      .prepare<[], { name: string }>("SELECT name FROM pragma_table_info('seat_moves')")
      .all()
      .map((c) => c.name);
    if (cols.includes('session_id')) return this.sessionRows('seat_moves', sessionId);
    return this.rows(
      'seat_moves',
      'SELECT m.* FROM seat_moves m JOIN registrations g ON g.id = m.registration_id WHERE g.session_id = ? ORDER BY m.rowid',
      sessionId,
    );
  }

  insertArchive(a: Omit<ArchiveInfo, 'id' | 'sessionCode'> & { createdBy: string }): number {
    return Number(
      this.db
        .prepare(
          `INSERT INTO archives (session_id, file, sha256, size, manifest_hash, key_fingerprint, created_by, created_at, retain_until)
           VALUES (@sessionId, @file, @sha256, @size, @manifestHash, @keyFingerprint, @createdBy, @createdAt, @retainUntil)`,
        )
        .run(a).lastInsertRowid,
    );
  }

  archives(sessionId?: number): ArchiveInfo[] {
    return this.db
      .prepare<[{ sid: number | null }], ArchiveInfo>(
        `SELECT a.id, a.session_id AS sessionId, s.code AS sessionCode, a.file, a.sha256, a.size, a.manifest_hash AS manifestHash,
           a.key_fingerprint AS keyFingerprint, a.created_at AS createdAt, a.retain_until AS retainUntil
         FROM archives a JOIN sessions s ON s.id = a.session_id WHERE (@sid IS NULL OR a.session_id = @sid) ORDER BY a.id DESC`,
      )
      .all({ sid: sessionId ?? null });
  }

  archive(id: number): ArchiveInfo | undefined {
    return this.archives().find((a) => a.id === id);
  }

  /** Deletion goes through the retention trigger: refused inside the retention period (0006). */
  deleteArchive(id: number): void {
    this.db.prepare('DELETE FROM archives WHERE id = ?').run(id);
  }
}
