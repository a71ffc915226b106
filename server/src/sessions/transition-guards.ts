import type { Db } from '../db/open';
import type { SessionState } from './session-states';
import type { SessionRecord } from './sessions.repo';

/**
 * A precondition another domain adds to a session transition (design.md: "each transition … checks its
 * preconditions (integrity rules included)"). It throws an AppError to refuse. Guards are kept per database,
 * not per SessionsService instance, because several services construct their own SessionsService over the
 * same database and every transition must pass the same guards.
 */
export type TransitionGuard = (session: SessionRecord, to: SessionState, actor: string, now: number) => void;

const guards = new WeakMap<Db, TransitionGuard[]>();

/** Registers a guard (in app.ts); returns a function that removes it. */
export function addTransitionGuard(db: Db, guard: TransitionGuard): () => void {
  const list = guards.get(db) ?? [];
  list.push(guard);
  guards.set(db, list);
  return () => {
    const i = list.indexOf(guard);
    if (i >= 0) list.splice(i, 1);
  };
}

/** `now` is the transitioning service's clock, so a guard's checks and records carry the transition's time. */
export function runTransitionGuards(
  db: Db,
  session: SessionRecord,
  to: SessionState,
  actor: string,
  now: number,
): void {
  for (const guard of guards.get(db) ?? []) guard(session, to, actor, now);
}
