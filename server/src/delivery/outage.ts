import type { Db } from '../db/open';
import { EventsRepo, sessionChain } from '../audit/events.repo';
import { SessionsRepo } from '../sessions/sessions.repo';
import type { Clock } from '../shared/clock';
import { DeliveryRepo, type PauseKind } from './delivery.repo';
import { frozenMs, type PauseInterval } from './exam-clock';

export const HEARTBEAT_MS = 2_000;
// A gap shorter than this is a normal restart hiccup, not an outage worth recording.
const MIN_OUTAGE_MS = 3 * HEARTBEAT_MS;

export function beat(db: Db, clock: Clock): void {
  db.prepare('INSERT INTO server_heartbeat (id, at) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET at = excluded.at').run(
    clock.now(),
  );
}

/**
 * On start-up: the time the server was down is given back to every running session (系统故障补时,
 * domain.md), up to the session's cap, as a session-wide pause interval [last heartbeat, now].
 */
export function compensateOutage(db: Db, clock: Clock): { sessionId: number; compensatedMs: number }[] {
  const last = db.prepare('SELECT at FROM server_heartbeat WHERE id = 1').pluck().get() as number | undefined;
  const now = clock.now();
  if (last === undefined || now - last < MIN_OUTAGE_MS) return [];
  const sessions = new SessionsRepo(db);
  const repo = new DeliveryRepo(db);
  const events = new EventsRepo(db);
  const running = db.prepare("SELECT id FROM sessions WHERE state = 'running'").pluck().all() as number[];
  return db.transaction(() =>
    running.map((sessionId) => {
      const cap = sessions.get(sessionId)!.settings.outageCompensationMaxMinutes * 60_000;
      const compensatedMs = Math.min(now - last, cap);
      if (compensatedMs > 0)
        repo.insertPause({
          sessionId,
          kind: 'server-outage',
          startedAt: last,
          endedAt: last + compensatedMs,
          reason: 'server outage',
          by: 'system:outage',
        });
      events.append({
        chain: sessionChain(sessionId),
        at: now,
        actor: 'system:outage',
        type: 'session.outage-compensated',
        payload: { lastHeartbeat: last, restartedAt: now, outageMs: now - last, compensatedMs },
      });
      return { sessionId, compensatedMs };
    }),
  )();
}

/**
 * The outage time given back to one attempt: the server-outage pauses after it started. The candidate's
 * screen compares it with what it last saw, to say why the clock jumped (issue 16).
 */
export function timeGivenBackMs(
  pauses: (PauseInterval & { kind: PauseKind })[],
  startedAt: number,
  now: number,
): number {
  return frozenMs(
    pauses.filter((p) => p.kind === 'server-outage'),
    startedAt,
    now,
  );
}
