import { Readable } from 'node:stream';
import ExcelJS from 'exceljs';

type ReaderInternals = {
  _parseSharedStrings(entry: AsyncIterable<Buffer | string>): AsyncGenerator<unknown>;
  _parseWorksheet(iterator: AsyncIterable<Buffer | string>, sheetNo: string): Generator<unknown>;
};

/** UTF-8 text decoded across chunk boundaries (a character may be split between two chunks). */
async function* decodeAcross(source: AsyncIterable<Buffer | string>): AsyncGenerator<string> {
  const decoder = new TextDecoder('utf-8');
  for await (const chunk of source) yield typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true });
  const rest = decoder.decode();
  if (rest) yield rest;
}

/**
 * exceljs' streaming reader (4.4.0) decodes every decompressed chunk to text on its own, so a Chinese
 * character split between two chunks turns into U+FFFD: a stem would silently change, and so would its
 * hash. This subclass hands exceljs text decoded across chunk boundaries instead (exceljs passes strings
 * through untouched), keeping the streaming read. The import round-trip test guards it.
 */
export class Utf8SafeWorkbookReader extends ExcelJS.stream.xlsx.WorkbookReader {}

const base = ExcelJS.stream.xlsx.WorkbookReader.prototype as unknown as ReaderInternals;
const safe = Utf8SafeWorkbookReader.prototype as unknown as ReaderInternals;
safe._parseSharedStrings = function (this: ReaderInternals, entry) {
  return base._parseSharedStrings.call(this, Readable.from(decodeAcross(entry)));
};
safe._parseWorksheet = function (this: ReaderInternals, iterator, sheetNo) {
  return base._parseWorksheet.call(this, decodeAcross(iterator), sheetNo);
};
