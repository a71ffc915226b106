import type { Db } from '../db/open';
import type { QuestionType } from '../protocol';
import { itemClashHash, type HashedItem, type Pool } from './bank-format';

export type BankVersion = {
  id: number;
  category: string;
  pool: Pool;
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
  pool: Pool;
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

export type ImportLogEntry = {
  fileName: string;
  fileSha256: string;
  fileBytes: number;
  format: string | null;
  category: string | null;
  pool: Pool | null;
  mode: 'append' | 'replace';
  outcome: 'imported' | 'unchanged' | 'refused';
  imported: number;
  skipped: number;
  problems: unknown[];
  versionId: number | null;
  actor: string;
  startedAt: number;
  finishedAt: number;
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

// Per-version metadata wins over the first-seen copy in bank_items (0002_bank.sql).
const ITEM_COLUMNS = `i.content_hash, i.category, i.type, i.stem, i.options, i.answer, i.image, m.external_id,
  COALESCE(m.knowledge_point, i.knowledge_point) AS knowledge_point,
  COALESCE(m.difficulty, i.difficulty) AS difficulty,
  CASE WHEN m.knowledge_point IS NULL THEN i.explanation ELSE m.explanation END AS explanation`;

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

  categories(): { code: string; name: string }[] {
    return this.db.prepare('SELECT code, name FROM categories ORDER BY code').all() as { code: string; name: string }[];
  }

  /** Stores items (content-addressed, so re-imports reuse rows) and a version listing them. */
  insertVersion(v: Omit<BankVersion, 'id' | 'itemCount'>, items: HashedItem[]): BankVersion {
    const insertItem = this.db.prepare(
      `INSERT OR IGNORE INTO bank_items
        (content_hash, category, type, stem, options, answer, knowledge_point, difficulty, explanation, image)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const insertClash = this.db.prepare(
      'INSERT OR IGNORE INTO bank_item_clash (content_hash, clash_hash) VALUES (?, ?)',
    );
    const insertMember = this.db.prepare(
      `INSERT INTO bank_version_items
        (version_id, item_hash, external_id, position, knowledge_point, difficulty, explanation)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
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
      insertClash.run(it.contentHash, itemClashHash(it));
      insertMember.run(versionId, it.contentHash, it.externalId, i, it.knowledgePoint, it.difficulty, it.explanation);
    });
    return { ...v, id: versionId, itemCount: items.length };
  }

  version(id: number): BankVersion | undefined {
    const row = this.db.prepare<[number], VersionRow>('SELECT * FROM bank_versions WHERE id = ?').get(id);
    return row && toVersion(row);
  }

  latestVersion(category: string, pool: Pool): BankVersion | undefined {
    const row = this.db
      .prepare<[string, string], VersionRow>(
        'SELECT * FROM bank_versions WHERE category = ? AND pool = ? ORDER BY id DESC LIMIT 1',
      )
      .get(category, pool);
    return row && toVersion(row);
  }

  versions(filter: { category?: string; pool?: Pool } = {}): BankVersion[] {
    return this.db
      .prepare<[{ category: string | null; pool: string | null }], VersionRow>(
        `SELECT * FROM bank_versions WHERE (@category IS NULL OR category = @category) AND (@pool IS NULL OR pool = @pool)
         ORDER BY category, pool, id DESC`,
      )
      .all({ category: filter.category ?? null, pool: filter.pool ?? null })
      .map(toVersion);
  }

  itemsOfVersion(versionId: number): HashedItem[] {
    return this.db
      .prepare<[number], ItemRow>(
        `SELECT ${ITEM_COLUMNS} FROM bank_version_items m JOIN bank_items i ON i.content_hash = m.item_hash
         WHERE m.version_id = ? ORDER BY m.position`,
      )
      .all(versionId)
      .map(toItem);
  }

  /**
   * Gives every stored item its clash hash (0010): items stored before that migration have none, and SQL
   * cannot compute it. Idempotent and cheap once done (one anti-join over the primary keys).
   */
  backfillClashHashes(): number {
    const missing = this.db
      .prepare<[], Pick<ItemRow, 'content_hash' | 'stem' | 'options' | 'answer'>>(
        `SELECT i.content_hash, i.stem, i.options, i.answer FROM bank_items i
         WHERE NOT EXISTS (SELECT 1 FROM bank_item_clash c WHERE c.content_hash = i.content_hash)`,
      )
      .all();
    if (missing.length === 0) return 0;
    const insert = this.db.prepare('INSERT OR IGNORE INTO bank_item_clash (content_hash, clash_hash) VALUES (?, ?)');
    this.db.transaction(() => {
      for (const r of missing)
        insert.run(
          r.content_hash,
          itemClashHash({
            stem: r.stem,
            options: JSON.parse(r.options) as string[],
            answer: JSON.parse(r.answer) as number[],
          }),
        );
    })();
    return missing.length;
  }

  /**
   * Where an item that looks like this one (same clash hash) was ever in a pool, in any category, old
   * versions and retired items included (考培分离 clash check): the earliest such version, or undefined.
   */
  clashInPool(clashHash: string, pool: Pool): { category: string; versionId: number; externalId: string } | undefined {
    const row = this.db
      .prepare<[string, string], { category: string; version_id: number; external_id: string }>(
        `SELECT v.category, v.id AS version_id, m.external_id FROM bank_item_clash c
           JOIN bank_version_items m ON m.item_hash = c.content_hash
           JOIN bank_versions v ON v.id = m.version_id
         WHERE c.clash_hash = ? AND v.pool = ?
         ORDER BY v.id LIMIT 1`,
      )
      .get(clashHash, pool);
    return row && { category: row.category, versionId: row.version_id, externalId: row.external_id };
  }

  /**
   * Items of the latest practice version of a category, leaving out (defence in depth) any item that
   * looks like (same clash hash) an item ever in any exam-pool version of any category, and any item with
   * no clash hash yet (fail closed): practice screens can never read an exam item, even if a practice
   * version was written around the service.
   */
  practiceItems(category: string): { version: BankVersion; items: HashedItem[] } | undefined {
    const version = this.latestVersion(category, 'practice');
    if (!version) return undefined;
    const items = this.db
      .prepare<[number], ItemRow>(
        `SELECT ${ITEM_COLUMNS} FROM bank_version_items m
           JOIN bank_versions v ON v.id = m.version_id AND v.pool = 'practice'
           JOIN bank_items i ON i.content_hash = m.item_hash
           JOIN bank_item_clash c ON c.content_hash = m.item_hash
         WHERE m.version_id = ?
           AND NOT EXISTS (SELECT 1 FROM bank_item_clash xc
                             JOIN bank_version_items x ON x.item_hash = xc.content_hash
                             JOIN bank_versions xv ON xv.id = x.version_id
                           WHERE xc.clash_hash = c.clash_hash AND xv.pool = 'exam')
         ORDER BY m.position`,
      )
      .all(version.id)
      .map(toItem);
    return { version, items };
  }

  insertRetirement(r: {
    category: string;
    pool: Pool;
    itemHash: string;
    versionId: number;
    reason: string;
    actor: string;
    at: number;
  }): void {
    this.db
      .prepare(
        `INSERT INTO bank_retirements (category, pool, item_hash, version_id, reason, retired_by, retired_at)
         VALUES (?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(r.category, r.pool, r.itemHash, r.versionId, r.reason, r.actor, r.at);
  }

  /**
   * How many items of this version the bank keeper has withdrawn since (retired by a later version of the same
   * category and pool). An item imported again after its retirement lives in a still later version and is not
   * counted for that one.
   */
  retiredSince(versionId: number): number {
    return this.db
      .prepare<[number], number>(
        `SELECT count(DISTINCT m.item_hash) FROM bank_version_items m
           JOIN bank_versions v ON v.id = m.version_id
           JOIN bank_retirements r ON r.item_hash = m.item_hash AND r.category = v.category AND r.pool = v.pool
         WHERE m.version_id = ? AND r.version_id > v.id`,
      )
      .pluck()
      .get(versionId) as number;
  }

  /** Retired items of a pool: hash → the version whose creation retired it. */
  retired(category: string, pool: Pool): Map<string, number> {
    const rows = this.db
      .prepare<[string, string], { item_hash: string; version_id: number }>(
        'SELECT item_hash, version_id FROM bank_retirements WHERE category = ? AND pool = ?',
      )
      .all(category, pool);
    return new Map(rows.map((r) => [r.item_hash, r.version_id]));
  }

  insertImportLog(e: ImportLogEntry): number {
    const info = this.db
      .prepare(
        `INSERT INTO bank_imports (file_name, file_sha256, file_bytes, format, category, pool, mode, outcome, imported,
           skipped, problems, version_id, actor, started_at, finished_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        e.fileName,
        e.fileSha256,
        e.fileBytes,
        e.format,
        e.category,
        e.pool,
        e.mode,
        e.outcome,
        e.imported,
        e.skipped,
        JSON.stringify(e.problems.slice(0, 200)),
        e.versionId,
        e.actor,
        e.startedAt,
        e.finishedAt,
      );
    return Number(info.lastInsertRowid);
  }

  importLog(limit = 100): (ImportLogEntry & { id: number })[] {
    type Row = {
      id: number;
      file_name: string;
      file_sha256: string;
      file_bytes: number;
      format: string | null;
      category: string | null;
      pool: Pool | null;
      mode: 'append' | 'replace';
      outcome: ImportLogEntry['outcome'];
      imported: number;
      skipped: number;
      problems: string;
      version_id: number | null;
      actor: string;
      started_at: number;
      finished_at: number;
    };
    return this.db
      .prepare<[number], Row>('SELECT * FROM bank_imports ORDER BY id DESC LIMIT ?')
      .all(limit)
      .map((r) => ({
        id: r.id,
        fileName: r.file_name,
        fileSha256: r.file_sha256,
        fileBytes: r.file_bytes,
        format: r.format,
        category: r.category,
        pool: r.pool,
        mode: r.mode,
        outcome: r.outcome,
        imported: r.imported,
        skipped: r.skipped,
        problems: JSON.parse(r.problems) as unknown[],
        versionId: r.version_id,
        actor: r.actor,
        startedAt: r.started_at,
        finishedAt: r.finished_at,
      }));
  }
}
