import type { Db } from '../db/open';
import type { LateAnswerView } from '../protocol';

export type NewLateAnswer = {
  registrationId: number;
  sessionId: number;
  position: number;
  choice: number[];
  seq: number;
  choiceHash: string;
  reason: LateAnswerView['reason'];
  receivedAt: number;
};

type Row = {
  id: number;
  registration_id: number;
  admission_no: string;
  candidate_name: string;
  seat_no: number;
  position: number;
  choice: string;
  seq: number;
  choice_hash: string;
  reason: LateAnswerView['reason'];
  received_at: number;
};

/** Refused late saves kept as evidence (0010_…late_saves.sql): append-only, one row per distinct save. */
export class LateAnswersRepo {
  constructor(private readonly db: Db) {}

  /** The new row's id, or null when the same save (same position, seq and content) was already kept. */
  insert(a: NewLateAnswer): number | null {
    const info = this.db
      .prepare(
        `INSERT OR IGNORE INTO late_answers
           (registration_id, session_id, position, choice, seq, choice_hash, reason, received_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        a.registrationId,
        a.sessionId,
        a.position,
        JSON.stringify(a.choice),
        a.seq,
        a.choiceHash,
        a.reason,
        a.receivedAt,
      );
    return info.changes === 1 ? Number(info.lastInsertRowid) : null;
  }

  ofSession(sessionId: number): LateAnswerView[] {
    return this.db
      .prepare<[number], Row>(
        `SELECT l.id, l.registration_id, g.admission_no, c.name AS candidate_name, g.seat_no, l.position, l.choice,
                l.seq, l.choice_hash, l.reason, l.received_at
         FROM late_answers l
           JOIN registrations g ON g.id = l.registration_id
           JOIN candidates c ON c.id = g.candidate_id
         WHERE l.session_id = ? ORDER BY l.id`,
      )
      .all(sessionId)
      .map((r) => ({
        id: r.id,
        registrationId: r.registration_id,
        admissionNo: r.admission_no,
        candidateName: r.candidate_name,
        seatNo: r.seat_no,
        position: r.position,
        choice: JSON.parse(r.choice) as number[],
        seq: r.seq,
        choiceHash: r.choice_hash,
        reason: r.reason,
        receivedAt: r.received_at,
      }));
  }
}
