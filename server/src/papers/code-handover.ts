import type { Db } from '../db/open';
import { EventsRepo, sessionChain } from '../audit/events.repo';
import type { CodeHandoverStatus, SealResult } from '../protocol';
import type { Clock } from '../shared/clock';
import { AppError } from '../shared/errors';

// How long after sealing the codes wait, in memory only, for their custodians. [default]
export const HANDOVER_MINUTES = 30;

type Waiting = { result: SealResult; expiresAt: number; collected: Set<number> };

/**
 * Two-person rule at sealing (保密管理): the data key's two codes are held in this process's memory — never in
 * the database or on disk — until each custodian collects their own, once, with their own login. Whoever
 * operates the sealing page therefore never sees either code. A restart or the time limit loses what was not
 * collected; the session is then resealed (new draw), which is logged.
 */
export class CodeHandover {
  private readonly waiting = new Map<number, Waiting>();
  private readonly events: EventsRepo;

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
  ) {
    this.events = new EventsRepo(db);
  }

  /** Keeps a fresh seal's codes for their custodians and returns the result without them. */
  hold(result: SealResult): SealResult {
    const expiresAt = this.clock.now() + HANDOVER_MINUTES * 60_000;
    this.waiting.set(result.sessionId, { result, expiresAt, collected: new Set() });
    return { ...result, codes: [] };
  }

  /** The caller's own code slip, once; refused for anyone else, twice, or after the time limit. Logged. */
  collect(sessionId: number, staffId: number, actor: string): SealResult {
    const now = this.clock.now();
    const w = this.live(sessionId, now);
    const own = w?.result.codes.find((c) => c.staffId === staffId);
    if (!w || !own) throw new AppError('no-code-waiting', '没有等待您领取的开卷码（不是保管人、已领取或已过期）', 404);
    if (w.collected.has(staffId)) throw new AppError('code-already-collected', '您已领取过本场次的开卷码', 410);
    w.collected.add(staffId);
    if (w.collected.size === w.result.codes.length) this.waiting.delete(sessionId);
    this.db.transaction(() =>
      this.events.append({
        chain: sessionChain(sessionId),
        at: now,
        actor,
        type: 'papers.code-collected',
        payload: { sealUid: w.result.sealUid, slot: own.slot, staffId },
      }),
    )();
    return { ...w.result, codes: [own] };
  }

  status(sessionId: number): CodeHandoverStatus {
    const w = this.live(sessionId, this.clock.now());
    if (!w) return null;
    return {
      sealUid: w.result.sealUid,
      expiresAt: w.expiresAt,
      custodians: w.result.codes.map((c) => ({
        slot: c.slot,
        staffId: c.staffId,
        name: c.name,
        username: c.username,
        collected: w.collected.has(c.staffId),
      })),
    };
  }

  private live(sessionId: number, now: number): Waiting | undefined {
    const w = this.waiting.get(sessionId);
    if (w && w.expiresAt <= now) {
      this.waiting.delete(sessionId);
      return undefined;
    }
    return w;
  }
}
