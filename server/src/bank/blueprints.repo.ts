import type { Db } from '../db/open';
import { canonicalJson, sha256Hex } from '../shared/canonical-json';
import { blueprintSchema, type Blueprint } from './blueprint';

export type StoredBlueprint = {
  id: number;
  fingerprint: string;
  body: Blueprint;
  createdAt: number;
  createdBy?: string;
  retiredAt?: number | null;
};

type Row = {
  id: number;
  body: string;
  fingerprint: string;
  created_at: number;
  created_by: string;
  retired_at: number | null;
};

const toStored = (row: Row): StoredBlueprint => ({
  id: row.id,
  fingerprint: row.fingerprint,
  body: blueprintSchema.parse(JSON.parse(row.body)),
  createdAt: row.created_at,
  createdBy: row.created_by,
  retiredAt: row.retired_at,
});

export class BlueprintsRepo {
  constructor(private readonly db: Db) {}

  /** Blueprints are immutable once stored: a change is a new row, so sessions keep what they drew under. */
  insert(body: Blueprint, createdBy: string, now: number): StoredBlueprint {
    const fingerprint = sha256Hex(canonicalJson(body));
    const info = this.db
      .prepare(
        'INSERT INTO blueprints (category, name, body, fingerprint, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?)',
      )
      .run(body.category, body.name, JSON.stringify(body), fingerprint, createdBy, now);
    return {
      id: Number(info.lastInsertRowid),
      fingerprint,
      body,
      createdAt: now,
      createdBy,
      retiredAt: null,
    };
  }

  get(id: number): StoredBlueprint | undefined {
    const row = this.db
      .prepare<[number], Row>(
        'SELECT id, body, fingerprint, created_at, created_by, retired_at FROM blueprints WHERE id = ?',
      )
      .get(id);
    return row && toStored(row);
  }

  list(category?: string): StoredBlueprint[] {
    return this.db
      .prepare<[{ category: string | null }], Row>(
        `SELECT id, body, fingerprint, created_at, created_by, retired_at FROM blueprints
         WHERE (@category IS NULL OR category = @category) ORDER BY category, id DESC`,
      )
      .all({ category: category ?? null })
      .map(toStored);
  }

  /** The newest blueprint of a category that is not retired. */
  current(category: string): StoredBlueprint | undefined {
    const row = this.db
      .prepare<[string], Row>(
        `SELECT id, body, fingerprint, created_at, created_by, retired_at FROM blueprints
         WHERE category = ? AND retired_at IS NULL ORDER BY id DESC LIMIT 1`,
      )
      .get(category);
    return row && toStored(row);
  }

  /** Only the retirement mark changes; the rule itself stays as sessions drew under it. */
  retire(id: number, by: string, now: number): boolean {
    return (
      this.db
        .prepare('UPDATE blueprints SET retired_at = ?, retired_by = ? WHERE id = ? AND retired_at IS NULL')
        .run(now, by, id).changes === 1
    );
  }
}
