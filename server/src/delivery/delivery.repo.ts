import type { Db } from '../db/open';
import { cachedStatement } from '../db/statements';
import type { PauseInterval } from './exam-clock';

export type OpenAttempt = {
  registrationId: number;
  sessionId: number;
  startedAt: number;
  extensionMs: number;
  durationMs: number;
};

export type PauseKind = 'session' | 'candidate' | 'seat-move' | 'server-outage';

export type AttemptRecord = {
  registrationId: number;
  startedAt: number;
  extensionMs: number;
  submittedAt: number | null;
  submitReason: 'candidate' | 'time-up' | 'proctor' | null;
};

type AttemptRow = {
  registration_id: number;
  started_at: number;
  extension_ms: number;
  submitted_at: number | null;
  submit_reason: AttemptRecord['submitReason'];
};

const toAttempt = (r: AttemptRow): AttemptRecord => ({
  registrationId: r.registration_id,
  startedAt: r.started_at,
  extensionMs: r.extension_ms,
  submittedAt: r.submitted_at,
  submitReason: r.submit_reason,
});

export type StoredAnswer = { position: number; choice: number[]; seq: number; savedAt: number };

export class DeliveryRepo {
  private readonly attemptStmt;
  private readonly upsertAnswer;
  private readonly insertHistory;
  private readonly lastSeqStmt;
  private readonly pauseStmt;

  constructor(private readonly db: Db) {
    this.attemptStmt = db.prepare<[number], AttemptRow>('SELECT * FROM attempts WHERE registration_id = ?');
    // Higher sequence wins: a replayed or reordered older save never overwrites a newer one.
    this.upsertAnswer = db.prepare(
      `INSERT INTO answers (registration_id, position, choice, seq, saved_at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (registration_id, position) DO UPDATE SET choice = excluded.choice, seq = excluded.seq,
         saved_at = excluded.saved_at WHERE excluded.seq > answers.seq`,
    );
    this.insertHistory = db.prepare(
      'INSERT OR IGNORE INTO answer_history (registration_id, seq, position, choice, saved_at) VALUES (?, ?, ?, ?, ?)',
    );
    this.lastSeqStmt = db.prepare<[number], { seq: number }>(
      'SELECT coalesce(max(seq), 0) AS seq FROM answer_history WHERE registration_id = ?',
    );
    this.pauseStmt = db.prepare<[number, number], PauseInterval & { kind: PauseKind; registrationId: number | null }>(
      `SELECT started_at AS startedAt, ended_at AS endedAt, kind, registration_id AS registrationId FROM pauses
       WHERE session_id = ? AND (registration_id IS NULL OR registration_id = ?)`,
    );
  }

  attempt(registrationId: number): AttemptRecord | undefined {
    const row = this.attemptStmt.get(registrationId);
    return row && toAttempt(row);
  }

  startAttempt(registrationId: number, now: number): void {
    this.db
      .prepare('INSERT OR IGNORE INTO attempts (registration_id, started_at) VALUES (?, ?)')
      .run(registrationId, now);
  }

  /** Stores one save; returns false when this sequence number was already stored (a replay). */
  saveAnswer(registrationId: number, position: number, choice: number[], seq: number, now: number): boolean {
    const json = JSON.stringify(choice);
    const fresh = this.insertHistory.run(registrationId, seq, position, json, now).changes === 1;
    if (!fresh) return false;
    this.upsertAnswer.run(registrationId, position, json, seq, now);
    return true;
  }

  /** The highest sequence number stored for this candidate: the client continues after it. */
  lastSeq(registrationId: number): number {
    return this.lastSeqStmt.get(registrationId)?.seq ?? 0;
  }

  answers(registrationId: number): StoredAnswer[] {
    return this.db
      .prepare<[number], { position: number; choice: string; seq: number; saved_at: number }>(
        'SELECT position, choice, seq, saved_at FROM answers WHERE registration_id = ? ORDER BY position',
      )
      .all(registrationId)
      .map((r) => ({
        position: r.position,
        choice: JSON.parse(r.choice) as number[],
        seq: r.seq,
        savedAt: r.saved_at,
      }));
  }

  markSubmitted(registrationId: number, now: number, reason: 'candidate' | 'time-up' | 'proctor'): boolean {
    return (
      this.db
        .prepare(
          'UPDATE attempts SET submitted_at = ?, submit_reason = ? WHERE registration_id = ? AND submitted_at IS NULL',
        )
        .run(now, reason, registrationId).changes === 1
    );
  }

  /** Pause intervals that stop this candidate's clock: the session's and their own. */
  pausesFor(
    sessionId: number,
    registrationId: number,
  ): (PauseInterval & { kind: PauseKind; registrationId: number | null })[] {
    return this.pauseStmt.all(sessionId, registrationId);
  }

  openPause(p: {
    sessionId: number;
    registrationId: number | null;
    kind: PauseKind;
    at: number;
    reason: string;
    by: string;
  }): void {
    this.db
      .prepare(
        `INSERT INTO pauses (session_id, registration_id, kind, started_at, reason, started_by)
         VALUES (?, ?, ?, ?, ?, ?)`,
      )
      .run(p.sessionId, p.registrationId, p.kind, p.at, p.reason, p.by);
  }

  /** A closed interval, e.g. a server outage measured after the fact. */
  insertPause(p: {
    sessionId: number;
    kind: PauseKind;
    startedAt: number;
    endedAt: number;
    reason: string;
    by: string;
  }): void {
    this.db
      .prepare(
        `INSERT INTO pauses (session_id, registration_id, kind, started_at, ended_at, reason, started_by, ended_by)
         VALUES (?, NULL, ?, ?, ?, ?, ?, ?)`,
      )
      .run(p.sessionId, p.kind, p.startedAt, p.endedAt, p.reason, p.by, p.by);
  }

  /** Ends the open pauses of the session (registrationId null) or of one candidate; returns how many. */
  closePauses(sessionId: number, registrationId: number | null, at: number, by: string, kinds?: PauseKind[]): number {
    const kindFilter = kinds ? `AND kind IN (${kinds.map(() => '?').join(',')})` : '';
    const who = registrationId === null ? 'registration_id IS NULL' : 'registration_id = ?';
    const args = [at, by, sessionId, ...(registrationId === null ? [] : [registrationId]), ...(kinds ?? [])];
    return this.db
      .prepare(
        `UPDATE pauses SET ended_at = ?, ended_by = ? WHERE session_id = ? AND ${who} AND ended_at IS NULL ${kindFilter}`,
      )
      .run(...args).changes;
  }

  addExtension(registrationId: number, ms: number): void {
    this.db
      .prepare('UPDATE attempts SET extension_ms = extension_ms + ? WHERE registration_id = ?')
      .run(ms, registrationId);
  }

  /**
   * Attempts still open in running or paused sessions. With `dueBy`, only those whose time would be up by then
   * if there had been no pause (pauses only add time): the auto-submit sweep checks those few exactly, instead
   * of computing every candidate's clock every second.
   */
  openAttempts(dueBy?: number): OpenAttempt[] {
    return cachedStatement<[number], OpenAttempt>(
      this.db,
      `SELECT a.registration_id AS registrationId, g.session_id AS sessionId, a.started_at AS startedAt,
         a.extension_ms AS extensionMs, s.duration_minutes * 60000 AS durationMs
       FROM attempts a JOIN registrations g ON g.id = a.registration_id JOIN sessions s ON s.id = g.session_id
       WHERE a.submitted_at IS NULL AND s.state IN ('running', 'paused')
         AND a.started_at + s.duration_minutes * 60000 + a.extension_ms <= ?`,
    ).all(dueBy ?? Number.MAX_SAFE_INTEGER);
  }

  pausesOfSessions(sessionIds: number[]): (PauseInterval & { sessionId: number; registrationId: number | null })[] {
    if (sessionIds.length === 0) return [];
    return this.db
      .prepare<number[], PauseInterval & { sessionId: number; registrationId: number | null }>(
        `SELECT session_id AS sessionId, registration_id AS registrationId, started_at AS startedAt, ended_at AS endedAt
         FROM pauses WHERE session_id IN (${sessionIds.map(() => '?').join(',')})`,
      )
      .all(...sessionIds);
  }
}
