import type { Db } from '../db/open';
import { EventsRepo, sessionChain } from '../audit/events.repo';
import { StaffRepo } from '../people/staff.repo';
import type { OpenCodeResult, OpeningStatus, OpenRequest, OpenResult } from '../protocol';
import { SessionsService } from '../sessions/sessions.service';
import type { Clock } from '../shared/clock';
import { AppError } from '../shared/errors';
import { parseCustodianCode, type Slot } from './custodian-codes';
import { openingWindow } from './opening';
import { OpeningCodesRepo } from './opening-codes.repo';
import type { PapersRepo } from './papers.repo';

// How long the first code waits, in memory only, for the second. [default] An exam morning's opening takes
// minutes; a half left longer is dropped and entered again.
export const FIRST_CODE_WAIT_MINUTES = 30;

type Entry = { staffId: number; code: string; at: number };
type Held = { sealUid: string; firstAt: number; entries: Partial<Record<Slot, Entry>> };

/**
 * Two-person opening (issue 13, hole 4): each custodian enters their own code on their own login, with their
 * password re-entered on that screen (the route checks it), so no one person's screen ever holds both codes.
 * The first code waits in this process's memory — never in the database or on disk — until the second arrives;
 * then the papers open at once. Each entry is a chained event (who, which slot, when; never the code), which is
 * what the opening page shows.
 */
export class OpeningCodes {
  private readonly held = new Map<number, Held>();
  private readonly events: EventsRepo;
  private readonly staff: StaffRepo;
  private readonly sessions: SessionsService;
  private readonly repo: OpeningCodesRepo;

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly papers: {
      repo: PapersRepo;
      openSession(sessionId: number, req: OpenRequest, actor: string): OpenResult;
    },
  ) {
    this.events = new EventsRepo(db);
    this.staff = new StaffRepo(db);
    this.sessions = new SessionsService(db, clock);
    this.repo = new OpeningCodesRepo(db);
  }

  /** One custodian's own code. Opens the papers when it is the second; otherwise holds it and says who is awaited. */
  enter(sessionId: number, staffId: number, code: string, actor: string): OpenCodeResult {
    const session = this.sessions.get(sessionId);
    if (session.state !== 'sealed')
      throw new AppError('session-not-sealed', `场次状态为 ${session.state}，无需启封`, 409);
    const seal = this.papers.repo.liveSeal(sessionId);
    if (seal?.state !== 'sealed') throw new AppError('no-seal', '本场次没有待启封的封卷', 409);
    const now = this.clock.now();
    const window = openingWindow(session);
    if (now < window.from || now > window.to)
      throw new AppError('outside-opening-window', '不在启封时间窗口内（开考前规定时间至迟到截止时间）', 409, window);
    const slot: Slot | null = staffId === seal.custodianA ? 'A' : staffId === seal.custodianB ? 'B' : null;
    if (!slot) throw new AppError('not-the-custodian', '您不是本场封卷登记的开卷码保管人', 403);
    // A mistyped code is refused here, with its reason, rather than held to fail the opening later.
    const parsed = parseCustodianCode(code);
    if (!parsed.ok) throw new AppError(`code-${parsed.reason}`, parsed.message, 400);

    const held = this.live(sessionId, seal.uid, now) ?? { sealUid: seal.uid, firstAt: now, entries: {} };
    held.entries[slot] = { staffId, code, at: now };
    this.db.transaction(() =>
      this.events.append({
        chain: sessionChain(sessionId),
        at: now,
        actor,
        type: 'papers.open-code-entered',
        payload: { sealUid: seal.uid, slot, staffId },
      }),
    )();
    const { A, B } = held.entries;
    if (!A || !B) {
      this.held.set(sessionId, held);
      return { status: this.status(sessionId), opened: null };
    }
    // Both halves are in: they leave memory now, whether the opening succeeds or is refused (then both re-enter).
    this.held.delete(sessionId);
    const opened = this.papers.openSession(
      sessionId,
      {
        codes: [
          { staffId: A.staffId, code: A.code },
          { staffId: B.staffId, code: B.code },
        ],
      },
      actor,
    );
    return { status: this.status(sessionId), opened };
  }

  /** Who entered each code and when: from memory while waiting, from the chained events once opened. */
  status(sessionId: number): OpeningStatus {
    const seal = this.papers.repo.liveSeal(sessionId);
    if (!seal) return { sessionId, sealUid: null, slots: [], openedAt: null };
    const entered = new Map<Slot, number>();
    if (seal.state === 'opened') {
      for (const e of this.repo.entries(sessionId, seal.uid)) entered.set(e.slot, e.at);
    } else {
      const held = this.live(sessionId, seal.uid, this.clock.now());
      for (const slot of ['A', 'B'] as const) {
        const e = held?.entries[slot];
        if (e) entered.set(slot, e.at);
      }
    }
    const slots = (
      [
        ['A', seal.custodianA],
        ['B', seal.custodianB],
      ] as const
    ).map(([slot, id]) => ({
      slot,
      staffId: id,
      name: this.staff.byId(id)?.name ?? `#${id}`,
      enteredAt: entered.get(slot) ?? null,
    }));
    return { sessionId, sealUid: seal.uid, slots, openedAt: seal.openedAt };
  }

  private live(sessionId: number, sealUid: string, now: number): Held | undefined {
    const h = this.held.get(sessionId);
    if (h && (h.sealUid !== sealUid || now - h.firstAt > FIRST_CODE_WAIT_MINUTES * 60_000)) {
      this.held.delete(sessionId);
      return undefined;
    }
    return h;
  }
}
