import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Db } from './open';

export const MIGRATIONS_DIR = resolve(import.meta.dirname, 'migrations');

export type Migration = { id: number; name: string; sql: string };

export function readMigrations(dir: string = MIGRATIONS_DIR): Migration[] {
  const files = readdirSync(dir).filter((f) => f.endsWith('.sql'));
  const migrations = files.map((file) => {
    const match = /^(\d{4})_([a-z0-9_]+)\.sql$/.exec(file);
    if (!match) throw new Error(`migration file name must be NNNN_name.sql: ${file}`);
    return { id: Number(match[1]), name: match[2] as string, sql: readFileSync(join(dir, file), 'utf8') };
  });
  migrations.sort((a, b) => a.id - b.id);
  migrations.forEach((m, i) => {
    const prev = migrations[i - 1];
    if (prev && prev.id === m.id) throw new Error(`two migrations share number ${m.id}: ${prev.name}, ${m.name}`);
  });
  return migrations;
}

/**
 * Applies pending migrations, each in its own transaction. Refuses to start when the applied ids are not
 * an ordered prefix of the files (a database from a newer or diverged build).
 */
export function migrate(db: Db, migrations: Migration[] = readMigrations()): number[] {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    id INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)`);
  const applied = db.prepare('SELECT id, name FROM schema_migrations ORDER BY id').all() as {
    id: number;
    name: string;
  }[];
  applied.forEach((row, i) => {
    const expected = migrations[i];
    if (!expected || expected.id !== row.id || expected.name !== row.name) {
      throw new Error(
        `database migrations out of sync: applied #${row.id} ${row.name}, but this build has ` +
          (expected ? `#${expected.id} ${expected.name}` : 'no such migration') +
          ' at that place; refusing to start',
      );
    }
  });
  const done: number[] = [];
  const record = db.prepare('INSERT INTO schema_migrations (id, name, applied_at) VALUES (?, ?, ?)');
  for (const m of migrations.slice(applied.length)) {
    db.transaction(() => {
      db.exec(m.sql);
      record.run(m.id, m.name, new Date().toISOString());
    })();
    done.push(m.id);
  }
  return done;
}
