import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { strToU8 } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate } from '../../server/src/db/migrate';
import { openDatabase, type Db } from '../../server/src/db/open';
import { BankImportService } from '../../server/src/bank/bank-import.service';
import { fileInput, pathInputs, readImport } from '../../server/src/bank/importers';
import type { ImportSummary } from '../../server/src/protocol';
import { ManualClock } from '../../server/src/shared/clock';
import { BILLION_LAUGHS, XXE, encodeGb18030, makeXlsx } from '../support/bank-files';

const ROOT = resolve(import.meta.dirname, '../..');
const EXTERNAL = resolve(ROOT, 'test/fixtures/external');
const BIN = join(ROOT, 'bin/exam-center.js');
const run = promisify(execFile);

let tmp: string;
beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'exam-center-bank-'));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** `node bin/exam-center.js bank …` as a child process, with its own data folder. */
async function cli(args: string[], dataDir: string): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [BIN, 'bank', ...args], {
      env: { ...process.env, EXAM_CENTER_DATA: dataDir, EXAM_CENTER_LOG: 'silent' },
      maxBuffer: 10 * 1024 * 1024,
    });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('bank CLI (child process)', () => {
  it('imports the external QTI 2.1 samples with the counts of their README', async () => {
    const data = join(tmp, 'cli-qti');
    const r = await cli(['import', join(EXTERNAL, 'qti21'), '--category', 'N1', '--pool', 'practice', '--json'], data);
    expect(r.code).toBe(0);
    const s = JSON.parse(r.stdout) as ImportSummary;
    expect(s).toMatchObject({ outcome: 'imported', imported: 5, skipped: 0, errors: [] });
    expect(s.byType.multi).toBe(2);
    expect(s.byType.single + s.byType.judge).toBe(3);
  });

  it('imports the external Moodle samples: 1 multiple + 4 true/false, the essay reported as unsupported', async () => {
    const data = join(tmp, 'cli-moodle');
    const multi = await cli(
      [
        'import',
        join(EXTERNAL, 'moodle-xml/multichoice-multiple.xml'),
        '--category',
        'N1',
        '--pool',
        'practice',
        '--json',
      ],
      data,
    );
    expect(JSON.parse(multi.stdout)).toMatchObject({
      outcome: 'imported',
      imported: 1,
      skipped: 0,
      byType: { multi: 1 },
    });
    const tf = await cli(
      [
        'import',
        join(EXTERNAL, 'moodle-xml/nested-categories-truefalse-essay.xml'),
        '--category',
        'N1',
        '--pool',
        'practice',
        '--json',
      ],
      data,
    );
    expect(tf.code).toBe(0);
    const s = JSON.parse(tf.stdout) as ImportSummary;
    expect(s).toMatchObject({
      outcome: 'imported',
      imported: 4,
      skipped: 1,
      byType: { judge: 4 },
      version: { itemCount: 5 },
    });
    expect(s.errors).toEqual([
      expect.objectContaining({
        kind: 'unsupported',
        where: expect.stringContaining('Kappa Essay Question'),
        message: expect.stringContaining('essay'),
      }),
    ]);
  });

  it('validates without a database, and refuses a billion-laughs file and a 50 MB file with a clear error', async () => {
    const data = join(tmp, 'cli-validate');
    const ok = await cli(['validate', join(ROOT, 'question-bank/banks/N1-exam.json'), '--json'], data);
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({ outcome: 'valid', errors: [] });
    expect(existsSync(data)).toBe(false);
    const bomb = join(tmp, 'lol.xml');
    writeFileSync(bomb, BILLION_LAUGHS);
    const refused = await cli(['import', bomb, '--category', 'N1', '--pool', 'exam', '--json'], data);
    expect(refused.code).toBe(1);
    const s = JSON.parse(refused.stdout) as ImportSummary;
    expect(s).toMatchObject({ outcome: 'refused', imported: 0 });
    expect(s.errors[0]!.message).toContain('DOCTYPE');
    const big = join(tmp, 'big.csv');
    writeFileSync(big, Buffer.alloc(50 * 1024 * 1024, 0x41));
    const tooBig = await cli(['import', big, '--category', 'N1', '--pool', 'exam', '--json'], data);
    expect(tooBig.code).toBe(1);
    expect((JSON.parse(tooBig.stdout) as ImportSummary).errors[0]!.message).toContain('文件过大');
    expect(tooBig.stderr).toBe('');
  });
});

describe('broken files leave the stored bank unchanged', () => {
  let db: Db;
  let service: BankImportService;
  const snapshot = () => ({
    versions: db.prepare('SELECT id, fingerprint FROM bank_versions ORDER BY id').all(),
    items: (db.prepare('SELECT count(*) AS n FROM bank_items').get() as { n: number }).n,
    members: (db.prepare('SELECT count(*) AS n FROM bank_version_items').get() as { n: number }).n,
  });

  beforeAll(async () => {
    db = openDatabase(':memory:');
    migrate(db);
    service = new BankImportService(db, new ManualClock());
    const parsed = await readImport([await fileInput(join(ROOT, 'question-bank/banks/N1-exam.json'))]);
    expect(
      service.store(parsed, { pool: 'exam', mode: 'append', actor: 'test', files: [], startedAt: 0 }).outcome,
    ).toBe('imported');
  });

  const header = '题型,题干,选项A,选项B,选项C,选项D,答案,知识点,难度\n';
  const corpus: [string, () => Promise<Uint8Array> | Uint8Array, RegExp][] = [
    [
      'wrong-answer-letters.csv',
      () => strToU8(`${header}单选,叉车的额定起重量指什么？,最大载荷,自重,总重,轴荷,AF,基础知识,3\n`),
      /无效选项字母 "F"/,
    ],
    [
      'missing-options.xlsx',
      () =>
        makeXlsx({
          题库: [
            header.trim().split(','),
            ['单选', '叉车起步前应当怎样？', '鸣笛观察', '', '', '', 'A', '安全操作', 2],
          ],
        }),
      /至少需要 2 个选项/,
    ],
    [
      'duplicate-items.json',
      () =>
        strToU8(
          JSON.stringify({
            format: 'exam-center-bank/1',
            category: 'N1',
            categoryName: '叉车司机',
            pool: 'exam',
            items: [1, 2].map((n) => ({
              id: `D${n}`,
              type: 'judge',
              stem: '叉车严禁载人。',
              answer: '对',
              knowledgePoint: '安全操作',
              difficulty: 2,
            })),
          }),
        ),
      /重复/,
    ],
    ['billion-laughs.xml', () => strToU8(BILLION_LAUGHS), /DOCTYPE\/ENTITY/],
    ['xxe.xml', () => strToU8(XXE), /XXE/],
    ['deep.xml', () => strToU8(`<quiz>${'<a>'.repeat(200)}${'</a>'.repeat(200)}</quiz>`), /嵌套超过/],
    ['malformed.xml', () => strToU8('<quiz><question type="truefalse"></quiz>'), /XML 格式错误/],
    ['gbk.csv', () => encodeGb18030(`${header}判断,叉车可以载人。,,,,,错,安全操作,2\n`), /GBK/],
    [
      'broken.xlsx',
      () => new Uint8Array([0x50, 0x4b, 3, 4, ...Array.from({ length: 200 }, (_, i) => i % 256)]),
      /无法读取 Excel/,
    ],
    ['not-json.json', () => strToU8('{"format": "exam-center-bank/1", "items": [}'), /不是有效的 JSON/],
    ['empty.csv', () => strToU8(''), /文件为空/],
  ];

  it.each(corpus)('%s: a clear error naming where, no stack trace, bank unchanged', async (name, make, expected) => {
    const before = snapshot();
    const path = join(tmp, name);
    writeFileSync(path, await make());
    const parsed = await readImport(await pathInputs(path), { defaults: { category: 'N1' } });
    const s = service.store(parsed, { pool: 'exam', mode: 'append', actor: 'test', files: [], startedAt: 0 });
    expect(s.outcome).toBe('refused');
    expect(s.imported).toBe(0);
    const errors = s.errors.filter((e) => e.kind === 'error');
    expect(errors.length).toBeGreaterThan(0);
    expect(errors.map((e) => e.message).join('\n')).toMatch(expected);
    for (const e of errors) {
      expect(e.where).toContain(name);
      expect(e.message).not.toMatch(/\n\s+at /);
    }
    expect(snapshot()).toEqual(before);
  });

  it('refuses a file over the size limit before reading it', async () => {
    const path = join(tmp, 'big.xlsx');
    writeFileSync(path, Buffer.alloc(31 * 1024 * 1024));
    await expect(fileInput(path)).rejects.toThrow(/文件过大：31\.0 MB/);
  });
});
