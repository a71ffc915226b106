import { createHash } from 'node:crypto';
import type { Db } from '../db/open';
import { EventsRepo, INSTITUTION_CHAIN } from '../audit/events.repo';
import type { BankProblem, ImportMode, ImportSummary } from '../protocol';
import type { Clock } from '../shared/clock';
import { AppError } from '../shared/errors';
import { TSG_CATEGORIES, versionFingerprint, type HashedItem, type Pool } from './bank-format';
import { versionToBankFile, versionToXlsx } from './bank-export';
import { BankService, PoolClashError, clashPlace } from './bank.service';
import type { ImportInput, ImportProblem, ParsedImport } from './importers';

export type ImportRequest = {
  pool: Pool | null;
  mode: ImportMode;
  actor: string;
  categoryName?: string;
  /** Name, size and SHA-256 of the file(s), for the import log. */
  files: { name: string; bytes: number; sha256: string }[];
  startedAt: number;
  onStore?: () => void;
};

const countTypes = (items: HashedItem[]) => ({
  judge: items.filter((i) => i.type === 'judge').length,
  single: items.filter((i) => i.type === 'single').length,
  multi: items.filter((i) => i.type === 'multi').length,
});

const NO_ITEMS = { judge: 0, single: 0, multi: 0 };

const view = (p: ImportProblem): BankProblem => ({
  kind: p.kind,
  where: p.where,
  ...(p.field ? { field: p.field } : {}),
  message: p.message,
});

/** The summary of a read without storing it (`bank validate`). */
export function validationSummary(parsed: ParsedImport, mode: ImportMode = 'append'): ImportSummary {
  const errors = parsed.problems.filter((p) => p.kind !== 'warning').map(view);
  const blocking = parsed.problems.some((p) => p.kind === 'error') || parsed.items.length === 0;
  return {
    outcome: blocking ? 'invalid' : 'valid',
    imported: blocking ? 0 : parsed.items.length,
    skipped: blocking ? parsed.seen : parsed.seen - parsed.items.length,
    errors:
      parsed.items.length === 0 && !parsed.problems.some((p) => p.kind === 'error')
        ? [
            ...errors,
            {
              kind: 'error',
              where: parsed.fileNames.join(', '),
              message: '没有可导入的题目 (no importable items)',
            },
          ]
        : errors,
    warnings: parsed.problems.filter((p) => p.kind === 'warning').map(view),
    files: parsed.fileNames,
    formats: parsed.formats,
    category: parsed.category,
    pool: parsed.pool,
    mode,
    byType: blocking ? NO_ITEMS : countTypes(parsed.items),
  };
}

/** SHA-256 of a file's bytes, for the import log. */
export async function fileDigest(input: ImportInput): Promise<{ name: string; bytes: number; sha256: string }> {
  const h = createHash('sha256');
  for await (const chunk of input.source.chunks()) h.update(chunk);
  return { name: input.name, bytes: input.size, sha256: h.digest('hex') };
}

/**
 * Stores what the importers read: all or nothing. Any error refuses the whole import and leaves the bank
 * as it was (a bank with one wrong key must not go live); unsupported items are skipped and reported.
 * `append` adds the file's items to the pool's latest version (the file's metadata wins for items
 * already there); `replace` makes the file the whole pool. Every attempt is logged with who and when.
 */
export class BankImportService {
  readonly bank: BankService;
  private readonly events: EventsRepo;

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
  ) {
    this.bank = new BankService(db, clock);
    this.events = new EventsRepo(db);
  }

  store(parsed: ParsedImport, req: ImportRequest): ImportSummary {
    const summary = validationSummary(parsed, req.mode);
    const pool = req.pool ?? parsed.pool;
    const refuse = (errors: BankProblem[]) =>
      this.log(parsed, req, {
        ...summary,
        pool,
        outcome: 'refused',
        imported: 0,
        skipped: parsed.seen,
        errors,
        byType: NO_ITEMS,
      });
    if (summary.outcome === 'invalid') return refuse(summary.errors);
    const where = parsed.fileNames.join(', ');
    if (!pool)
      return refuse([
        {
          kind: 'error',
          where,
          field: 'pool',
          message: '请用 --pool exam|practice 指定题库池',
        },
      ]);
    if (parsed.pool && req.pool && parsed.pool !== req.pool)
      return refuse([
        {
          kind: 'error',
          where,
          field: 'pool',
          message: `文件属于 ${parsed.pool} 池，但指定了 --pool ${req.pool}`,
        },
      ]);
    const category = parsed.category;
    const categoryName =
      this.bank.repo.categoryName(category) ?? req.categoryName ?? parsed.categoryName ?? TSG_CATEGORIES[category];
    if (!categoryName)
      return refuse([
        {
          kind: 'error',
          where,
          field: 'category',
          message: `新的作业项目 ${category}：请用 --category-name 给出名称`,
        },
      ]);

    req.onStore?.();
    try {
      return this.db.transaction(() => {
        const parent = this.bank.repo.latestVersion(category, pool);
        const parentItems = parent ? this.bank.repo.itemsOfVersion(parent.id) : [];
        const retired = this.bank.repo.retired(category, pool);
        const warnings = [...summary.warnings];
        const incoming = parsed.items.filter((i) => {
          const by = retired.get(i.contentHash);
          if (by !== undefined)
            warnings.push({
              kind: 'warning',
              where: i.externalId,
              message: `此题已在版本 #${by} 停用，未重新加入（修改后的题目是新题）`,
            });
          return by === undefined;
        });
        const byHash = new Map(parentItems.map((i) => [i.contentHash, i]));
        const fromFile = new Map(incoming.map((i) => [i.contentHash, i]));
        const updated = incoming.filter((i) => {
          const old = byHash.get(i.contentHash);
          return old && versionFingerprint([old]) !== versionFingerprint([i]);
        }).length;
        const added = incoming.filter((i) => !byHash.has(i.contentHash)).length;
        const items =
          req.mode === 'replace'
            ? incoming
            : [
                ...parentItems.map((p) => fromFile.get(p.contentHash) ?? p),
                ...incoming.filter((i) => !byHash.has(i.contentHash)),
              ];
        const removed = req.mode === 'replace' ? parentItems.filter((p) => !fromFile.has(p.contentHash)).length : 0;
        const base = {
          ...summary,
          pool,
          warnings,
          imported: incoming.length,
          skipped: parsed.seen - incoming.length,
          added,
          updated,
          removed,
        };
        const fingerprint = versionFingerprint(items);
        if (parent && parent.fingerprint === fingerprint)
          return this.log(parsed, req, {
            ...base,
            outcome: 'unchanged',
            version: {
              id: parent.id,
              fingerprint,
              itemCount: parent.itemCount,
              parentId: parent.parentId,
            },
          });
        const version = this.bank.createVersion({
          category,
          categoryName,
          pool,
          items,
          source: parsed.fileNames.join(', ').slice(0, 500),
          actor: req.actor,
          note: `${req.mode}: +${added} ~${updated} -${removed}`,
        });
        return this.log(parsed, req, {
          ...base,
          outcome: 'imported',
          version: {
            id: version.id,
            fingerprint: version.fingerprint,
            itemCount: version.itemCount,
            parentId: version.parentId,
          },
        });
      })();
    } catch (err) {
      if (err instanceof PoolClashError) {
        return refuse(
          err.clashes.map((c) => ({
            kind: 'error',
            where: c.externalId,
            field: 'pool',
            message: `此题已在${clashPlace(c)}中，不能放入${category} ${pool === 'exam' ? '考试池' : '练习池'}（考培分离）:「${c.stem.slice(0, 40)}」`,
          })),
        );
      }
      if (err instanceof AppError) return refuse([{ kind: 'error', where, message: err.message }]);
      throw err;
    }
  }

  /** Writes the import log row and its event, in the caller's transaction when there is one. */
  private log(parsed: ParsedImport, req: ImportRequest, summary: ImportSummary): ImportSummary {
    this.db.transaction(() => {
      const id = this.bank.repo.insertImportLog({
        fileName: req.files
          .map((f) => f.name)
          .join(', ')
          .slice(0, 500),
        fileSha256: req.files.map((f) => f.sha256).join(','),
        fileBytes: req.files.reduce((t, f) => t + f.bytes, 0),
        format: parsed.formats.join(',') || null,
        category: parsed.category === '?' ? null : parsed.category,
        pool: summary.pool,
        mode: req.mode,
        outcome: summary.outcome as 'imported' | 'unchanged' | 'refused',
        imported: summary.imported,
        skipped: summary.skipped,
        problems: [...summary.errors, ...summary.warnings],
        versionId: summary.version?.id ?? null,
        actor: req.actor,
        startedAt: req.startedAt,
        finishedAt: this.clock.now(),
      });
      this.events.append({
        chain: INSTITUTION_CHAIN,
        at: this.clock.now(),
        actor: req.actor,
        type: summary.outcome === 'refused' ? 'bank.import-refused' : 'bank.imported',
        payload: {
          importId: id,
          files: req.files,
          category: summary.category,
          pool: summary.pool,
          mode: req.mode,
          outcome: summary.outcome,
          imported: summary.imported,
          skipped: summary.skipped,
          errors: summary.errors.length,
          versionId: summary.version?.id ?? null,
        },
      });
    })();
    return summary;
  }

  /** A version as a file (JSON or the Excel template), with an event naming who exported it. */
  async export(
    versionId: number,
    format: 'json' | 'xlsx',
    actor: string,
  ): Promise<{ fileName: string; contentType: string; body: Buffer }> {
    const version = this.bank.version(versionId);
    const items = this.bank.repo.itemsOfVersion(versionId);
    const name = this.bank.repo.categoryName(version.category) ?? version.category;
    const base = `${version.category}-${version.pool}-v${version.id}`;
    const out =
      format === 'json'
        ? {
            fileName: `${base}.json`,
            contentType: 'application/json; charset=utf-8',
            body: Buffer.from(JSON.stringify(versionToBankFile(version, name, items), null, 2) + '\n', 'utf8'),
          }
        : {
            fileName: `${base}.xlsx`,
            contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
            body: await versionToXlsx(version, name, items),
          };
    this.bank.recordAccess(actor, 'bank.version-exported', {
      versionId,
      category: version.category,
      pool: version.pool,
      fingerprint: version.fingerprint,
      format,
      sha256: createHash('sha256').update(out.body).digest('hex'),
    });
    return out;
  }
}
