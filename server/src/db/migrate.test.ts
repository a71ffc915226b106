import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { migrate, readMigrations } from './migrate';
import { openDatabase } from './open';

const tempDirs: string[] = [];
const tempDir = (prefix: string) => {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  tempDirs.push(dir);
  return dir;
};
afterAll(() => tempDirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('migrations', () => {
  it('applies every migration to a new database, in order, once', () => {
    const db = openDatabase(':memory:');
    const applied = migrate(db);
    expect(applied).toEqual(readMigrations().map((m) => m.id));
    expect(migrate(db)).toEqual([]);
    const rows = db.prepare('SELECT id FROM schema_migrations ORDER BY id').all() as { id: number }[];
    expect(rows.map((r) => r.id)).toEqual(applied);
  });

  it('opens the database with WAL, synchronous=FULL and foreign keys', () => {
    const dir = tempDir('ec-db-');
    const db = openDatabase(join(dir, 'x.db'));
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('synchronous', { simple: true })).toBe(2);
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
  });

  it('refuses to start when applied migrations are not a prefix of this build', () => {
    const db = openDatabase(':memory:');
    migrate(db);
    db.prepare("UPDATE schema_migrations SET name = 'something_else' WHERE id = 1").run();
    expect(() => migrate(db)).toThrow(/out of sync/);
  });

  it('rolls back a failing migration and records nothing for it', () => {
    const dir = tempDir('ec-mig-');
    writeFileSync(join(dir, '0001_ok.sql'), 'CREATE TABLE a (x INTEGER);');
    writeFileSync(join(dir, '0002_bad.sql'), 'CREATE TABLE b (x INTEGER); INSERT INTO nowhere VALUES (1);');
    const db = openDatabase(':memory:');
    expect(() => migrate(db, readMigrations(dir))).toThrow();
    expect(db.prepare("SELECT name FROM sqlite_master WHERE name = 'b'").get()).toBeUndefined();
    expect((db.prepare('SELECT count(*) AS n FROM schema_migrations').get() as { n: number }).n).toBe(1);
  });

  it('rejects a badly named migration file', () => {
    const dir = tempDir('ec-mig-');
    writeFileSync(join(dir, '1_x.sql'), 'SELECT 1;');
    expect(() => readMigrations(dir)).toThrow(/NNNN_name/);
  });
});
