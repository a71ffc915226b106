import type { Db } from '../db/open';
import type { AssignedStaffView } from '../protocol';

/** session_staff: who serves in a session, with which duty (issue 5 owns the table). */
export class AssignmentsRepo {
  constructor(private readonly db: Db) {}

  list(sessionId: number): AssignedStaffView[] {
    return this.db
      .prepare<[number], AssignedStaffView>(
        `SELECT a.staff_id AS staffId, s.username, s.name, a.duty, a.assigned_at AS assignedAt, a.assigned_by AS assignedBy
         FROM session_staff a JOIN staff s ON s.id = a.staff_id WHERE a.session_id = ? ORDER BY a.duty, s.id`,
      )
      .all(sessionId);
  }

  get(sessionId: number, staffId: number): AssignedStaffView | undefined {
    return this.list(sessionId).find((a) => a.staffId === staffId);
  }

  insert(
    sessionId: number,
    staffId: number,
    duty: AssignedStaffView['duty'],
    actor: string,
    runId: number,
    now: number,
  ): void {
    this.db
      .prepare(
        'INSERT INTO session_staff (session_id, staff_id, duty, assigned_at, assigned_by, check_run_id) VALUES (?, ?, ?, ?, ?, ?)',
      )
      .run(sessionId, staffId, duty, now, actor, runId);
  }

  /** Sessions in a room, not yet finished, that a staff member is assigned to (workstation enrolment). */
  liveSessionsInRoom(staffId: number, roomId: number): number[] {
    return this.db
      .prepare<[number, number], number>(
        `SELECT s.id FROM session_staff a JOIN sessions s ON s.id = a.session_id
         WHERE a.staff_id = ? AND s.room_id = ? AND s.state NOT IN ('closed', 'graded', 'archived') ORDER BY s.id`,
      )
      .pluck()
      .all(staffId, roomId);
  }

  /** How many proctors (监考) a session has. */
  proctorCount(sessionId: number): number {
    return this.db
      .prepare<[number], number>("SELECT count(*) FROM session_staff WHERE session_id = ? AND duty = 'proctor'")
      .pluck()
      .get(sessionId) as number;
  }

  remove(sessionId: number, staffId: number): boolean {
    return (
      this.db.prepare('DELETE FROM session_staff WHERE session_id = ? AND staff_id = ?').run(sessionId, staffId)
        .changes > 0
    );
  }
}
