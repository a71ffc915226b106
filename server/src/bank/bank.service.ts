import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import type { Db } from '../db/open';
import { EventsRepo, INSTITUTION_CHAIN } from '../audit/events.repo';
import type { Clock } from '../shared/clock';
import { AppError } from '../shared/errors';
import { bankFileSchema, fromFileItem, versionFingerprint, withHash, type HashedItem, type ItemProblem } from './bank-format';
import { BankRepo, type BankVersion } from './bank.repo';

export type ParsedBankFile = {
  category: string;
  categoryName: string;
  pool: 'exam' | 'practice';
  items: HashedItem[];
  problems: ItemProblem[];
};

/** Reads a bank file in the product's own JSON format, naming file, item and field for every problem. */
export function parseBankJson(text: string, fileName: string): ParsedBankFile {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new AppError('bank-file-invalid', `${fileName}: not valid JSON (${(err as Error).message})`);
  }
  const parsed = bankFileSchema.safeParse(json);
  if (!parsed.success) {
    const problems = parsed.error.issues.slice(0, 50).map((i) => {
      const [first, index, ...rest] = i.path;
      const where = first === 'items' ? `${fileName} items[${String(index)}]` : fileName;
      const field = first === 'items' ? rest.join('.') : i.path.join('.');
      return `${where} ${field}: ${i.message}`;
    });
    throw new AppError('bank-file-invalid', problems.join('\n'), 400, { problems });
  }
  const file = parsed.data;
  const items: HashedItem[] = [];
  const problems: ItemProblem[] = [];
  const seen = new Map<string, string>();
  file.items.forEach((raw, i) => {
    const where = `${fileName} items[${i}] (${raw.id})`;
    const item = fromFileItem(file.category, raw, where);
    if ('message' in item) return void problems.push(item);
    const hashed = withHash(item);
    const earlier = seen.get(hashed.contentHash);
    if (earlier) return void problems.push({ where, field: 'stem', message: `与 ${earlier} 内容重复` });
    seen.set(hashed.contentHash, raw.id);
    items.push(hashed);
  });
  return { category: file.category, categoryName: file.categoryName, pool: file.pool, items, problems };
}

export function readBankFile(path: string): ParsedBankFile {
  return parseBankJson(readFileSync(path, 'utf8'), basename(path));
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
  }

  /** Creates an immutable version of one category's pool from already-validated items, with its event. */
  createVersion(input: {
    category: string;
    categoryName: string;
    pool: 'exam' | 'practice';
    items: HashedItem[];
    source: string;
    actor: string;
    note?: string;
  }): BankVersion {
    if (input.items.length === 0) throw new AppError('bank-empty', `${input.source}: no importable items`);
    return this.db.transaction(() => {
      this.repo.upsertCategory(input.category, input.categoryName, input.category === 'A');
      const parent = this.repo.latestVersion(input.category, input.pool);
      const version = this.repo.insertVersion(
        {
          category: input.category,
          pool: input.pool,
          fingerprint: versionFingerprint(input.items.map((i) => i.contentHash)),
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
          source: input.source,
        },
      });
      return version;
    })();
  }
}
