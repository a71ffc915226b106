import type { Db } from '../db/open';
import { sessionChain } from '../audit/events.repo';

/** The chained record of who entered which code when (events are the only durable trace: codes never are). */
export class OpeningCodesRepo {
  constructor(private readonly db: Db) {}

  entries(sessionId: number, sealUid: string): { slot: 'A' | 'B'; staffId: number; at: number }[] {
    return this.db
      .prepare<[string], { at: number; payload: string }>(
        `SELECT at, payload FROM events WHERE chain = ? AND type = 'papers.open-code-entered' ORDER BY seq`,
      )
      .all(sessionChain(sessionId))
      .map((r) => ({ at: r.at, ...(JSON.parse(r.payload) as { sealUid: string; slot: 'A' | 'B'; staffId: number }) }))
      .filter((e) => e.sealUid === sealUid)
      .map((e) => ({ slot: e.slot, staffId: e.staffId, at: e.at }));
  }
}
