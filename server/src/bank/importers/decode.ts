import { AppError } from '../../shared/errors';
import type { ImportProblem } from './types';

/** A problem that stops reading a whole file (wrong encoding, too big, unsafe XML …). */
export class FileRefused extends AppError {
  constructor(problem: Omit<ImportProblem, 'kind'>) {
    super('bank-file-invalid', `${problem.where}${problem.field ? ` ${problem.field}` : ''}: ${problem.message}`, 400, {
      problems: [{ kind: 'error', ...problem }],
    });
  }
  get problem(): ImportProblem {
    return (this.details as { problems: ImportProblem[] }).problems[0] as ImportProblem;
  }
}

const CJK = /[\u4e00-\u9fff]/;

/** Says what the bytes probably are, so the message can tell the user how to fix the file. */
function encodingHint(bytes: Uint8Array): string {
  const sample = bytes.subarray(0, 64 * 1024);
  try {
    const text = new TextDecoder('gb18030', { fatal: true }).decode(sample);
    if (CJK.test(text))
      return '看起来是 GBK/GB18030 编码（Excel“CSV（逗号分隔）”在中文 Windows 上的默认编码）。请另存为“CSV UTF-8（逗号分隔）”，或用 --encoding gb18030 明确按 GB18030 读取';
  } catch {
    // not GB18030 either
  }
  return '请将文件另存为 UTF-8 编码';
}

const lineOf = (text: string) => text.split('\n').length;

/** Decodes a CSV/text stream chunk by chunk; refuses bytes that are not valid in the chosen encoding. */
export async function* decodeChunks(
  source: AsyncIterable<Uint8Array>,
  fileName: string,
  encoding: 'utf-8' | 'gb18030',
): AsyncGenerator<string> {
  let decoder: TextDecoder | null = null;
  let lines = 1;
  for await (const chunk of source) {
    if (!decoder) {
      // A byte-order mark is unambiguous, so it wins over the default (Excel "Unicode text" is UTF-16LE).
      let enc: string = encoding;
      if (chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf) enc = 'utf-8';
      else if (chunk[0] === 0xff && chunk[1] === 0xfe) enc = 'utf-16le';
      else if (chunk[0] === 0xfe && chunk[1] === 0xff) enc = 'utf-16be';
      decoder = new TextDecoder(enc, { fatal: true, ignoreBOM: false });
    }
    let text: string;
    try {
      text = decoder.decode(chunk, { stream: true });
    } catch {
      throw new FileRefused({
        where: `${fileName} 第 ${lines} 行附近`,
        field: '编码 encoding',
        message: `文件不是 ${encoding === 'utf-8' ? 'UTF-8' : 'GB18030'} 编码 (not valid ${encoding}). ${encodingHint(chunk)}`,
      });
    }
    lines += lineOf(text) - 1;
    yield text;
  }
  if (decoder) {
    try {
      const rest = decoder.decode();
      if (rest) yield rest;
    } catch {
      throw new FileRefused({
        where: `${fileName} 末尾`,
        field: '编码 encoding',
        message: '文件末尾的字节不完整 (truncated character)',
      });
    }
  }
}

/**
 * Decodes a whole XML document: a byte-order mark or the declared encoding (GBK/GB2312/GB18030 decoded
 * deliberately as GB18030, which contains both), otherwise UTF-8, the XML default. Invalid bytes refuse
 * the file instead of turning into replacement characters inside a stem.
 */
export function decodeXml(bytes: Uint8Array, fileName: string): string {
  let enc = 'utf-8';
  if (bytes[0] === 0xff && bytes[1] === 0xfe) enc = 'utf-16le';
  else if (bytes[0] === 0xfe && bytes[1] === 0xff) enc = 'utf-16be';
  else {
    const head = new TextDecoder('latin1').decode(bytes.subarray(0, 200));
    const declared = /^\s*(?:\uFEFF|\u00EF\u00BB\u00BF)?<\?xml[^>]*encoding\s*=\s*["']([A-Za-z0-9_-]+)["']/.exec(
      head,
    )?.[1];
    if (declared) {
      const d = declared.toLowerCase();
      if (['gbk', 'gb2312', 'gb18030', 'cp936'].includes(d)) enc = 'gb18030';
      else if (d !== 'utf-8' && d !== 'utf8')
        throw new FileRefused({
          where: `${fileName} 第 1 行`,
          field: 'encoding',
          message: `不支持的 XML 编码 "${declared}"，请使用 UTF-8`,
        });
    }
  }
  try {
    return new TextDecoder(enc, { fatal: true }).decode(bytes);
  } catch {
    const valid = validPrefixLength(bytes);
    const line = lineOf(new TextDecoder('utf-8').decode(bytes.subarray(0, valid)));
    throw new FileRefused({
      where: `${fileName} 第 ${line} 行`,
      field: '编码 encoding',
      message: `文件声明为 ${enc.toUpperCase()}，但含无效字节 (invalid ${enc} bytes). ${encodingHint(bytes)}`,
    });
  }
}

/** Length of the longest prefix that is valid UTF-8 (for pointing at the line with the bad byte). */
function validPrefixLength(bytes: Uint8Array): number {
  let lo = 0;
  let hi = bytes.length;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    try {
      new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(0, mid), {
        stream: true,
      });
      lo = mid;
    } catch {
      hi = mid - 1;
    }
  }
  return lo;
}

/** UTF-8 text for JSON files (JSON is UTF-8 by RFC 8259). */
export function decodeUtf8(bytes: Uint8Array, fileName: string): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    const line = lineOf(new TextDecoder('utf-8').decode(bytes.subarray(0, validPrefixLength(bytes))));
    throw new FileRefused({
      where: `${fileName} 第 ${line} 行`,
      field: '编码 encoding',
      message: `文件不是 UTF-8 编码 (not valid UTF-8). ${encodingHint(bytes)}`,
    });
  }
}
