import type { QuestionType } from '../../protocol';
import type { HashedItem, Pool } from '../bank-format';

export const IMPORT_FORMATS = ['bank-json', 'xlsx', 'csv', 'moodle-xml', 'qti-item', 'qti-package'] as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];

/**
 * One thing wrong with a file. `error` refuses the whole import (a bank with one wrong key must not go
 * half live); `unsupported` is a question type or interaction the product cannot deliver: reported and
 * skipped, never dropped silently; `warning` is kept information that does not stop the import.
 */
export type ImportProblem = {
  kind: 'error' | 'unsupported' | 'warning';
  where: string; // file, and sheet/row, line or item
  field?: string; // 答案, options, stem …
  message: string;
};

export type ImportProgress = {
  phase: 'read' | 'parse' | 'check' | 'store';
  done: number;
  total: number;
};

export type ImportDefaults = {
  /** Category for formats that do not carry one (all but the product's own JSON). */
  category: string | null;
  /** Knowledge point when a row or item has none (Moodle uses its category path first). */
  knowledgePoint: string;
  /** Difficulty 1–5 when a row or item has none. */
  difficulty: number;
  /** Text encoding of CSV files: UTF-8 unless deliberately told GB18030 (see question-bank/README.md). */
  encoding: 'utf-8' | 'gb18030';
};

export const DEFAULT_IMPORT: ImportDefaults = {
  category: null,
  knowledgePoint: '未分类',
  difficulty: 3,
  encoding: 'utf-8',
};

export type ImportLimits = {
  /** Largest file accepted, in bytes (a zip counts compressed). */
  fileBytes: number;
  /** Largest total of decompressed entries read from one zip. */
  unzippedBytes: number;
  /** Deepest element nesting accepted in XML. */
  xmlDepth: number;
  /** Most items (rows, questions) in one file. */
  items: number;
};

export const DEFAULT_LIMITS: ImportLimits = {
  fileBytes: 30 * 1024 * 1024,
  unzippedBytes: 200 * 1024 * 1024,
  xmlDepth: 64,
  items: 50_000,
};

export type ImportOptions = {
  fileName: string;
  defaults: ImportDefaults;
  limits: ImportLimits;
  onProgress?: (p: ImportProgress) => void;
};

/** An item as read from a file, before the common checks (bank-item-rules.ts) turn it into a BankItem. */
export type ItemDraft = {
  where: string;
  externalId: string | null;
  type: QuestionType;
  stem: string;
  options: string[];
  /** Letters / 对错 as written in the file, or option indexes when the format marks options as correct. */
  answer: string | number[];
  knowledgePoint: string | null;
  difficulty: number | string | null;
  explanation: string | null;
  image: string | null;
};

/** What a reader (one per format) gives back. */
export type ReadResult = {
  format: ImportFormat;
  drafts: ItemDraft[];
  problems: ImportProblem[];
  /** The product's JSON carries its own header. */
  header?: { category: string; categoryName: string; pool: Pool };
};

/** A whole file checked: items ready to store, and every problem found. */
export type ParsedImport = {
  formats: ImportFormat[];
  fileNames: string[];
  category: string;
  categoryName: string | null;
  pool: Pool | null;
  items: HashedItem[];
  problems: ImportProblem[];
  /** Questions seen in the file(s), supported or not. */
  seen: number;
};
