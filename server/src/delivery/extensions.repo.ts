import type { Db } from '../db/open';
import type { PendingExtension } from '../protocol';

type Row = {
  id: number;
  session_id: number;
  registration_id: number;
  minutes: number;
  reason: string;
  requested_by: string;
  requested_at: number;
  confirmed_by: string | null;
  confirmed_at: number | null;
};

const toView = (r: Row): PendingExtension => ({
  id: r.id,
  sessionId: r.session_id,
  registrationId: r.registration_id,
  minutes: r.minutes,
  reason: r.reason,
  requestedBy: r.requested_by,
  requestedAt: r.requested_at,
  confirmedBy: r.confirmed_by,
  confirmedAt: r.confirmed_at,
});

/** pending_extensions: extensions past the cap, waiting for a second person (issue 13, hole 10). */
export class ExtensionsRepo {
  constructor(private readonly db: Db) {}

  insert(e: Omit<PendingExtension, 'id' | 'confirmedBy' | 'confirmedAt'>): number {
    return Number(
      this.db
        .prepare(
          `INSERT INTO pending_extensions (session_id, registration_id, minutes, reason, requested_by, requested_at)
           VALUES (?, ?, ?, ?, ?, ?)`,
        )
        .run(e.sessionId, e.registrationId, e.minutes, e.reason, e.requestedBy, e.requestedAt).lastInsertRowid,
    );
  }

  get(id: number): PendingExtension | undefined {
    const row = this.db.prepare<[number], Row>('SELECT * FROM pending_extensions WHERE id = ?').get(id);
    return row && toView(row);
  }

  ofSession(sessionId: number): PendingExtension[] {
    return this.db
      .prepare<[number], Row>('SELECT * FROM pending_extensions WHERE session_id = ? ORDER BY id')
      .all(sessionId)
      .map(toView);
  }

  confirm(id: number, by: string, at: number): boolean {
    return (
      this.db
        .prepare(
          'UPDATE pending_extensions SET confirmed_by = ?, confirmed_at = ? WHERE id = ? AND confirmed_by IS NULL',
        )
        .run(by, at, id).changes > 0
    );
  }
}
