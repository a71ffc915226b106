import type { Db } from '../db/open';

export type AttemptRecord = {
  registrationId: number;
  startedAt: number;
  extensionMs: number;
  pausedMs: number;
  lastSeq: number;
  submittedAt: number | null;
  submitReason: 'candidate' | 'time-up' | 'proctor' | null;
};

type AttemptRow = {
  registration_id: number;
  started_at: number;
  extension_ms: number;
  paused_ms: number;
  last_seq: number;
  submitted_at: number | null;
  submit_reason: AttemptRecord['submitReason'];
};

const toAttempt = (r: AttemptRow): AttemptRecord => ({
  registrationId: r.registration_id,
  startedAt: r.started_at,
  extensionMs: r.extension_ms,
  pausedMs: r.paused_ms,
  lastSeq: r.last_seq,
  submittedAt: r.submitted_at,
  submitReason: r.submit_reason,
});

export type StoredAnswer = { position: number; choice: number[]; seq: number; savedAt: number };

export class DeliveryRepo {
  private readonly attemptStmt;
  private readonly upsertAnswer;
  private readonly insertHistory;
  private readonly bumpSeq;

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
    this.bumpSeq = db.prepare('UPDATE attempts SET last_seq = max(last_seq, ?) WHERE registration_id = ?');
  }

  attempt(registrationId: number): AttemptRecord | undefined {
    const row = this.attemptStmt.get(registrationId);
    return row && toAttempt(row);
  }

  startAttempt(registrationId: number, now: number): void {
    this.db.prepare('INSERT OR IGNORE INTO attempts (registration_id, started_at) VALUES (?, ?)').run(registrationId, now);
  }

  /** Stores one save; returns false when this sequence number was already stored (a replay). */
  saveAnswer(registrationId: number, position: number, choice: number[], seq: number, now: number): boolean {
    const json = JSON.stringify(choice);
    const fresh = this.insertHistory.run(registrationId, seq, position, json, now).changes === 1;
    if (!fresh) return false;
    this.upsertAnswer.run(registrationId, position, json, seq, now);
    this.bumpSeq.run(seq, registrationId);
    return true;
  }

  answers(registrationId: number): StoredAnswer[] {
    return this.db
      .prepare<[number], { position: number; choice: string; seq: number; saved_at: number }>(
        'SELECT position, choice, seq, saved_at FROM answers WHERE registration_id = ? ORDER BY position',
      )
      .all(registrationId)
      .map((r) => ({ position: r.position, choice: JSON.parse(r.choice) as number[], seq: r.seq, savedAt: r.saved_at }));
  }

  markSubmitted(registrationId: number, now: number, reason: 'candidate' | 'time-up' | 'proctor'): boolean {
    return (
      this.db
        .prepare('UPDATE attempts SET submitted_at = ?, submit_reason = ? WHERE registration_id = ? AND submitted_at IS NULL')
        .run(now, reason, registrationId).changes === 1
    );
  }

  /** Attempts still open whose time has run out (the auto-submit sweep). */
  dueForAutoSubmit(now: number): { registrationId: number; sessionId: number }[] {
    return this.db
      .prepare<[number], { registrationId: number; sessionId: number }>(
        `SELECT a.registration_id AS registrationId, g.session_id AS sessionId
         FROM attempts a JOIN registrations g ON g.id = a.registration_id JOIN sessions s ON s.id = g.session_id
         WHERE a.submitted_at IS NULL AND s.state = 'running'
           AND a.started_at + s.duration_minutes * 60000 + a.extension_ms + a.paused_ms <= ?`,
      )
      .all(now);
  }
}
