import type { HashedItem } from '../bank/bank-format';
import type { Blueprint } from '../bank/blueprint';
import type { QuestionType } from '../protocol';
import { AppError } from '../shared/errors';
import { shuffle, type RandomSource } from '../shared/random';

export type PaperQuestion = {
  position: number;
  itemHash: string;
  type: QuestionType;
  stem: string;
  options: string[]; // in the order shown to this candidate
  optionOrder: number[]; // optionOrder[shown index] = index in the bank item
  answer: number[]; // correct options, as shown indexes, ascending
  points: number;
  knowledgePoint: string;
};

export type Paper = { questions: PaperQuestion[] };

const TYPE_ORDER: QuestionType[] = ['judge', 'single', 'multi'];

/** Why a blueprint cannot be met by a pool, one line per shortfall (e.g. "N1 单选 needs 50, pool has 42"). */
export function blueprintShortfalls(blueprint: Blueprint, items: HashedItem[]): string[] {
  const typeName: Record<QuestionType, string> = { judge: '判断', single: '单选', multi: '多选' };
  const problems: string[] = [];
  for (const section of blueprint.sections) {
    const ofType = items.filter((i) => i.type === section.type);
    if (ofType.length < section.count)
      problems.push(`${blueprint.category} ${typeName[section.type]} needs ${section.count}, pool has ${ofType.length}`);
    for (const [kp, quota] of Object.entries(section.quotas)) {
      const n = ofType.filter((i) => i.knowledgePoint === kp).length;
      if (n < quota)
        problems.push(`${blueprint.category} ${typeName[section.type]} 「${kp}」 needs ${quota}, pool has ${n}`);
    }
  }
  return problems;
}

/** A pool indexed once per session, so drawing 1,000 papers does not re-filter the bank 1,000 times. */
export type PreparedPool = {
  sections: { type: QuestionType; count: number; pointsEach: number; ofType: HashedItem[]; quotas: [HashedItem[], number][] }[];
};

export function preparePool(blueprint: Blueprint, pool: HashedItem[]): PreparedPool {
  const shortfalls = blueprintShortfalls(blueprint, pool);
  if (shortfalls.length) throw new AppError('blueprint-unsatisfiable', shortfalls.join('; '), 409, { shortfalls });
  const sections = [...blueprint.sections].sort((a, b) => TYPE_ORDER.indexOf(a.type) - TYPE_ORDER.indexOf(b.type));
  return {
    sections: sections.map((section) => {
      const ofType = pool.filter((i) => i.type === section.type);
      return {
        type: section.type,
        count: section.count,
        pointsEach: section.pointsEach,
        ofType,
        quotas: Object.entries(section.quotas).map(([kp, quota]): [HashedItem[], number] => [
          ofType.filter((i) => i.knowledgePoint === kp),
          quota,
        ]),
      };
    }),
  };
}

/** k items chosen uniformly without replacement (a partial Fisher–Yates: O(k) draws, not O(n)). */
function sample<T>(items: readonly T[], k: number, random: RandomSource): T[] {
  const a = items.slice();
  const n = Math.min(k, a.length);
  for (let i = 0; i < n; i++) {
    const j = i + random.int(a.length - i);
    [a[i], a[j]] = [a[j] as T, a[i] as T];
  }
  return a.slice(0, n);
}

/**
 * Draws one paper: per section, first each knowledge-point quota, then the rest from the section's
 * remaining items; sections in the usual order (判断, 单选, 多选), items and options shuffled.
 * Deterministic for a given random source: auditors re-derive papers from the disclosed seed.
 */
export function drawPrepared(prepared: PreparedPool, random: RandomSource): Paper {
  const questions: PaperQuestion[] = [];
  for (const section of prepared.sections) {
    const chosen = new Set<HashedItem>();
    for (const [candidates, quota] of section.quotas) sample(candidates, quota, random).forEach((i) => chosen.add(i));
    const rest = section.ofType.filter((i) => !chosen.has(i));
    sample(rest, section.count - chosen.size, random).forEach((i) => chosen.add(i));
    for (const item of shuffle([...chosen], random)) {
      // 判断 keeps 正确/错误 in place: a shuffled true/false would only confuse candidates.
      const optionOrder =
        item.type === 'judge' ? item.options.map((_, i) => i) : shuffle(item.options.map((_, i) => i), random);
      questions.push({
        position: questions.length + 1,
        itemHash: item.contentHash,
        type: item.type,
        stem: item.stem,
        options: optionOrder.map((i) => item.options[i] as string),
        optionOrder,
        answer: optionOrder.flatMap((orig, shown) => (item.answer.includes(orig) ? [shown] : [])),
        points: section.pointsEach,
        knowledgePoint: item.knowledgePoint,
      });
    }
  }
  return { questions };
}

export function drawPaper(blueprint: Blueprint, pool: HashedItem[], random: RandomSource): Paper {
  return drawPrepared(preparePool(blueprint, pool), random);
}

/** Same items and options, question order shuffled again within each section (sections stay in place). */
export function reorderWithinSections(paper: Paper, random: RandomSource): Paper {
  const out: PaperQuestion[] = [];
  for (const type of TYPE_ORDER) {
    const section = paper.questions.filter((q) => q.type === type);
    for (const q of shuffle(section, random)) out.push({ ...q, position: out.length + 1 });
  }
  return { questions: out };
}

/** How many positions hold the same item on both papers (what a neighbour could copy at a glance). */
export function sameItemSamePosition(a: Paper, b: Paper): number {
  let n = 0;
  a.questions.forEach((q, i) => {
    if (b.questions[i]?.itemHash === q.itemHash) n++;
  });
  return n;
}
