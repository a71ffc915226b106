import { readFile, writeFile } from 'node:fs/promises';
import { databaseFileIn } from '../db/data-folder';
import { userInfo } from 'node:os';
import { parseArgs } from 'node:util';
import { loadConfig } from '../config';
import { migrate } from '../db/migrate';
import { openDatabase, type Db } from '../db/open';
import type { ImportSummary } from '../protocol';
import { systemClock } from '../shared/clock';
import { AppError } from '../shared/errors';
import { BankImportService, fileDigest, validationSummary } from './bank-import.service';
import { blueprintSchema } from './blueprint';
import { FileRefused, pathInputs, readImport, type ImportInput, type ImportProgress } from './importers';

export const BANK_USAGE = `exam-center bank — question bank (题库)

  bank import FILE|DIR --category CODE --pool exam|practice [options]
      Import an Excel (.xlsx) / CSV template, Moodle XML, QTI 2.1/2.2/3.0 item (.xml) or content package
      (.zip), or an exam-center JSON bank. A folder imports all its files as one version.
        --mode append|replace   append (default): add to the pool's latest version; replace: the file is the whole pool
        --category-name NAME    name of a category not known yet (TSG codes such as N1, G1, R1 are known)
        --knowledge-point KP    knowledge point for items without one (default 未分类)
        --difficulty N          difficulty 1–5 for items without one (default 3)
        --encoding utf-8|gb18030  CSV encoding (default utf-8; GBK files are refused unless told gb18030)
        --json                  print only the summary as JSON
  bank validate FILE|DIR [--category CODE] [--encoding …] [--json]
      Check a bank file (or a blueprint JSON) without a database.
  bank export VERSION_ID [--format json|xlsx] [--out FILE]
  bank versions [--category CODE] [--json]

Exit status: 0 done, 1 refused or invalid, 2 usage error. Database: $EXAM_CENTER_DATA/exam-center.db`;

const options = {
  category: { type: 'string' },
  'category-name': { type: 'string' },
  pool: { type: 'string' },
  mode: { type: 'string' },
  'knowledge-point': { type: 'string' },
  difficulty: { type: 'string' },
  encoding: { type: 'string' },
  format: { type: 'string' },
  out: { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

type Values = ReturnType<typeof parseArgs<{ options: typeof options; allowPositionals: true }>>['values'];

class UsageError extends Error {}

const out = (s: string) => process.stdout.write(s + '\n');
const err = (s: string) => process.stderr.write(s + '\n');

function openDb(): Db {
  const config = loadConfig();
  const db = openDatabase(databaseFileIn(config.dataDir));
  migrate(db);
  return db;
}

function progressPrinter(enabled: boolean): (p: ImportProgress) => void {
  if (!enabled || !process.stderr.isTTY) return () => undefined;
  let last = '';
  return (p) => {
    const pct = p.total ? Math.floor((100 * p.done) / p.total) : 0;
    const line = `\r${p.phase.padEnd(6)} [${'#'.repeat(pct / 5).padEnd(20)}] ${pct}%`;
    if (line !== last) process.stderr.write(line);
    last = line;
  };
}

function printSummary(s: ImportSummary): void {
  const t = s.byType;
  const head: Record<ImportSummary['outcome'], string> = {
    imported: '已导入 imported',
    unchanged: '无变化 unchanged (same fingerprint as the current version)',
    refused: '已拒绝 refused — the bank is unchanged',
    valid: '校验通过 valid',
    invalid: '校验未通过 invalid',
  };
  out(`${head[s.outcome]}: ${s.files.join(', ')} [${s.formats.join(', ') || '?'}]`);
  out(`  题目 items: ${s.imported} (判断 ${t.judge} / 单选 ${t.single} / 多选 ${t.multi}), 跳过 skipped: ${s.skipped}`);
  if (s.version)
    out(
      `  版本 version #${s.version.id} ${s.category} ${s.pool ?? ''}: ${s.version.itemCount} items, fingerprint ${s.version.fingerprint}` +
        (s.added !== undefined ? `  (+${s.added} ~${s.updated ?? 0} -${s.removed ?? 0})` : ''),
    );
  const list = (title: string, ps: ImportSummary['errors']) => {
    if (!ps.length) return;
    out(`  ${title} (${ps.length}):`);
    for (const p of ps.slice(0, 50)) out(`    ${p.where}${p.field ? ` [${p.field}]` : ''}: ${p.message}`);
    if (ps.length > 50) out(`    … ${ps.length - 50} more`);
  };
  list('错误与不支持 errors & unsupported', s.errors);
  list('提示 warnings', s.warnings);
}

const defaultsOf = (v: Values) => {
  const difficulty = v.difficulty === undefined ? undefined : Number(v.difficulty);
  if (difficulty !== undefined && !(Number.isInteger(difficulty) && difficulty >= 1 && difficulty <= 5))
    throw new UsageError('--difficulty must be 1–5');
  if (v.encoding !== undefined && v.encoding !== 'utf-8' && v.encoding !== 'gb18030')
    throw new UsageError('--encoding must be utf-8 or gb18030');
  return {
    category: v.category ?? null,
    ...(v['knowledge-point'] ? { knowledgePoint: v['knowledge-point'] } : {}),
    ...(difficulty ? { difficulty } : {}),
    ...(v.encoding ? { encoding: v.encoding as 'utf-8' | 'gb18030' } : {}),
  };
};

const refusedRead = (e: FileRefused, file: string, v: Values): ImportSummary => ({
  ...validationSummary({
    formats: [],
    fileNames: [file],
    category: v.category ?? '?',
    categoryName: null,
    pool: null,
    items: [],
    problems: [e.problem],
    seen: 0,
  }),
  outcome: 'refused',
});

async function inputsOf(file: string): Promise<ImportInput[]> {
  return pathInputs(file);
}

async function validate(file: string, v: Values): Promise<number> {
  if (file.endsWith('.json')) {
    const text = await readFile(file, 'utf8').catch(() => null);
    const json =
      text &&
      (() => {
        try {
          return JSON.parse(text) as { format?: unknown };
        } catch {
          return null;
        }
      })();
    if (json && json.format === 'exam-center-blueprint/1') {
      const r = blueprintSchema.safeParse(json);
      const errors = r.success
        ? []
        : r.error.issues.map((i) => ({
            kind: 'error' as const,
            where: file,
            field: i.path.join('.'),
            message: i.message,
          }));
      if (v.json)
        out(
          JSON.stringify(
            {
              outcome: r.success ? 'valid' : 'invalid',
              kind: 'blueprint',
              errors,
            },
            null,
            2,
          ),
        );
      else
        out(
          r.success
            ? `组卷规则有效 valid blueprint: ${file}`
            : errors.map((e) => `${e.where} [${e.field}]: ${e.message}`).join('\n'),
        );
      return r.success ? 0 : 1;
    }
  }
  let summary: ImportSummary;
  try {
    const parsed = await readImport(await inputsOf(file), {
      defaults: defaultsOf(v),
      onProgress: progressPrinter(!v.json),
      categoryOptional: true,
    });
    summary = validationSummary(parsed);
  } catch (e) {
    if (!(e instanceof FileRefused)) throw e;
    summary = { ...refusedRead(e, file, v), outcome: 'invalid' };
  }
  if (!v.json && process.stderr.isTTY) err('');
  if (v.json) out(JSON.stringify(summary, null, 2));
  else printSummary(summary);
  return summary.outcome === 'valid' ? 0 : 1;
}

async function importFile(file: string, v: Values): Promise<number> {
  if (v.pool !== undefined && v.pool !== 'exam' && v.pool !== 'practice')
    throw new UsageError('--pool must be exam or practice');
  if (v.mode !== undefined && v.mode !== 'append' && v.mode !== 'replace')
    throw new UsageError('--mode must be append or replace');
  const db = openDb();
  try {
    const service = new BankImportService(db, systemClock);
    const startedAt = Date.now();
    let summary: ImportSummary;
    try {
      const inputs = await inputsOf(file);
      const parsed = await readImport(inputs, {
        defaults: defaultsOf(v),
        onProgress: progressPrinter(!v.json),
      });
      summary = service.store(parsed, {
        pool: (v.pool as 'exam' | 'practice' | undefined) ?? null,
        mode: (v.mode as 'append' | 'replace' | undefined) ?? 'append',
        actor: `cli:${userInfo().username}`,
        categoryName: v['category-name'],
        files: await Promise.all(inputs.map(fileDigest)),
        startedAt,
      });
    } catch (e) {
      if (!(e instanceof FileRefused)) throw e;
      summary = refusedRead(e, file, v);
    }
    if (!v.json && process.stderr.isTTY) err('');
    if (v.json) out(JSON.stringify(summary, null, 2));
    else printSummary(summary);
    return summary.outcome === 'refused' ? 1 : 0;
  } finally {
    db.close();
  }
}

async function exportVersion(id: string, v: Values): Promise<number> {
  const versionId = Number(id);
  if (!Number.isSafeInteger(versionId) || versionId <= 0) throw new UsageError('VERSION_ID must be a positive integer');
  const format = v.format ?? 'json';
  if (format !== 'json' && format !== 'xlsx') throw new UsageError('--format must be json or xlsx');
  const db = openDb();
  try {
    const file = await new BankImportService(db, systemClock).export(versionId, format, `cli:${userInfo().username}`);
    const target = v.out ?? file.fileName;
    await writeFile(target, file.body);
    out(`${target} (${file.body.length} bytes)`);
    return 0;
  } finally {
    db.close();
  }
}

function versions(v: Values): number {
  const db = openDb();
  try {
    const list = new BankImportService(db, systemClock).bank.repo.versions(v.category ? { category: v.category } : {});
    if (v.json) out(JSON.stringify({ versions: list }, null, 2));
    else
      for (const x of list)
        out(
          `#${x.id}\t${x.category}\t${x.pool}\t${x.itemCount} items\t${x.fingerprint.slice(0, 16)}\t${new Date(x.createdAt).toISOString()}\t${x.createdBy}\t${x.source}`,
        );
    return 0;
  } finally {
    db.close();
  }
}

/** `exam-center bank …` (registered in cli.ts). */
export async function bankCommand(args: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (e) {
    err(`${(e as Error).message}\n\n${BANK_USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  const [sub, target] = positionals;
  if (values.help || !sub) {
    out(BANK_USAGE);
    return sub ? 0 : 2;
  }
  try {
    if (sub === 'import' && target) return await importFile(target, values);
    if (sub === 'validate' && target) return await validate(target, values);
    if (sub === 'export' && target) return await exportVersion(target, values);
    if (sub === 'versions') return versions(values);
    throw new UsageError(`unknown or incomplete command: bank ${positionals.join(' ')}`);
  } catch (e) {
    if (e instanceof UsageError) {
      err(`${e.message}\n\n${BANK_USAGE}`);
      return 2;
    }
    if (e instanceof AppError) {
      err(`${e.code}: ${e.message}`);
      return 1;
    }
    throw e;
  }
}
