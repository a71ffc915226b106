import type { Db } from '../db/open';
import type { LinkMessageBody } from '../protocol/regulator';

/** Sessions a centre opened on a stale ban list, as the centre reported them (officials must see these). */
export class StaleExceptionsRepo {
  constructor(private readonly db: Db) {}

  insert(centreId: number, b: LinkMessageBody<'stale-list.exception'>, at: number, via: 'link' | 'bundle'): void {
    this.db
      .prepare(
        `INSERT INTO reg_stale_exceptions (centre_id, session_code, reason, recorded_by, list_version, list_as_of,
           received_at, via) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(centreId, b.sessionCode, b.reason, b.recordedBy, b.listVersion, b.listAsOf, at, via);
  }
}
