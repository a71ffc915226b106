import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { FileRefused } from './decode';

/** A plain element tree: enough for Moodle and QTI, with the line each element starts on. */
export type XNode = {
  name: string;
  attrs: Record<string, string>;
  children: XChild[];
  line: number;
};
export type XChild = XNode | string;

const XML_ENTITIES: Record<string, string> = {
  lt: '<',
  gt: '>',
  amp: '&',
  quot: '"',
  apos: "'",
};

/** The five predefined XML entities and character references; nothing else (no DTD, no expansion). */
export function decodeXmlEntities(s: string): string {
  return s.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|lt|gt|amp|quot|apos);/g, (_m, e: string) => {
    if (e[0] === '#') {
      const cp = e[1] === 'x' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
      return cp > 0 && cp <= 0x10ffff ? String.fromCodePoint(cp) : '';
    }
    return XML_ENTITIES[e] ?? '';
  });
}

type Ordered = Record<string, unknown> & { ':@'?: Record<string, string> };

/**
 * Parses untrusted XML safely. DOCTYPE and ENTITY declarations are refused before parsing (no external
 * entities, no billion-laughs expansion), entity processing is off in the parser, the size is bounded
 * by the caller and the nesting depth here. Well-formedness errors name the line and column.
 */
export function parseSafeXml(text: string, fileName: string, opts: { maxDepth: number; renameQti3?: boolean }): XNode {
  const withoutCdata = text.replace(/<!\[CDATA\[[\s\S]*?\]\]>/g, '').replace(/<!--[\s\S]*?-->/g, '');
  const doctype = /<!(DOCTYPE|ENTITY)/i.exec(withoutCdata);
  if (doctype) {
    throw new FileRefused({
      where: `${fileName} 第 ${lineAt(text, text.search(/<!(DOCTYPE|ENTITY)/i))} 行`,
      field: doctype[1]!.toUpperCase(),
      message:
        'XML 含 DOCTYPE/ENTITY 声明，出于安全原因拒绝（防止外部实体 XXE 与实体膨胀 billion laughs）。' +
        'XML with a DOCTYPE or ENTITY declaration is refused for safety; remove the declaration.',
    });
  }
  const valid = XMLValidator.validate(text, { allowBooleanAttributes: true });
  if (valid !== true) {
    throw new FileRefused({
      where: `${fileName} 第 ${valid.err.line} 行第 ${valid.err.col} 列`,
      field: 'XML',
      message: `XML 格式错误 (malformed XML): ${valid.err.msg}`,
    });
  }
  const parser = new XMLParser({
    preserveOrder: true,
    ignoreAttributes: false,
    attributeNamePrefix: '',
    processEntities: false,
    htmlEntities: false,
    trimValues: false,
    parseTagValue: false,
    parseAttributeValue: false,
    allowBooleanAttributes: true,
    cdataPropName: '#cdata',
    commentPropName: false,
    ignoreDeclaration: true,
    ignorePiTags: true,
    captureMetaData: true,
    maxNestedTags: opts.maxDepth,
  });
  let ordered: Ordered[];
  try {
    ordered = parser.parse(text) as Ordered[];
  } catch (err) {
    const msg = err instanceof Error ? err.message : String(err);
    const depth = /nested/i.test(msg);
    throw new FileRefused({
      where: fileName,
      field: 'XML',
      message: depth
        ? `XML 嵌套超过 ${opts.maxDepth} 层，拒绝 (nesting deeper than ${opts.maxDepth})`
        : `XML 无法解析 (cannot parse XML): ${msg.slice(0, 200)}`,
    });
  }
  // Typed as the Symbol wrapper object by fast-xml-parser; it is a plain symbol at run time.
  const meta = XMLParser.getMetaDataSymbol() as unknown as symbol;
  const lineStarts = lineIndex(text);
  const convert = (o: Ordered): XChild | null => {
    for (const key of Object.keys(o)) {
      if (key === ':@') continue;
      const value = o[key];
      if (key === '#text') return decodeXmlEntities(String(value));
      if (key === '#cdata') return (value as Ordered[]).map((c) => String(c['#text'] ?? '')).join('');
      const attrs: Record<string, string> = {};
      for (const [k, v] of Object.entries(o[':@'] ?? {}))
        attrs[rename(k, opts.renameQti3)] = decodeXmlEntities(String(v));
      const start = (o as unknown as Record<symbol, { startIndex?: number } | undefined>)[meta]?.startIndex ?? 0;
      return {
        name: rename(localName(key), opts.renameQti3),
        attrs,
        children: (value as Ordered[]).map(convert).filter((c): c is XChild => c !== null),
        line: lineFromIndex(lineStarts, start),
      };
    }
    return null;
  };
  const root = ordered.map(convert).find((c): c is XNode => typeof c !== 'string' && c !== null);
  if (!root)
    throw new FileRefused({
      where: fileName,
      field: 'XML',
      message: 'XML 没有根元素 (no root element)',
    });
  return root;
}

const localName = (name: string) => name.slice(name.indexOf(':') + 1);

/** QTI 3.0 writes `qti-simple-choice` / `response-identifier`; QTI 2.x `simpleChoice` / `responseIdentifier`. */
function rename(name: string, qti3?: boolean): string {
  if (!qti3) return name;
  const bare = name.startsWith('qti-') ? name.slice(4) : name;
  return bare.replace(/-([a-z])/g, (_m, c: string) => c.toUpperCase());
}

function lineIndex(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

function lineFromIndex(starts: number[], index: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if ((starts[mid] as number) <= index) lo = mid;
    else hi = mid - 1;
  }
  return lo + 1;
}

const lineAt = (text: string, index: number) => text.slice(0, Math.max(0, index)).split('\n').length;

export const isNode = (c: XChild | undefined): c is XNode => typeof c === 'object' && c !== null;
export const childNodes = (n: XNode, name?: string): XNode[] =>
  n.children.filter((c): c is XNode => isNode(c) && (name === undefined || c.name === name));
export const firstChild = (n: XNode, name: string): XNode | undefined => childNodes(n, name)[0];

/** Every descendant element, depth first. */
export function descendants(n: XNode): XNode[] {
  const out: XNode[] = [];
  const walk = (x: XNode) => {
    for (const c of childNodes(x)) {
      out.push(c);
      walk(c);
    }
  };
  walk(n);
  return out;
}

const BLOCK = new Set([
  'p',
  'div',
  'br',
  'li',
  'tr',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'blockquote',
  'pre',
  'table',
  'prompt',
]);

/** The text of an element with block elements on their own lines; `skip` leaves out whole subtrees. */
export function textOf(n: XNode, skip: (x: XNode) => boolean = () => false): string {
  const parts: string[] = [];
  const walk = (x: XNode) => {
    for (const c of x.children) {
      if (typeof c === 'string') parts.push(c);
      else if (!skip(c)) {
        if (BLOCK.has(c.name)) parts.push('\n');
        walk(c);
        if (BLOCK.has(c.name)) parts.push('\n');
      }
    }
  };
  walk(n);
  return tidy(parts.join(''));
}

/** Collapses white space inside lines and drops empty lines. */
export function tidy(s: string): string {
  return s
    .split('\n')
    .map((l) => l.replace(/[\s\u00a0]+/g, ' ').trim())
    .filter(Boolean)
    .join('\n');
}

const HTML_ENTITIES: Record<string, string> = {
  nbsp: ' ',
  lt: '<',
  gt: '>',
  amp: '&',
  quot: '"',
  apos: "'",
  times: '×',
  divide: '÷',
  deg: '°',
  plusmn: '±',
  le: '≤',
  ge: '≥',
  middot: '·',
  hellip: '…',
  ldquo: '“',
  rdquo: '”',
  lsquo: '‘',
  rsquo: '’',
  mdash: '—',
  ndash: '–',
};

/** Plain text from an HTML fragment (Moodle question text): tags dropped, blocks as lines, entities decoded. */
export function htmlToText(html: string): { text: string; images: string[] } {
  const images: string[] = [];
  for (const m of html.matchAll(/<img\b[^>]*\bsrc\s*=\s*["']([^"']+)["'][^>]*>/gi)) images.push(m[1] as string);
  const text = html
    .replace(/<(script|style)\b[\s\S]*?<\/\1>/gi, '')
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<\/?(p|div|li|tr|h[1-6]|blockquote|pre|table)\b[^>]*>/gi, '\n')
    .replace(/<[^>]*>/g, '')
    .replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[a-zA-Z]+);/g, (m, e: string) => {
      if (e[0] === '#') {
        const cp = e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
        return cp > 0 && cp <= 0x10ffff ? String.fromCodePoint(cp) : '';
      }
      return HTML_ENTITIES[e] ?? m;
    });
  return { text: tidy(text), images };
}
