import type { Db } from '../db/open';

/**
 * Work done inside a session transition's transaction, after its event is appended — the audit module signs
 * the chain head here (design.md: "heads signed at each transition"). Kept per database, like the transition
 * guards, because several services construct their own SessionsService over the same database.
 */
export type AfterTransition = (sessionId: number, to: string, actor: string) => void;

const hooks = new WeakMap<Db, AfterTransition[]>();

export function addAfterTransition(db: Db, hook: AfterTransition): () => void {
  const list = hooks.get(db) ?? [];
  list.push(hook);
  hooks.set(db, list);
  return () => {
    const i = list.indexOf(hook);
    if (i >= 0) list.splice(i, 1);
  };
}

export function runAfterTransition(db: Db, sessionId: number, to: string, actor: string): void {
  for (const hook of hooks.get(db) ?? []) hook(sessionId, to, actor);
}
