import type { Statement } from 'better-sqlite3';
import type { Db } from './open';

const caches = new WeakMap<Db, Map<string, Statement>>();

/**
 * A statement prepared once per database and SQL text, for repository methods on hot paths (each answer
 * save runs several; preparing them anew cost more than running them). Do not call .pluck() or .raw()
 * on the result: that would change it for every other caller.
 */
export function cachedStatement<P extends unknown[] = unknown[], R = unknown>(db: Db, sql: string): Statement<P, R> {
  let cache = caches.get(db);
  if (!cache) caches.set(db, (cache = new Map()));
  let stmt = cache.get(sql);
  if (!stmt) cache.set(sql, (stmt = db.prepare(sql)));
  return stmt as unknown as Statement<P, R>;
}
