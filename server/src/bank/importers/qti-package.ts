import { unzipSync, type UnzipFileInfo } from 'fflate';
import { decodeXml, FileRefused } from './decode';
import { readQtiItem } from './qti';
import { childNodes, descendants, parseSafeXml } from './safe-xml';
import type { ImportOptions, ImportProblem, ItemDraft, ReadResult } from './types';

const MAX_ENTRIES = 20_000;

/** Lists a zip's entries without decompressing any, refusing zip bombs by their declared sizes. */
export function zipEntries(bytes: Uint8Array, fileName: string, opts: ImportOptions): UnzipFileInfo[] {
  const entries: UnzipFileInfo[] = [];
  try {
    unzipSync(bytes, {
      filter: (f) => {
        entries.push(f);
        return false;
      },
    });
  } catch (err) {
    throw new FileRefused({
      where: fileName,
      field: 'zip',
      message: `无法读取 zip 文件 (cannot read the zip): ${String((err as Error).message)}`,
    });
  }
  if (entries.length > MAX_ENTRIES)
    throw new FileRefused({
      where: fileName,
      field: 'zip',
      message: `zip 内文件过多（${entries.length} > ${MAX_ENTRIES}）`,
    });
  const total = entries.reduce((t, e) => t + e.originalSize, 0);
  if (total > opts.limits.unzippedBytes)
    throw new FileRefused({
      where: fileName,
      field: 'zip',
      message: `zip 解压后 ${(total / 1048576).toFixed(0)} MB，超过上限 ${(opts.limits.unzippedBytes / 1048576).toFixed(0)} MB (zip bomb?)`,
    });
  return entries;
}

function unzipSome(
  bytes: Uint8Array,
  names: Set<string>,
  fileName: string,
  opts: ImportOptions,
): Record<string, Uint8Array> {
  try {
    return unzipSync(bytes, {
      filter: (f) => names.has(f.name) && f.originalSize <= opts.limits.fileBytes,
    });
  } catch (err) {
    throw new FileRefused({
      where: fileName,
      field: 'zip',
      message: `zip 解压失败 (cannot decompress): ${String((err as Error).message)}`,
    });
  }
}

const ITEM_TYPE = /^imsqti_item_xmlv(2p[0-2]|3p0)$/;

/** Resolves `href` relative to the manifest's folder (packages may nest the manifest one level). */
function resolveHref(base: string, href: string): string {
  const parts = (base ? `${base}/${href}` : href).split('/');
  const out: string[] = [];
  for (const p of parts) {
    if (p === '..') out.pop();
    else if (p !== '.' && p !== '') out.push(p);
  }
  return out.map((p) => decodeURIComponent(p)).join('/');
}

/**
 * An IMS content package (QTI 2.1/2.2/3.0): imsmanifest.xml lists the item resources; each item is read
 * on its own, so one item's unsupported interaction or broken XML is reported for that item alone.
 */
export function readQtiPackage(bytes: Uint8Array, opts: ImportOptions): ReadResult {
  const fileName = opts.fileName;
  const entries = zipEntries(bytes, fileName, opts);
  const manifestEntry = entries
    .map((e) => e.name)
    .filter((n) => n === 'imsmanifest.xml' || n.endsWith('/imsmanifest.xml'))
    .sort((a, b) => a.length - b.length)[0];
  if (!manifestEntry)
    throw new FileRefused({
      where: fileName,
      field: 'imsmanifest.xml',
      message: 'zip 中没有 imsmanifest.xml，不是 QTI 内容包 (not a QTI content package)',
    });
  const base = manifestEntry.includes('/') ? manifestEntry.slice(0, manifestEntry.lastIndexOf('/')) : '';
  const manifestBytes = unzipSome(bytes, new Set([manifestEntry]), fileName, opts)[manifestEntry];
  if (!manifestBytes)
    throw new FileRefused({
      where: `${fileName} › ${manifestEntry}`,
      message: 'imsmanifest.xml 过大或无法解压',
    });
  const manifest = parseSafeXml(
    decodeXml(manifestBytes, `${fileName} › ${manifestEntry}`),
    `${fileName} › ${manifestEntry}`,
    {
      maxDepth: opts.limits.xmlDepth,
    },
  );
  const resources = descendants(manifest).filter((n) => n.name === 'resource');
  const itemResources = resources.filter((r) => ITEM_TYPE.test(r.attrs.type ?? ''));
  const problems: ImportProblem[] = [];
  for (const r of resources) {
    const type = r.attrs.type ?? '';
    if (/^imsqti_item/.test(type) && !ITEM_TYPE.test(type))
      problems.push({
        kind: 'unsupported',
        where: `${fileName} › ${r.attrs.href ?? r.attrs.identifier ?? '?'}`,
        field: 'type',
        message: `不支持的资源类型 ${type}（只支持 QTI 2.x/3.0 题目）`,
      });
  }
  if (itemResources.length === 0 && problems.length === 0)
    throw new FileRefused({
      where: `${fileName} › ${manifestEntry}`,
      field: 'resources',
      message: 'imsmanifest.xml 中没有 QTI 题目资源 (no imsqti_item resources)',
    });
  if (itemResources.length > opts.limits.items)
    throw new FileRefused({
      where: fileName,
      message: `超过 ${opts.limits.items} 题的上限 (too many items)`,
    });

  const hrefs = itemResources.map((r) => {
    const href = r.attrs.href ?? childNodes(r, 'file')[0]?.attrs.href ?? '';
    return resolveHref(base, href);
  });
  const files = unzipSome(bytes, new Set(hrefs), fileName, opts);
  const drafts: ItemDraft[] = [];
  hrefs.forEach((path, i) => {
    opts.onProgress?.({ phase: 'parse', done: i, total: hrefs.length });
    const where = `${fileName} › ${path}`;
    const data = files[path];
    if (!data) {
      problems.push({
        kind: 'error',
        where,
        field: 'href',
        message: `清单引用的文件 ${path} 不在包内或过大 (missing from the package)`,
      });
      return;
    }
    try {
      const text = decodeXml(data, where);
      const root = parseSafeXml(text, where, {
        maxDepth: opts.limits.xmlDepth,
        renameQti3: /<qti-assessment-item\b/.test(text),
      });
      const read = readQtiItem(root, where, null);
      problems.push(...read.problems);
      if (read.draft) drafts.push(read.draft);
    } catch (err) {
      if (err instanceof FileRefused) problems.push(err.problem);
      else throw err;
    }
  });
  return { format: 'qti-package', drafts, problems };
}
