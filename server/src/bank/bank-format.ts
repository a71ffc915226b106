import { z } from 'zod';
import { canonicalJson, sha256Hex } from '../shared/canonical-json';
import { questionTypeSchema, type QuestionType } from '../protocol';

/** Options shown for 判断 items; the file format writes their answer as 对/错. */
export const JUDGE_OPTIONS = ['正确', '错误'] as const;
export const OPTION_LETTERS = 'ABCDEFGHIJ';

/** An item as the product stores it, whatever file it came from. */
export type BankItem = {
  externalId: string;
  category: string;
  type: QuestionType;
  stem: string;
  options: string[];
  answer: number[]; // indexes into options, ascending
  knowledgePoint: string;
  difficulty: number;
  explanation: string | null;
  image: string | null;
};

export type HashedItem = BankItem & { contentHash: string };

const normaliseText = (s: string) => s.normalize('NFKC').replace(/\s+/g, ' ').trim();

/**
 * The content hash identifies an item across re-imports: category, type, stem, options and answer after
 * Unicode (NFKC) and white-space normalisation. Ids, knowledge points and explanations do not count.
 */
export function itemContentHash(item: Pick<BankItem, 'category' | 'type' | 'stem' | 'options' | 'answer'>): string {
  return sha256Hex(
    canonicalJson({
      category: item.category,
      type: item.type,
      stem: normaliseText(item.stem),
      options: item.options.map(normaliseText),
      answer: [...item.answer].sort((a, b) => a - b),
    }),
  );
}

/** Fingerprint of a bank version: SHA-256 over its items' content hashes in sorted order. */
export function versionFingerprint(contentHashes: string[]): string {
  return sha256Hex([...contentHashes].sort().join('\n'));
}

const fileItem = z
  .object({
    id: z.string().trim().min(1).max(64),
    type: questionTypeSchema,
    stem: z.string().trim().min(2).max(2000),
    options: z.array(z.string().trim().min(1).max(500)).min(2).max(6).optional(),
    answer: z.string().trim().min(1).max(6),
    knowledgePoint: z.string().trim().min(1).max(100),
    difficulty: z.number().int().min(1).max(5),
    explanation: z.string().max(2000).optional(),
    image: z.string().max(300).optional(),
  })
  .strict();

export const bankFileSchema = z
  .object({
    format: z.literal('exam-center-bank/1'),
    category: z.string().regex(/^[A-Z][A-Z0-9]{0,3}$/, 'category code such as N1, G1, R1, A'),
    categoryName: z.string().min(1).max(50),
    pool: z.enum(['exam', 'practice']),
    title: z.string().max(200).optional(),
    items: z.array(fileItem).max(50_000),
  })
  .strict();
export type BankFile = z.infer<typeof bankFileSchema>;
export type BankFileItem = z.infer<typeof fileItem>;

/** Parses an answer written as letters (A, ABD) or 对/错/√/×/T/F into option indexes. */
export function parseAnswer(type: QuestionType, answer: string, optionCount: number): number[] | string {
  const a = answer.normalize('NFKC').replace(/[\s,，、]/g, '').toUpperCase();
  if (type === 'judge') {
    if (['对', '√', '✓', 'T', 'TRUE', '正确', 'Y', 'A'].includes(a)) return [0];
    if (['错', '×', '✗', 'X', 'F', 'FALSE', '错误', 'N', 'B'].includes(a)) return [1];
    return `判断题答案应为 对/错 (√/×), 实为 "${answer}"`;
  }
  const indexes: number[] = [];
  for (const ch of a) {
    const i = OPTION_LETTERS.indexOf(ch);
    if (i < 0 || i >= optionCount) return `答案 "${answer}" 含无效选项字母 "${ch}"（共 ${optionCount} 个选项）`;
    if (indexes.includes(i)) return `答案 "${answer}" 重复了选项 "${ch}"`;
    indexes.push(i);
  }
  indexes.sort((x, y) => x - y);
  if (type === 'single' && indexes.length !== 1) return `单选题答案应为一个字母, 实为 "${answer}"`;
  if (type === 'multi' && indexes.length < 2) return `多选题答案应至少两个字母, 实为 "${answer}"`;
  return indexes;
}

export type ItemProblem = { where: string; field: string; message: string };

/** Converts one file item to a stored item, or names what is wrong with it. */
export function fromFileItem(category: string, raw: BankFileItem, where: string): BankItem | ItemProblem {
  const options = raw.type === 'judge' ? [...JUDGE_OPTIONS] : (raw.options ?? []);
  if (raw.type !== 'judge' && options.length < 2) return { where, field: 'options', message: '选择题至少需要两个选项' };
  if (raw.type === 'multi' && options.length < 3) return { where, field: 'options', message: '多选题至少需要三个选项' };
  const answer = parseAnswer(raw.type, raw.answer, options.length);
  if (typeof answer === 'string') return { where, field: 'answer', message: answer };
  return {
    externalId: raw.id,
    category,
    type: raw.type,
    stem: raw.stem,
    options,
    answer,
    knowledgePoint: raw.knowledgePoint,
    difficulty: raw.difficulty,
    explanation: raw.explanation ?? null,
    image: raw.image ?? null,
  };
}

export function withHash(item: BankItem): HashedItem {
  return { ...item, contentHash: itemContentHash(item) };
}
