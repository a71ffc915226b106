import { z } from 'zod';
import type { QuestionType } from './common';

// Question bank (题库) REST payloads: the staff bank page and the practice API.

export type BankPool = 'exam' | 'practice';
export type ImportMode = 'append' | 'replace';

/** One problem found in a file: where (file, sheet/row, line or item), which field, what is wrong. */
export type BankProblem = {
  kind: 'error' | 'unsupported' | 'warning';
  where: string;
  field?: string;
  message: string;
};

export type BankVersionView = {
  id: number;
  category: string;
  categoryName: string;
  pool: BankPool;
  fingerprint: string;
  itemCount: number;
  parentId: number | null;
  source: string;
  note: string | null;
  createdBy: string;
  createdAt: number;
  latest: boolean;
};

/**
 * What an import or validation says. `errors` lists errors and unsupported items (each with where and
 * message); `outcome` says whether a version was created.
 */
export type ImportSummary = {
  outcome: 'imported' | 'unchanged' | 'refused' | 'valid' | 'invalid';
  imported: number;
  skipped: number;
  errors: BankProblem[];
  warnings: BankProblem[];
  files: string[];
  formats: string[];
  category: string;
  pool: BankPool | null;
  mode: ImportMode;
  byType: Record<QuestionType, number>;
  version?: { id: number; fingerprint: string; itemCount: number; parentId: number | null };
  added?: number;
  updated?: number;
  removed?: number;
};

export type ImportJobView = {
  id: string;
  fileName: string;
  status: 'running' | 'done' | 'failed';
  progress: { phase: 'upload' | 'read' | 'parse' | 'check' | 'store'; done: number; total: number };
  summary: ImportSummary | null;
  startedAt: number;
};

/** Query of POST /api/bank/imports and /api/bank/validate (the file itself is the raw request body). */
export const bankUploadQuery = z
  .object({
    fileName: z.string().trim().min(1).max(200),
    category: z
      .string()
      .regex(/^[A-Z][A-Z0-9]{0,3}$/, 'category code such as N1, G1, R1')
      .optional(),
    categoryName: z.string().trim().min(1).max(50).optional(),
    pool: z.enum(['exam', 'practice']).optional(),
    mode: z.enum(['append', 'replace']).default('append'),
    knowledgePoint: z.string().trim().min(1).max(100).optional(),
    difficulty: z.coerce.number().int().min(1).max(5).optional(),
    encoding: z.enum(['utf-8', 'gb18030']).optional(),
  })
  .strict();
export type BankUploadQuery = z.infer<typeof bankUploadQuery>;

export type BankItemView = {
  contentHash: string;
  externalId: string;
  type: QuestionType;
  stem: string;
  options: string[];
  answer: number[];
  knowledgePoint: string;
  difficulty: number;
  explanation: string | null;
  image: string | null;
};

export type VersionItemsResponse = { version: BankVersionView; items: BankItemView[] };

export const retireRequest = z
  .object({
    itemHashes: z
      .array(z.string().regex(/^[0-9a-f]{64}$/))
      .min(1)
      .max(1000),
    reason: z.string().trim().min(2, 'give a reason').max(500),
  })
  .strict();
export type RetireRequest = z.infer<typeof retireRequest>;

export type BlueprintView = {
  id: number;
  category: string;
  name: string;
  fingerprint: string;
  createdBy: string;
  createdAt: number;
  retiredAt: number | null;
  durationMinutes: number;
  passMark: number;
  questionCount: number;
  body: unknown;
};

export type BlueprintCheck = {
  blueprintId: number;
  versionId: number;
  papers: number;
  satisfiable: boolean;
  shortfalls: string[];
};

/** A practice-pool item for familiarisation (熟悉机考): practice content only, answer included for feedback. */
export type PracticeItem = {
  id: string;
  type: QuestionType;
  stem: string;
  options: string[];
  answer: number[];
  explanation: string | null;
  knowledgePoint: string;
};
export type PracticeItemsResponse = {
  category: string;
  categoryName: string;
  versionId: number;
  items: PracticeItem[];
};
