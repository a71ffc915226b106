import ExcelJS from 'exceljs';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { BankImportService, fileDigest } from '../../server/src/bank/bank-import.service';
import { fileInput, readImport } from '../../server/src/bank/importers';
import { migrate } from '../../server/src/db/migrate';
import { openDatabase } from '../../server/src/db/open';
import { ManualClock } from '../../server/src/shared/clock';
import type { Figure } from './figure';

const KPS = ['法律法规', '基础知识', '安全操作', '维护保养', '应急处置'];
const PARTS = ['叉车', '门架', '货叉', '制动系统', '转向桥', '液压系统', '蓄电池', '轮胎', '护顶架', '挡货架'];
const ACTIONS = ['起步前', '满载下坡时', '转弯时', '停车后', '检修前', '交接班时', '装卸货物时', '夜间作业时'];

/** A 5,000-row workbook of the common template, with realistic Chinese stems (every row distinct). */
async function writeWorkbook(path: string, rows: number): Promise<void> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('题库');
  ws.addRow(['题号', '题型', '题干', '选项A', '选项B', '选项C', '选项D', '选项E', '答案', '知识点', '难度', '解析']);
  for (let i = 0; i < rows; i++) {
    const part = PARTS[i % PARTS.length]!;
    const action = ACTIONS[Math.floor(i / PARTS.length) % ACTIONS.length]!;
    const stem = `第${i + 1}题：场（厂）内专用机动车辆${action}，司机对${part}应当进行的检查和操作，下列说法中符合安全技术规范要求的是（ ）。`;
    const kind = i % 10 < 4 ? '判断' : i % 10 < 8 ? '单选' : '多选';
    const options =
      kind === '判断'
        ? ['', '', '', '', '']
        : [
            `检查${part}是否完好`,
            `发现${part}异常时继续作业`,
            `按规定填写${part}点检记录`,
            `报告并停用${part}`,
            kind === '多选' ? '以上都不对' : '',
          ];
    const answer = kind === '判断' ? (i % 2 ? '对' : '×') : kind === '单选' ? 'ABCD'[i % 4]! : 'ACD';
    ws.addRow([
      `B${i + 1}`,
      kind,
      stem,
      ...options,
      answer,
      KPS[i % KPS.length],
      (i % 5) + 1,
      `依据 TSG N0001 相关规定，${part}${action}应先检查后作业。`,
    ]);
  }
  await wb.xlsx.writeFile(path);
}

/**
 * bank-import-5000-rows-ms: a 5,000-row .xlsx of the Excel template (generated with exceljs), imported into a
 * fresh on-disk database: streaming read, checks and hashing, pool-clash check, version and events in one
 * transaction, import log. Target < 5 s.
 */
export async function run(): Promise<Figure[]> {
  const dir = mkdtempSync(join(tmpdir(), 'exam-center-bench-bank-'));
  try {
    const file = join(dir, 'bank-5000.xlsx');
    await writeWorkbook(file, 5000);
    const db = openDatabase(join(dir, 'bench.db'));
    migrate(db);
    const service = new BankImportService(db, new ManualClock());
    const t0 = performance.now();
    const input = await fileInput(file);
    const parsed = await readImport([input], { defaults: { category: 'N1' } });
    const t1 = performance.now();
    const summary = service.store(parsed, {
      pool: 'exam',
      mode: 'append',
      actor: 'bench',
      files: [await fileDigest(input)],
      startedAt: 0,
    });
    const t2 = performance.now();
    db.close();
    if (summary.outcome !== 'imported' || summary.imported !== 5000)
      throw new Error(
        `bench: expected 5000 imported, got ${summary.outcome} ${summary.imported} ${JSON.stringify(summary.errors.slice(0, 3))}`,
      );
    return [
      {
        name: 'bank-import-5000-rows-ms',
        value: Math.round(t2 - t0),
        unit: 'ms',
        target: 5000,
        extra: {
          rows: 5000,
          format: 'xlsx',
          readAndCheckMs: Math.round(t1 - t0),
          storeMs: Math.round(t2 - t1),
          fileBytes: statSync(file).size,
        },
      },
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
