import { createReadStream } from 'node:fs';
import { open, readFile, readdir, stat } from 'node:fs/promises';
import { basename, extname, join } from 'node:path';
import { categoryCodeSchema } from '../bank-format';
import { checkDrafts } from '../item-rules';
import { readBankJson } from './bank-json';
import { decodeXml, FileRefused } from './decode';
import { readMoodleXml } from './moodle';
import { readQtiItem } from './qti';
import { readQtiPackage, zipEntries } from './qti-package';
import { parseSafeXml } from './safe-xml';
import { bufferSource, readCsv, readXlsx, type ByteSource } from './spreadsheet';
import {
  DEFAULT_IMPORT,
  DEFAULT_LIMITS,
  type ImportDefaults,
  type ImportFormat,
  type ImportLimits,
  type ImportProblem,
  type ImportProgress,
  type ParsedImport,
  type ReadResult,
} from './types';

export * from './types';
export { FileRefused } from './decode';

/** A file to import: from disk (streamed where the format allows) or an uploaded buffer. */
export type ImportInput = {
  name: string;
  size: number;
  head: Uint8Array;
  source: ByteSource;
  bytes(): Promise<Uint8Array>;
};

const mb = (n: number) => `${(n / 1048576).toFixed(1)} MB`;

function tooBig(name: string, size: number, limits: ImportLimits): FileRefused {
  return new FileRefused({
    where: name,
    field: '大小 size',
    message: `文件过大：${mb(size)}，上限 ${mb(limits.fileBytes)} (file too large)。请拆分后分批导入`,
  });
}

export function bufferInput(name: string, bytes: Uint8Array, limits: ImportLimits = DEFAULT_LIMITS): ImportInput {
  if (bytes.length > limits.fileBytes) throw tooBig(name, bytes.length, limits);
  return {
    name,
    size: bytes.length,
    head: bytes.subarray(0, 4096),
    source: bufferSource(bytes),
    bytes: async () => bytes,
  };
}

/** Opens a file on disk; the size is checked before a byte is read. */
export async function fileInput(path: string, limits: ImportLimits = DEFAULT_LIMITS): Promise<ImportInput> {
  const name = basename(path);
  const st = await stat(path).catch(() => null);
  if (!st)
    throw new FileRefused({
      where: path,
      message: '文件不存在 (no such file)',
    });
  if (!st.isFile()) throw new FileRefused({ where: path, message: '不是文件 (not a file)' });
  if (st.size > limits.fileBytes) throw tooBig(name, st.size, limits);
  const fh = await open(path, 'r');
  const head = new Uint8Array(Math.min(4096, st.size));
  try {
    await fh.read(head, 0, head.length, 0);
  } finally {
    await fh.close();
  }
  return {
    name,
    size: st.size,
    head,
    source: {
      size: st.size,
      chunks: () => createReadStream(path, { highWaterMark: 256 * 1024 }),
    },
    bytes: async () => new Uint8Array(await readFile(path)),
  };
}

const IMPORTABLE = new Set(['.xlsx', '.csv', '.tsv', '.txt', '.json', '.xml', '.zip']);

/** A folder imports every importable file in it (sorted by name) as one version. */
export async function pathInputs(path: string, limits: ImportLimits = DEFAULT_LIMITS): Promise<ImportInput[]> {
  const st = await stat(path).catch(() => null);
  if (st?.isDirectory()) {
    const names = (await readdir(path))
      .filter((n) => IMPORTABLE.has(extname(n).toLowerCase()) && !n.startsWith('.'))
      .sort();
    if (names.length === 0)
      throw new FileRefused({
        where: path,
        message: '文件夹中没有可导入的文件 (.xlsx .csv .json .xml .zip)',
      });
    return Promise.all(names.map((n) => fileInput(join(path, n), limits)));
  }
  return [await fileInput(path, limits)];
}

/** Works out the format from the first bytes and the file name. */
export function sniffFormat(input: Pick<ImportInput, 'name' | 'head'>): ImportFormat {
  const { head, name } = input;
  const ext = extname(name).toLowerCase();
  if (head[0] === 0xd0 && head[1] === 0xcf && head[2] === 0x11 && head[3] === 0xe0)
    throw new FileRefused({
      where: name,
      field: '格式 format',
      message: '旧版 Excel .xls 不受支持，请在 Excel 中另存为 .xlsx (legacy .xls)',
    });
  if (head[0] === 0x50 && head[1] === 0x4b) {
    if (ext === '.xlsx') return 'xlsx';
    if (ext === '.zip') return 'qti-package';
    throw new FileRefused({
      where: name,
      field: '格式 format',
      message: 'zip 文件请使用扩展名 .xlsx（Excel）或 .zip（QTI 内容包）',
    });
  }
  const utf16 = (head[0] === 0xff && head[1] === 0xfe) || (head[0] === 0xfe && head[1] === 0xff);
  const text = new TextDecoder(utf16 ? (head[0] === 0xff ? 'utf-16le' : 'utf-16be') : 'utf-8')
    .decode(head)
    .replace(/^\uFEFF/, '')
    .replace(/<\?xml[\s\S]*?\?>/g, '')
    .replace(/<!--[\s\S]*?(-->|$)/g, '')
    .trimStart();
  if (ext === '.json' || text.startsWith('{')) return 'bank-json';
  if (ext === '.xml' || text.startsWith('<')) {
    const root = /^<(?:!DOCTYPE\s+)?([A-Za-z_][\w.:-]*)/.exec(text)?.[1]?.replace(/^.*:/, '');
    if (root === 'quiz') return 'moodle-xml';
    if (root === 'assessmentItem' || root === 'qti-assessment-item') return 'qti-item';
    if (root === 'manifest')
      throw new FileRefused({
        where: name,
        field: '格式 format',
        message: '这是内容包的 imsmanifest.xml：请导入整个 zip 内容包',
      });
    throw new FileRefused({
      where: name,
      field: '格式 format',
      message: `无法识别的 XML（根元素 <${root ?? '?'}>）：支持 Moodle XML <quiz> 与 QTI assessmentItem`,
    });
  }
  if (['.csv', '.tsv', '.txt'].includes(ext)) return 'csv';
  throw new FileRefused({
    where: name,
    field: '格式 format',
    message:
      '无法识别的文件格式：支持 .xlsx、.csv、exam-center JSON、Moodle XML、QTI 2.1/2.2/3.0（.xml 或 .zip 内容包）',
  });
}

async function readOne(
  input: ImportInput,
  defaults: ImportDefaults,
  limits: ImportLimits,
  onProgress?: (p: ImportProgress) => void,
): Promise<ReadResult> {
  const format = sniffFormat(input);
  const opts = { fileName: input.name, defaults, limits, onProgress };
  switch (format) {
    case 'xlsx':
      return readXlsx(input.source, opts);
    case 'csv':
      return readCsv(input.source, opts);
    case 'bank-json':
      return readBankJson(await input.bytes(), input.name);
    case 'qti-package': {
      const bytes = await input.bytes();
      zipEntries(bytes, input.name, opts);
      return readQtiPackage(bytes, opts);
    }
    case 'moodle-xml':
    case 'qti-item': {
      const text = decodeXml(await input.bytes(), input.name);
      const root = parseSafeXml(text, input.name, {
        maxDepth: limits.xmlDepth,
        renameQti3: /<qti-assessment-item\b/.test(text),
      });
      if (format === 'moodle-xml') return readMoodleXml(root, opts);
      const read = readQtiItem(root, input.name, null);
      return {
        format,
        drafts: read.draft ? [read.draft] : [],
        problems: read.problems,
      };
    }
  }
}

/**
 * Reads and checks one or more files into items ready to store. Never touches the database: this is
 * what `bank validate` runs. Problems that stop a file (FileRefused) become error problems of that file.
 */
export async function readImport(
  inputs: ImportInput[],
  options: {
    defaults?: Partial<ImportDefaults>;
    limits?: ImportLimits;
    onProgress?: (p: ImportProgress) => void;
    /** `validate` checks content without a category: a missing one is then only a warning. */
    categoryOptional?: boolean;
  } = {},
): Promise<ParsedImport> {
  const defaults = { ...DEFAULT_IMPORT, ...options.defaults };
  const limits = options.limits ?? DEFAULT_LIMITS;
  const totalBytes = inputs.reduce((t, i) => t + i.size, 0) || 1;
  let before = 0;
  const problems: ImportProblem[] = [];
  const results: ReadResult[] = [];
  for (const input of inputs) {
    const progress = (p: ImportProgress) =>
      options.onProgress?.(p.phase === 'read' ? { phase: 'read', done: before + p.done, total: totalBytes } : p);
    try {
      results.push(await readOne(input, defaults, limits, progress));
    } catch (err) {
      if (err instanceof FileRefused) problems.push(err.problem);
      else throw err;
    }
    before += input.size;
    options.onProgress?.({ phase: 'read', done: before, total: totalBytes });
  }
  const formats = [...new Set(results.map((r) => r.format))];
  const headers = results.flatMap((r) => (r.header ? [r.header] : []));
  let category = defaults.category;
  let categoryName: string | null = null;
  let pool: ParsedImport['pool'] = null;
  const where = inputs.map((i) => i.name).join(', ');
  for (const h of headers) {
    if (category && h.category !== category)
      problems.push({
        kind: 'error',
        where,
        field: 'category',
        message: `文件的作业项目是 ${h.category}，但指定了 ${category}`,
      });
    if (pool && h.pool !== pool)
      problems.push({
        kind: 'error',
        where,
        field: 'pool',
        message: `文件分属 ${pool} 与 ${h.pool} 两个题库池`,
      });
    category ??= h.category;
    categoryName ??= h.categoryName;
    pool ??= h.pool;
  }
  if (!category && results.length)
    problems.push({
      kind: options.categoryOptional ? 'warning' : 'error',
      where,
      field: 'category',
      message: '此格式不含作业项目代码：导入时请用 --category 指定（如 N1、G1、R1）',
    });
  else if (category && !categoryCodeSchema.safeParse(category).success)
    problems.push({
      kind: 'error',
      where,
      field: 'category',
      message: `作业项目代码 "${category}" 无效（应如 N1、G1、R1、Q1、T、A）`,
    });
  const drafts = results.flatMap((r) => r.drafts);
  problems.push(...results.flatMap((r) => r.problems));
  const checked = checkDrafts(drafts, category ?? '?', defaults, {
    strictIds: formats.every((f) => f === 'bank-json'),
    onProgress: (done, total) => options.onProgress?.({ phase: 'check', done, total }),
  });
  problems.push(...checked.problems);
  return {
    formats,
    fileNames: inputs.map((i) => i.name),
    category: category ?? '?',
    categoryName,
    pool,
    items: checked.items,
    problems,
    seen: drafts.length + problems.filter((p) => p.kind === 'unsupported').length,
  };
}
