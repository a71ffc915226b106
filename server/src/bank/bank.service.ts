import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import type { Db } from '../db/open';
import { EventsRepo, INSTITUTION_CHAIN } from '../audit/events.repo';
import type { Clock } from '../shared/clock';
import { AppError, notFound } from '../shared/errors';
import { itemClashHash, versionFingerprint, type HashedItem, type ItemProblem, type Pool } from './bank-format';
import { BankRepo, type BankVersion } from './bank.repo';
import { readBankJson } from './importers/bank-json';
import { FileRefused } from './importers/decode';
import { DEFAULT_IMPORT } from './importers/types';
import { checkDrafts } from './item-rules';

export type ParsedBankFile = {
  category: string;
  categoryName: string;
  pool: Pool;
  items: HashedItem[];
  problems: ItemProblem[];
};

/** Reads a bank file in the product's own JSON format, naming file, item and field for every problem. */
export function parseBankJson(text: string, fileName: string): ParsedBankFile {
  let read;
  try {
    read = readBankJson(new TextEncoder().encode(text), fileName);
  } catch (err) {
    if (err instanceof FileRefused) throw new AppError('bank-file-invalid', err.message, 400, err.details);
    throw err;
  }
  const header = read.header as NonNullable<typeof read.header>;
  const checked = checkDrafts(read.drafts, header.category, DEFAULT_IMPORT, {
    strictIds: true,
  });
  const problems = [...read.problems, ...checked.problems]
    .filter((p) => p.kind !== 'warning')
    .map((p) => ({ where: p.where, field: p.field ?? '', message: p.message }));
  return { ...header, items: checked.items, problems };
}

export function readBankFile(path: string): ParsedBankFile {
  return parseBankJson(readFileSync(path, 'utf8'), basename(path));
}

export type PoolClash = {
  contentHash: string;
  externalId: string;
  stem: string;
  otherPool: Pool;
  /** Where the look-alike was filed: it may be another category (an N1 exam item offered as G1 practice). */
  otherCategory: string;
  otherVersionId: number;
  otherExternalId: string;
};

/** "N1 考试池 版本 #3 的 N1-017": names the item a refused one clashes with. */
export const clashPlace = (c: PoolClash) =>
  `${c.otherCategory} ${c.otherPool === 'exam' ? '考试池' : '练习池'} 版本 #${c.otherVersionId} 的 ${c.otherExternalId}`;

/** Refusal of a version that would put into one pool an item already in the other (考培分离, notice §二(三)). */
export class PoolClashError extends AppError {
  constructor(
    readonly pool: Pool,
    readonly clashes: PoolClash[],
  ) {
    const other = pool === 'exam' ? 'practice' : 'exam';
    super(
      'pool-clash',
      `${clashes.length} 道题已在${other === 'exam' ? '考试' : '练习'}池（${other}）中，不能放入${pool === 'exam' ? '考试' : '练习'}池（考培分离）: ` +
        clashes
          .slice(0, 5)
          .map((c) => `${c.externalId}「${c.stem.slice(0, 20)}」（同 ${clashPlace(c)}）`)
          .join('、') +
        (clashes.length > 5 ? ' …' : ''),
      409,
      { clashes },
    );
  }
}

export class BankService {
  readonly repo: BankRepo;
  private readonly events: EventsRepo;

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
  ) {
    this.repo = new BankRepo(db);
    this.events = new EventsRepo(db);
    // Items stored before 0010 need their clash hash before any import or practice read compares them.
    this.repo.backfillClashHashes();
  }

  /**
   * Creates an immutable version of one category's pool from already-validated items, with its event.
   * Refuses items that were ever in the category's other pool (考培分离). Runs in its own transaction,
   * or inside the caller's.
   */
  createVersion(input: {
    category: string;
    categoryName: string;
    pool: Pool;
    items: HashedItem[];
    source: string;
    actor: string;
    note?: string;
  }): BankVersion {
    if (input.items.length === 0) throw new AppError('bank-empty', `${input.source}: no importable items`);
    return this.db.transaction(() => {
      this.repo.upsertCategory(input.category, input.categoryName, input.category === 'A');
      const clashes = this.poolClashes(input.pool, input.items);
      if (clashes.length) throw new PoolClashError(input.pool, clashes);
      const parent = this.repo.latestVersion(input.category, input.pool);
      const version = this.repo.insertVersion(
        {
          category: input.category,
          pool: input.pool,
          fingerprint: versionFingerprint(input.items),
          parentId: parent?.id ?? null,
          source: input.source,
          note: input.note ?? null,
          createdBy: input.actor,
          createdAt: this.clock.now(),
        },
        input.items,
      );
      this.events.append({
        chain: INSTITUTION_CHAIN,
        at: this.clock.now(),
        actor: input.actor,
        type: 'bank.version-created',
        payload: {
          versionId: version.id,
          category: version.category,
          pool: version.pool,
          fingerprint: version.fingerprint,
          itemCount: version.itemCount,
          parentId: version.parentId,
          source: input.source,
        },
      });
      return version;
    })();
  }

  /**
   * Items that look like (same stem, options and key: itemClashHash) an item ever in the other pool of any
   * category, old versions and retired items included. The category does not count: 考培分离 is about what
   * a trainee sees, not where it is filed.
   */
  poolClashes(pool: Pool, items: HashedItem[]): PoolClash[] {
    const otherPool: Pool = pool === 'exam' ? 'practice' : 'exam';
    return items.flatMap((i) => {
      const found = this.repo.clashInPool(itemClashHash(i), otherPool);
      return found
        ? [
            {
              contentHash: i.contentHash,
              externalId: i.externalId,
              stem: i.stem,
              otherPool,
              otherCategory: found.category,
              otherVersionId: found.versionId,
              otherExternalId: found.externalId,
            },
          ]
        : [];
    });
  }

  version(id: number): BankVersion {
    const v = this.repo.version(id);
    if (!v) throw notFound('bank version', { versionId: id });
    return v;
  }

  /**
   * Retires items of a pool: a new version without them, recorded so that a later import of an old file
   * cannot bring them back (a leaked or wrong item stays out; a corrected one has a new hash).
   */
  retire(input: { category: string; pool: Pool; itemHashes: string[]; reason: string; actor: string }): BankVersion {
    return this.db.transaction(() => {
      const parent = this.repo.latestVersion(input.category, input.pool);
      if (!parent)
        throw notFound('bank version', {
          category: input.category,
          pool: input.pool,
        });
      const items = this.repo.itemsOfVersion(parent.id);
      const wanted = new Set(input.itemHashes);
      const missing = [...wanted].filter((h) => !items.some((i) => i.contentHash === h));
      if (missing.length)
        throw new AppError('item-not-in-version', `${missing.length} 道题不在当前版本 #${parent.id} 中`, 409, {
          missing,
        });
      const kept = items.filter((i) => !wanted.has(i.contentHash));
      if (kept.length === 0) throw new AppError('bank-empty', '不能停用一个版本的全部题目', 409);
      const now = this.clock.now();
      const version = this.repo.insertVersion(
        {
          category: input.category,
          pool: input.pool,
          fingerprint: versionFingerprint(kept),
          parentId: parent.id,
          source: `retire ${wanted.size} item(s)`,
          note: input.reason,
          createdBy: input.actor,
          createdAt: now,
        },
        kept,
      );
      for (const h of wanted)
        this.repo.insertRetirement({
          category: input.category,
          pool: input.pool,
          itemHash: h,
          versionId: version.id,
          reason: input.reason,
          actor: input.actor,
          at: now,
        });
      this.events.append({
        chain: INSTITUTION_CHAIN,
        at: now,
        actor: input.actor,
        type: 'bank.items-retired',
        payload: {
          versionId: version.id,
          parentId: parent.id,
          category: input.category,
          pool: input.pool,
          itemHashes: [...wanted],
          reason: input.reason,
          fingerprint: version.fingerprint,
        },
      });
      return version;
    })();
  }

  /** Records who read exam-pool content and when (design.md: bank content is confidential before opening). */
  recordAccess(
    actor: string,
    type: 'bank.items-viewed' | 'bank.version-exported',
    payload: Record<string, unknown>,
  ): void {
    this.events.append({
      chain: INSTITUTION_CHAIN,
      at: this.clock.now(),
      actor,
      type,
      payload,
    });
  }
}
