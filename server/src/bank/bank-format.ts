import { z } from 'zod';
import { canonicalJson, sha256Hex } from '../shared/canonical-json';
import { questionTypeSchema, type QuestionType } from '../protocol';

/** Options shown for 判断 items; the file format writes their answer as 对/错. */
export const JUDGE_OPTIONS = ['正确', '错误'] as const;
export const OPTION_LETTERS = 'ABCDEFGHIJ';
/** The Excel template has columns 选项A–F, so six options is the most any item may have. */
export const MAX_OPTIONS = 6;
export const POOLS = ['exam', 'practice'] as const;
export type Pool = (typeof POOLS)[number];
export const poolSchema = z.enum(POOLS);
export const categoryCodeSchema = z.string().regex(/^[A-Z][A-Z0-9]{0,3}$/, 'category code such as N1, G1, R1, A');

/** Field limits shared by every importer and by the JSON schema. */
export const LIMITS = {
  stem: 2000,
  option: 500,
  knowledgePoint: 100,
  explanation: 2000,
  image: 300,
  id: 64,
} as const;

/**
 * Category codes and names of TSG Z6001-2019 附件A (特种设备作业人员资格认定分类与项目). Used only to
 * name a category the first time a foreign file (Excel, Moodle, QTI) is imported into it.
 */
export const TSG_CATEGORIES: Record<string, string> = {
  A: '特种设备安全管理',
  G1: '工业锅炉司炉',
  G2: '电站锅炉司炉',
  G3: '锅炉水处理',
  R1: '快开门式压力容器操作',
  R2: '移动式压力容器充装',
  R3: '氧舱维护保养',
  P: '气瓶充装',
  T: '电梯修理',
  Q1: '起重机指挥',
  Q2: '起重机司机',
  S1: '客运索道修理',
  S2: '客运索道司机',
  Y1: '大型游乐设施修理',
  Y2: '大型游乐设施操作',
  N1: '叉车司机',
  N2: '观光车和观光列车司机',
  F: '安全阀校验',
};

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

const CJK = '\u2e80-\u2fff\u3000-\u303f\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff';
const SPACE_BY_CJK = new RegExp(`\\s+(?=[${CJK}])|(?<=[${CJK}])\\s+`, 'g');

/** NFKC (full-width letters and punctuation become ASCII), runs of white space become one space, and white
 * space next to Chinese characters goes: Chinese text has no spaces, so "叉车  可以" is "叉车可以". */
export const normaliseText = (s: string) => s.normalize('NFKC').replace(SPACE_BY_CJK, '').replace(/\s+/g, ' ').trim();

/**
 * The content hash identifies an item across re-imports: category, type, stem, options, answer and image
 * reference after Unicode (NFKC) and white-space normalisation. Ids, knowledge points, difficulty and
 * explanations do not count: correcting them must not turn an exam item into a "new" one that could then
 * slip into the practice pool (考培分离). Items without an image hash as they did before images counted.
 */
export function itemContentHash(
  item: Pick<BankItem, 'category' | 'type' | 'stem' | 'options' | 'answer'> & {
    image?: string | null;
  },
): string {
  return sha256Hex(
    canonicalJson({
      category: item.category,
      type: item.type,
      stem: normaliseText(item.stem),
      options: item.options.map(normaliseText),
      answer: [...item.answer].sort((a, b) => a - b),
      image: item.image ? normaliseText(item.image) : undefined,
    }),
  );
}

/** Option and stem text as compared for 考培分离: case and a trailing full stop or semicolon do not count. */
const sightText = (s: string) =>
  normaliseText(s)
    .toLowerCase()
    .replace(/[\s。.;；,，]+$/, '');

/**
 * The clash hash identifies what a candidate sees and the key, wherever the item is filed: the stem, the
 * options as a set and the correct options' texts, normalised. Unlike the content hash it leaves out the
 * category (an N1 exam item filed under G1 practice is the same leak, 考培分离 notice §二(三)), the option
 * order (shuffling A–D changes nothing a trainee memorises), the type and the image reference (dropping or
 * renaming a picture must not launder an item; an image-only difference with the same stem, options and key
 * still teaches the key).
 */
export function itemClashHash(item: Pick<BankItem, 'stem' | 'options' | 'answer'>): string {
  const options = item.options.map(sightText);
  return sha256Hex(
    canonicalJson({
      stem: sightText(item.stem),
      options: [...options].sort(),
      key: item.answer.map((i) => options[i] ?? '').sort(),
    }),
  );
}

/** What a version says about one item beyond its identity: the metadata that may change between versions. */
const entryHash = (i: Pick<HashedItem, 'contentHash' | 'knowledgePoint' | 'difficulty' | 'explanation'>) =>
  sha256Hex(
    canonicalJson({
      h: i.contentHash,
      kp: i.knowledgePoint,
      d: i.difficulty,
      e: i.explanation ?? undefined,
    }),
  );

/**
 * Fingerprint of a bank version: SHA-256 over its items (content hash plus knowledge point, difficulty and
 * explanation) in sorted order, so the same items give the same fingerprint whatever file or order they
 * came in, and a corrected knowledge point gives a new one. External ids and positions do not count.
 */
export function versionFingerprint(
  items: Pick<HashedItem, 'contentHash' | 'knowledgePoint' | 'difficulty' | 'explanation'>[],
): string {
  return sha256Hex(items.map(entryHash).sort().join('\n'));
}

export const fileItemSchema = z
  .object({
    id: z.string().trim().min(1).max(LIMITS.id),
    type: questionTypeSchema,
    stem: z.string().trim().min(2).max(LIMITS.stem),
    options: z.array(z.string().trim().min(1).max(LIMITS.option)).min(2).max(MAX_OPTIONS).optional(),
    answer: z.string().trim().min(1).max(MAX_OPTIONS),
    knowledgePoint: z.string().trim().min(1).max(LIMITS.knowledgePoint),
    difficulty: z.number().int().min(1).max(5),
    explanation: z.string().max(LIMITS.explanation).optional(),
    image: z.string().max(LIMITS.image).optional(),
  })
  .strict();

const fileHeaderShape = {
  format: z.literal('exam-center-bank/1'),
  category: categoryCodeSchema,
  categoryName: z.string().min(1).max(50),
  pool: poolSchema,
  title: z.string().max(200).optional(),
};

export const bankFileSchema = z.object({ ...fileHeaderShape, items: z.array(fileItemSchema).max(50_000) }).strict();
/** The header alone, so that item problems can be reported one by one with their index and id. */
export const bankFileHeaderSchema = z.object({ ...fileHeaderShape, items: z.array(z.unknown()).max(50_000) }).strict();
export type BankFile = z.infer<typeof bankFileSchema>;
export type BankFileItem = z.infer<typeof fileItemSchema>;

/** Parses an answer written as letters (A, ABD) or 对/错/√/×/T/F into option indexes. */
export function parseAnswer(type: QuestionType, answer: string, optionCount: number): number[] | string {
  const a = answer
    .normalize('NFKC')
    .replace(/[\s,，、;；]/g, '')
    .toUpperCase();
  if (type === 'judge') {
    if (['对', '√', '✓', '✔', 'T', 'TRUE', '正确', 'Y', 'A', '是'].includes(a)) return [0];
    if (['错', '×', '✗', '✘', 'X', 'F', 'FALSE', '错误', 'N', 'B', '否'].includes(a)) return [1];
    return `判断题答案应为 对/错 (√/×), 实为 "${answer}"`;
  }
  if (a === '') return '答案为空';
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

/** The answer as the files write it: 对/错 for 判断, letters otherwise. */
export function answerText(item: Pick<BankItem, 'type' | 'answer'>): string {
  if (item.type === 'judge') return item.answer[0] === 0 ? '对' : '错';
  return item.answer.map((i) => OPTION_LETTERS[i]).join('');
}

export type ItemProblem = { where: string; field: string; message: string };

export function withHash(item: BankItem): HashedItem {
  return { ...item, contentHash: itemContentHash(item) };
}
