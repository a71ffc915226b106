import type { Db } from '../db/open';
import type { QuestionType } from '../protocol';
import type { HashedItem } from './bank-format';

export type BankVersion = {
  id: number;
  category: string;
  pool: 'exam' | 'practice';
  fingerprint: string;
  itemCount: number;
  parentId: number | null;
  source: string;
  note: string | null;
  createdBy: string;
  createdAt: number;
};

type VersionRow = {
  id: number;
  category: string;
  pool: 'exam' | 'practice';
  fingerprint: string;
  item_count: number;
  parent_id: number | null;
  source: string;
  note: string | null;
  created_by: string;
  created_at: number;
};

type ItemRow = {
  content_hash: string;
  category: string;
  type: QuestionType;
  stem: string;
  options: string;
  answer: string;
  knowledge_point: string;
  difficulty: number;
  explanation: string | null;
  image: string | null;
  external_id: string;
};

const toVersion = (r: VersionRow): BankVersion => ({
  id: r.id,
  category: r.category,
  pool: r.pool,
  fingerprint: r.fingerprint,
  itemCount: r.item_count,
  parentId: r.parent_id,
  source: r.source,
  note: r.note,
  createdBy: r.created_by,
  createdAt: r.created_at,
});

const toItem = (r: ItemRow): HashedItem => ({
  contentHash: r.content_hash,
  externalId: r.external_id,
  category: r.category,
  type: r.type,
  stem: r.stem,
  options: JSON.parse(r.options) as string[],
  answer: JSON.parse(r.answer) as number[],
  knowledgePoint: r.knowledge_point,
  difficulty: r.difficulty,
  explanation: r.explanation,
  image: r.image,
});

export class BankRepo {
  constructor(private readonly db: Db) {}

  upsertCategory(code: string, name: string, theoryOnly = false): void {
    this.db
      .prepare(
        `INSERT INTO categories (code, name, theory_only) VALUES (?, ?, ?)
         ON CONFLICT (code) DO UPDATE SET name = excluded.name`,
      )
      .run(code, name, theoryOnly ? 1 : 0);
  }

  categoryName(code: string): string | undefined {
    return (this.db.prepare('SELECT name FROM categories WHERE code = ?').get(code) as { name: string } | undefined)
      ?.name;
  }

  /** Stores items (content-addressed, so re-imports reuse rows) and a version listing them. */
  insertVersion(v: Omit<BankVersion, 'id' | 'itemCount'>, items: HashedItem[]): BankVersion {
    const insertItem = this.db.prepare(
      `INSERT OR IGNORE INTO bank_items
        (content_hash, category, type, stem, options, answer, knowledge_point, difficulty, explanation, image)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const insertMember = this.db.prepare(
      'INSERT INTO bank_version_items (version_id, item_hash, external_id, position) VALUES (?, ?, ?, ?)',
    );
    const info = this.db
      .prepare(
        `INSERT INTO bank_versions (category, pool, fingerprint, item_count, parent_id, source, note, created_by, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(v.category, v.pool, v.fingerprint, items.length, v.parentId, v.source, v.note, v.createdBy, v.createdAt);
    const versionId = Number(info.lastInsertRowid);
    items.forEach((it, i) => {
      insertItem.run(
        it.contentHash,
        it.category,
        it.type,
        it.stem,
        JSON.stringify(it.options),
        JSON.stringify(it.answer),
        it.knowledgePoint,
        it.difficulty,
        it.explanation,
        it.image,
      );
      insertMember.run(versionId, it.contentHash, it.externalId, i);
    });
    return { ...v, id: versionId, itemCount: items.length };
  }

  version(id: number): BankVersion | undefined {
    const row = this.db.prepare<[number], VersionRow>('SELECT * FROM bank_versions WHERE id = ?').get(id);
    return row && toVersion(row);
  }

  latestVersion(category: string, pool: 'exam' | 'practice'): BankVersion | undefined {
    const row = this.db
      .prepare<[string, string], VersionRow>(
        'SELECT * FROM bank_versions WHERE category = ? AND pool = ? ORDER BY id DESC LIMIT 1',
      )
      .get(category, pool);
    return row && toVersion(row);
  }

  itemsOfVersion(versionId: number): HashedItem[] {
    return this.db
      .prepare<[number], ItemRow>(
        `SELECT i.*, m.external_id FROM bank_version_items m JOIN bank_items i ON i.content_hash = m.item_hash
         WHERE m.version_id = ? ORDER BY m.position`,
      )
      .all(versionId)
      .map(toItem);
  }
}
