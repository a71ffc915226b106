import { JUDGE_OPTIONS, LIMITS, MAX_OPTIONS, parseAnswer, withHash, type HashedItem } from './bank-format';
import type { ImportDefaults, ImportProblem, ItemDraft } from './importers/types';

const TYPE_NAME = {
  judge: '判断题',
  single: '单选题',
  multi: '多选题',
} as const;

/** Difficulty as written in templates: 1–5, or 易/较易/中/较难/难. */
export function parseDifficulty(v: number | string | null, fallback: number): number | string {
  if (v === null || v === '') return fallback;
  if (typeof v === 'number') return Number.isInteger(v) && v >= 1 && v <= 5 ? v : `难度应为 1–5 的整数，实为 ${v}`;
  const s = v.normalize('NFKC').trim();
  const words: Record<string, number> = {
    易: 1,
    容易: 1,
    较易: 2,
    中: 3,
    中等: 3,
    一般: 3,
    较难: 4,
    难: 5,
    困难: 5,
  };
  if (words[s] !== undefined) return words[s];
  const n = Number(s);
  return Number.isInteger(n) && n >= 1 && n <= 5 ? n : `难度应为 1–5 或 易/较易/中/较难/难，实为 "${v}"`;
}

/**
 * The checks every importer shares, so an Excel row and a QTI item are held to the same rules. Returns
 * the stored form, or every problem of the item at once (the user fixes a row in one go).
 */
export function checkDraft(d: ItemDraft, category: string, defaults: ImportDefaults): HashedItem | ImportProblem[] {
  const problems: ImportProblem[] = [];
  const bad = (field: string, message: string) => problems.push({ kind: 'error', where: d.where, field, message });
  const stem = d.stem.trim();
  if (stem.length < 2) bad('题干 stem', '题干为空或过短');
  else if (stem.length > LIMITS.stem) bad('题干 stem', `题干超过 ${LIMITS.stem} 字（${stem.length}）`);

  let options = d.options.map((o) => o.trim());
  if (d.type === 'judge') {
    options = [...JUDGE_OPTIONS];
  } else {
    // A gap (选项A, 选项C filled, 选项B empty) would shift every later letter: refuse it rather than guess.
    const lastFilled = options.reduce((last, o, i) => (o ? i : last), -1);
    const gap = options.slice(0, lastFilled + 1).findIndex((o) => !o);
    if (gap >= 0)
      bad(`选项${String.fromCharCode(65 + gap)} options`, `选项${String.fromCharCode(65 + gap)} 为空，但其后还有选项`);
    options = options.slice(0, lastFilled + 1);
    const min = d.type === 'multi' ? 3 : 2;
    if (options.length < min)
      bad('选项 options', `${TYPE_NAME[d.type]}至少需要 ${min} 个选项，实有 ${options.length} 个`);
    if (options.length > MAX_OPTIONS)
      bad('选项 options', `最多 ${MAX_OPTIONS} 个选项（A–F），实有 ${options.length} 个`);
    options.forEach((o, i) => {
      if (o.length > LIMITS.option) bad(`选项${String.fromCharCode(65 + i)} options`, `选项超过 ${LIMITS.option} 字`);
    });
    const seen = new Map<string, number>();
    options.forEach((o, i) => {
      const key = o.normalize('NFKC').replace(/\s+/g, ' ');
      const earlier = seen.get(key);
      if (o && earlier !== undefined)
        bad(`选项${String.fromCharCode(65 + i)} options`, `与选项${String.fromCharCode(65 + earlier)} 内容相同`);
      seen.set(key, i);
    });
  }

  let answer: number[] = [];
  if (typeof d.answer === 'string') {
    const parsed = parseAnswer(d.type, d.answer, options.length);
    if (typeof parsed === 'string') bad('答案 answer', parsed);
    else answer = parsed;
  } else {
    answer = [...new Set(d.answer)].sort((a, b) => a - b);
    if (d.type === 'single' && answer.length !== 1)
      bad('答案 answer', `单选题应恰有一个正确选项，实有 ${answer.length} 个`);
    if (d.type === 'multi' && answer.length < 2)
      bad('答案 answer', `多选题应至少有两个正确选项，实有 ${answer.length} 个`);
    if (d.type === 'judge' && answer.length !== 1) bad('答案 answer', '判断题应恰有一个正确答案');
  }

  const knowledgePoint = (d.knowledgePoint ?? '').trim() || defaults.knowledgePoint;
  if (knowledgePoint.length > LIMITS.knowledgePoint)
    bad('知识点 knowledgePoint', `知识点超过 ${LIMITS.knowledgePoint} 字`);
  const difficulty = parseDifficulty(d.difficulty, defaults.difficulty);
  if (typeof difficulty === 'string') bad('难度 difficulty', difficulty);
  const explanation = d.explanation?.trim() || null;
  if (explanation && explanation.length > LIMITS.explanation)
    bad('解析 explanation', `解析超过 ${LIMITS.explanation} 字`);
  const image = d.image?.trim() || null;
  if (image && image.length > LIMITS.image) bad('图片 image', `图片路径超过 ${LIMITS.image} 字`);
  const externalId = d.externalId?.trim().slice(0, LIMITS.id) || null;

  if (problems.length) return problems;
  const item = withHash({
    externalId: '',
    category,
    type: d.type,
    stem,
    options,
    answer,
    knowledgePoint,
    difficulty: difficulty as number,
    explanation,
    image,
  });
  // Without an id of its own an item is named by its hash: stable across re-imports, unlike a row number.
  item.externalId = externalId ?? `${category}-${item.contentHash.slice(0, 10)}`;
  return item;
}

/**
 * Checks all drafts of one import: each item on its own, then duplicates inside the file (same content
 * hash, or the same id given twice). Duplicates are errors: a bank that lists an item twice is a sign
 * that the file is not what the bank keeper believes it is.
 */
export function checkDrafts(
  drafts: ItemDraft[],
  category: string,
  defaults: ImportDefaults,
  opts: {
    strictIds: boolean;
    onProgress?: (done: number, total: number) => void;
  },
): { items: HashedItem[]; problems: ImportProblem[] } {
  const onProgress = opts.onProgress;
  const items: HashedItem[] = [];
  const problems: ImportProblem[] = [];
  const byHash = new Map<string, string>();
  const byId = new Map<string, string>();
  drafts.forEach((d, i) => {
    if (onProgress && i % 500 === 0) onProgress(i, drafts.length);
    const checked = checkDraft(d, category, defaults);
    if (Array.isArray(checked)) return void problems.push(...checked);
    const earlier = byHash.get(checked.contentHash);
    if (earlier) {
      problems.push({
        kind: 'error',
        where: d.where,
        field: '题干 stem',
        message: `与 ${earlier} 是重复的题目 (duplicate item)`,
      });
      return;
    }
    byHash.set(checked.contentHash, d.where);
    if (d.externalId) {
      const sameId = byId.get(checked.externalId);
      if (sameId && opts.strictIds) {
        problems.push({
          kind: 'error',
          where: d.where,
          field: '题号 id',
          message: `题号 "${checked.externalId}" 与 ${sameId} 重复`,
        });
        return;
      }
      if (sameId) {
        // Templates often number each sheet from 1: keep the item, name it by its hash instead.
        const renamed = `${category}-${checked.contentHash.slice(0, 10)}`;
        problems.push({
          kind: 'warning',
          where: d.where,
          field: '题号 id',
          message: `题号 "${checked.externalId}" 与 ${sameId} 重复，改用 ${renamed}`,
        });
        checked.externalId = renamed;
      }
      byId.set(checked.externalId, d.where);
    }
    items.push(checked);
  });
  onProgress?.(drafts.length, drafts.length);
  return { items, problems };
}
