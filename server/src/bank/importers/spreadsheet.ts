import { once } from 'node:events';
import { Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import { parse as parseCsv } from 'csv-parse';
import { decodeChunks, FileRefused } from './decode';
import { readHeader, rowToDraft, type Columns } from './template';
import { Utf8SafeWorkbookReader } from './xlsx-reader';
import type { ImportOptions, ImportProblem, ItemDraft, ReadResult } from './types';

/** A file read chunk by chunk (a file on disk or an uploaded buffer), with its size for progress. */
export type ByteSource = { size: number; chunks(): AsyncIterable<Uint8Array> };

export function bufferSource(bytes: Uint8Array, chunkSize = 256 * 1024): ByteSource {
  return {
    size: bytes.length,
    async *chunks() {
      for (let i = 0; i < bytes.length; i += chunkSize) yield bytes.subarray(i, Math.min(bytes.length, i + chunkSize));
    },
  };
}

/** Counts bytes as they are consumed, to report reading progress. */
async function* counted(source: ByteSource, opts: ImportOptions): AsyncGenerator<Uint8Array> {
  let done = 0;
  for await (const chunk of source.chunks()) {
    done += chunk.length;
    opts.onProgress?.({ phase: 'read', done, total: source.size });
    yield chunk;
  }
}

/** Collects rows of the template, whatever the sheet or CSV they come from. */
class TemplateCollector {
  readonly drafts: ItemDraft[] = [];
  readonly problems: ImportProblem[] = [];
  private rows = 0;
  constructor(private readonly opts: ImportOptions) {}

  add(cols: Columns, cells: string[], where: string): void {
    const r = rowToDraft(cols, cells, where);
    if (r === null) return;
    if (++this.rows > this.opts.limits.items)
      throw new FileRefused({
        where,
        message: `超过 ${this.opts.limits.items} 题的上限 (too many rows)`,
      });
    if ('kind' in r) this.problems.push(r);
    else this.drafts.push(r);
  }

  ignoredColumns(cols: Columns, where: string): void {
    if (cols.ignored.length)
      this.problems.push({
        kind: 'warning',
        where,
        field: '表头 header',
        message: `未识别的列被忽略（分值等由组卷规则决定）: ${cols.ignored.join('、')}`,
      });
  }
}

function cellText(v: ExcelJS.CellValue): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return String(v);
  if (typeof v === 'boolean') return v ? 'TRUE' : 'FALSE';
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  if ('richText' in v) return v.richText.map((t) => t.text).join('');
  if ('formula' in v || 'sharedFormula' in v)
    return v.result === undefined ? '' : cellText(v.result as ExcelJS.CellValue);
  if ('text' in v) return String(v.text);
  if ('error' in v) return '';
  return '';
}

/** Excel .xlsx through exceljs' streaming reader: rows are handled as they are unzipped. */
export async function readXlsx(source: ByteSource, opts: ImportOptions): Promise<ReadResult> {
  const collector = new TemplateCollector(opts);
  const reader = new Utf8SafeWorkbookReader(Readable.from(counted(source, opts)), {
    sharedStrings: 'cache',
    hyperlinks: 'ignore',
    styles: 'ignore',
    worksheets: 'emit',
    entries: 'ignore',
  });
  const sheetsWithoutHeader: string[] = [];
  let sheetsWithHeader = 0;
  try {
    for await (const sheet of reader) {
      const name = (sheet as unknown as { name?: string }).name ?? '?';
      let cols: Columns | null = null;
      let scanned = 0;
      for await (const row of sheet) {
        const values = (row.values as ExcelJS.CellValue[]).slice(1).map(cellText);
        const where = `${opts.fileName} 工作表「${name}」第 ${row.number} 行`;
        if (!cols) {
          // The header may sit below a title row or two.
          if (++scanned > 10) continue;
          cols = readHeader(values, name);
          if (cols) collector.ignoredColumns(cols, where);
          continue;
        }
        collector.add(cols, values, where);
      }
      if (cols) sheetsWithHeader++;
      else sheetsWithoutHeader.push(name);
    }
  } catch (err) {
    if (err instanceof FileRefused) throw err;
    throw new FileRefused({
      where: opts.fileName,
      field: 'xlsx',
      message: `无法读取 Excel 文件，文件可能已损坏或不是 .xlsx (cannot read the workbook): ${String((err as Error).message ?? err).slice(0, 160)}`,
    });
  }
  if (sheetsWithHeader === 0)
    throw new FileRefused({
      where: opts.fileName,
      field: '表头 header',
      message: '没有找到含「题型、题干、答案」表头的工作表 (no sheet with the template header)',
    });
  for (const name of sheetsWithoutHeader)
    collector.problems.push({
      kind: 'warning',
      where: `${opts.fileName} 工作表「${name}」`,
      message: '此工作表没有模板表头，已忽略',
    });
  return {
    format: 'xlsx',
    drafts: collector.drafts,
    problems: collector.problems,
  };
}

/** CSV (or tab-separated text) of the same template, decoded strictly (see decode.ts). */
export async function readCsv(source: ByteSource, opts: ImportOptions): Promise<ReadResult> {
  const collector = new TemplateCollector(opts);
  const texts = decodeChunks(counted(source, opts), opts.fileName, opts.defaults.encoding);
  const first = await texts.next();
  if (first.done)
    throw new FileRefused({
      where: opts.fileName,
      message: '文件为空 (empty file)',
    });
  const firstLine = first.value.split('\n', 1)[0] ?? '';
  const delimiter = (firstLine.match(/\t/g)?.length ?? 0) > (firstLine.match(/,/g)?.length ?? 0) ? '\t' : ',';
  const parser = parseCsv({
    delimiter,
    bom: true,
    relax_column_count: true,
    relax_quotes: true,
    skip_empty_lines: true,
    info: true,
    max_record_size: 64 * 1024,
  });
  const feed = (async () => {
    try {
      if (!parser.write(first.value)) await once(parser, 'drain');
      for await (const t of texts) if (!parser.write(t)) await once(parser, 'drain');
      parser.end();
    } catch (err) {
      parser.destroy(err as Error);
    }
  })();
  let cols: Columns | null = null;
  let scanned = 0;
  try {
    for await (const rec of parser as AsyncIterable<{
      record: string[];
      info: { lines: number };
    }>) {
      const where = `${opts.fileName} 第 ${rec.info.lines} 行`;
      if (!cols) {
        if (++scanned > 10) break;
        cols = readHeader(rec.record, null);
        if (cols) collector.ignoredColumns(cols, where);
        continue;
      }
      collector.add(cols, rec.record, where);
    }
  } catch (err) {
    if (err instanceof FileRefused) throw err;
    const e = err as { message?: string; lines?: number };
    throw new FileRefused({
      where: `${opts.fileName}${e.lines ? ` 第 ${e.lines} 行` : ''}`,
      field: 'CSV',
      message: `CSV 格式错误 (malformed CSV): ${String(e.message ?? err).slice(0, 160)}`,
    });
  }
  if (!cols) {
    parser.destroy();
    throw new FileRefused({
      where: opts.fileName,
      field: '表头 header',
      message: '前 10 行中没有「题型、题干、答案」表头 (no template header in the first 10 rows)',
    });
  }
  await feed;
  return {
    format: 'csv',
    drafts: collector.drafts,
    problems: collector.problems,
  };
}
