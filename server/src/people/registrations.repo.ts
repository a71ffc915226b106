import type { Db } from '../db/open';

/** Roster queries the registration service needs beyond SessionsRepo (seats, admission numbers). */
export class RegistrationsRepo {
  constructor(private readonly db: Db) {}

  seatCount(sessionId: number): number {
    return (
      this.db
        .prepare<[number], { n: number }>(
          'SELECT r.seat_count AS n FROM sessions s JOIN rooms r ON r.id = s.room_id WHERE s.id = ?',
        )
        .get(sessionId)?.n ?? 0
    );
  }

  takenSeats(sessionId: number): Set<number> {
    return new Set(
      this.db
        .prepare<[number], { seat_no: number }>('SELECT seat_no FROM registrations WHERE session_id = ?')
        .all(sessionId)
        .map((r) => r.seat_no),
    );
  }

  registeredCandidateIds(sessionId: number): Set<number> {
    return new Set(
      this.db
        .prepare<[number], { candidate_id: number }>('SELECT candidate_id FROM registrations WHERE session_id = ?')
        .all(sessionId)
        .map((r) => r.candidate_id),
    );
  }

  admissionNoTaken(admissionNo: string): boolean {
    return this.db.prepare('SELECT 1 FROM registrations WHERE admission_no = ?').get(admissionNo) !== undefined;
  }

  byId(
    id: number,
  ): { id: number; sessionId: number; candidateId: number; admissionNo: string; seatNo: number } | undefined {
    return this.db
      .prepare<[number], { id: number; sessionId: number; candidateId: number; admissionNo: string; seatNo: number }>(
        `SELECT id, session_id AS sessionId, candidate_id AS candidateId, admission_no AS admissionNo, seat_no AS seatNo
         FROM registrations WHERE id = ?`,
      )
      .get(id);
  }

  /** Only a registration nothing else refers to yet (no login, no paper, no answers) may be removed. */
  remove(id: number): void {
    this.db.prepare('DELETE FROM registrations WHERE id = ? AND first_login_at IS NULL').run(id);
  }
}
