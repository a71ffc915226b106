import type { Db } from '../db/open';
import { canonicalJson, sha256Hex } from '../shared/canonical-json';
import { blueprintSchema, type Blueprint } from './blueprint';

export type StoredBlueprint = { id: number; fingerprint: string; body: Blueprint; createdAt: number };

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
    return { id: Number(info.lastInsertRowid), fingerprint, body, createdAt: now };
  }

  get(id: number): StoredBlueprint | undefined {
    const row = this.db
      .prepare<[number], { id: number; body: string; fingerprint: string; created_at: number }>(
        'SELECT id, body, fingerprint, created_at FROM blueprints WHERE id = ?',
      )
      .get(id);
    return row && { id: row.id, fingerprint: row.fingerprint, body: blueprintSchema.parse(JSON.parse(row.body)), createdAt: row.created_at };
  }
}
