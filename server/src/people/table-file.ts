import ExcelJS from 'exceljs';
import { parse as parseCsv } from 'csv-parse/sync';
import type { ImportProblem } from '../protocol';
import { AppError } from '../shared/errors';

/** One column of an import template: its key and the header texts (Chinese and English) that name it. */
export type ColumnSpec = { key: string; headers: string[]; required: boolean };

/** A data row with its row number as the user sees it in Excel (the header is row 1). */
export type TableRow = { row: number; cells: Record<string, string>; raw: Record<string, unknown> };

export type TableFormat = 'csv' | 'xlsx';
const MAX_ROWS = 20_000;

const norm = (h: string) => h.replace(/[\s*＊:：()（）]/g, '').toLowerCase();

/** CSV from Chinese Excel is often GB18030 ("ANSI"): try UTF-8 strictly first, then GB18030. */
function decode(bytes: Buffer): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return new TextDecoder('gb18030').decode(bytes);
  }
}

function cellText(v: ExcelJS.CellValue): { text: string; raw: unknown } {
  if (v === null || v === undefined) return { text: '', raw: v };
  if (typeof v === 'string') return { text: v, raw: v };
  if (typeof v === 'number' || typeof v === 'boolean') return { text: String(v), raw: v };
  // exceljs reads date cells as UTC midnight of the shown date.
  if (v instanceof Date) return { text: v.toISOString().slice(0, 10), raw: v };
  if ('richText' in v) return { text: v.richText.map((t) => t.text).join(''), raw: v };
  if ('formula' in v || 'sharedFormula' in v)
    return v.result === undefined ? { text: '', raw: v } : cellText(v.result as ExcelJS.CellValue);
  if ('text' in v) return { text: String(v.text), raw: v };
  return { text: '', raw: v };
}

/** Reads the first sheet (or the CSV) into rows keyed by column; names each missing header. */
export async function readTable(
  bytes: Buffer,
  format: TableFormat,
  columns: ColumnSpec[],
): Promise<{ rows: TableRow[]; problems: ImportProblem[] }> {
  let grid: { row: number; values: { text: string; raw: unknown }[] }[];
  if (format === 'csv') {
    let records: string[][];
    try {
      records = parseCsv(decode(bytes), { bom: true, relax_column_count: true, skip_empty_lines: false }) as string[][];
    } catch (err) {
      throw new AppError(
        'import-unreadable',
        `CSV 无法解析 (cannot parse): ${(err as Error).message.slice(0, 200)}`,
        400,
      );
    }
    grid = records.map((values, i) => ({ row: i + 1, values: values.map((t) => ({ text: t, raw: t })) }));
  } else {
    const workbook = new ExcelJS.Workbook();
    try {
      await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
    } catch (err) {
      throw new AppError(
        'import-unreadable',
        `Excel 文件无法读取 (not a readable .xlsx): ${(err as Error).message.slice(0, 200)}`,
        400,
      );
    }
    const sheet = workbook.worksheets[0];
    if (!sheet) throw new AppError('import-unreadable', 'Excel 文件没有工作表 (no worksheet)', 400);
    grid = [];
    sheet.eachRow({ includeEmpty: false }, (row, rowNumber) => {
      grid.push({ row: rowNumber, values: (row.values as ExcelJS.CellValue[]).slice(1).map(cellText) });
    });
  }
  const header = grid[0];
  if (!header) throw new AppError('import-empty', '文件为空 (empty file)', 400);
  if (grid.length - 1 > MAX_ROWS) throw new AppError('import-too-large', `最多 ${MAX_ROWS} 行 (too many rows)`, 400);
  const problems: ImportProblem[] = [];
  const index = new Map<string, number>();
  for (const col of columns) {
    const names = col.headers.map(norm);
    const at = header.values.findIndex((v) => names.includes(norm(v.text)));
    if (at >= 0) index.set(col.key, at);
    else if (col.required)
      problems.push({
        row: header.row,
        column: col.headers[0] as string,
        message: `缺少列「${col.headers[0]}」(missing column)`,
      });
  }
  const rows: TableRow[] = [];
  for (const line of grid.slice(1)) {
    if (line.values.every((v) => v.text.trim() === '')) continue;
    const cells: Record<string, string> = {};
    const raw: Record<string, unknown> = {};
    for (const [key, at] of index) {
      cells[key] = (line.values[at]?.text ?? '').trim();
      raw[key] = line.values[at]?.raw;
    }
    rows.push({ row: line.row, cells, raw });
  }
  return { rows, problems };
}

/** Template columns of each import (the staff UI offers them as a downloadable CSV header). */
export const CANDIDATE_COLUMNS: ColumnSpec[] = [
  { key: 'name', headers: ['姓名', 'name'], required: true },
  { key: 'idNumber', headers: ['身份证号', '身份证号码', '公民身份号码', 'id_number', 'idnumber'], required: true },
  { key: 'employer', headers: ['工作单位', '单位', 'employer'], required: false },
  { key: 'trainingOrg', headers: ['培训机构', 'training_org', 'trainingorg'], required: false },
  { key: 'courseFrom', headers: ['培训开始日期', '培训开始', 'course_from'], required: false },
  { key: 'courseTo', headers: ['培训结束日期', '培训结束', 'course_to'], required: false },
  {
    key: 'appliedCategory',
    headers: ['申请项目', '作业项目', '项目代号', 'applied_category', 'category'],
    required: false,
  },
];

export const STAFF_COLUMNS: ColumnSpec[] = [
  { key: 'username', headers: ['用户名', 'username'], required: true },
  { key: 'name', headers: ['姓名', 'name'], required: true },
  { key: 'idNumber', headers: ['身份证号', '身份证号码', 'id_number', 'idnumber'], required: false },
  { key: 'employer', headers: ['工作单位', '单位', 'employer'], required: false },
  { key: 'roles', headers: ['角色', 'roles'], required: true },
  { key: 'certNo', headers: ['考评人员证书编号', '考评员证号', '证书编号', 'cert_no'], required: false },
  { key: 'validFrom', headers: ['证书有效期起', '有效期起', 'cert_valid_from', 'valid_from'], required: false },
  { key: 'validTo', headers: ['证书有效期止', '有效期止', 'cert_valid_to', 'valid_to'], required: false },
];

export const ROSTER_COLUMNS: ColumnSpec[] = [
  { key: 'idNumber', headers: ['身份证号', '身份证号码', 'id_number', 'idnumber'], required: true },
  { key: 'seatNo', headers: ['座位号', '座号', 'seat_no', 'seat'], required: false },
  { key: 'admissionNo', headers: ['准考证号', 'admission_no'], required: false },
];
