import type { HashedItem } from '../bank/bank-format';
import type { Blueprint } from '../bank/blueprint';
import { blueprintShortfalls } from '../bank/blueprint-check';
import type { QuestionType } from '../protocol';
import { AppError } from '../shared/errors';
import type { RandomSource } from '../shared/random';

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
// Shared by every 判断 question (with the bank item's own options and answer arrays): drawn papers are
// read-only data that is serialised and sealed, so 40,000 identical little arrays need not be allocated.
const JUDGE_ORDER: number[] = Object.freeze([0, 1]) as number[];

// The rule lives with the bank (blueprint validation); papers use the same one when drawing.
export { blueprintShortfalls };

/** A pool indexed once per session, so drawing 1,000 papers does not re-filter the bank 1,000 times. */
export type PreparedPool = {
  sections: {
    type: QuestionType;
    count: number;
    pointsEach: number;
    ofType: HashedItem[];
    /** Per knowledge-point quota: the indexes (into ofType) of that point's items, and the quota. */
    quotas: [number[], number][];
  }[];
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
        quotas: Object.entries(section.quotas).map(([kp, quota]): [number[], number] => [
          ofType.flatMap((item, index) => (item.knowledgePoint === kp ? [index] : [])),
          quota,
        ]),
      };
    }),
  };
}

/**
 * Successive elements of a uniformly random permutation of 0..n-1, generated lazily (a Fisher–Yates
 * shuffle that records only its swaps): taking k of them costs O(k), not O(n), whatever the pool size.
 */
function permutationOf(n: number, random: RandomSource): () => number {
  const swapped = new Map<number, number>();
  let i = 0;
  return () => {
    const j = i + random.int(n - i);
    const picked = swapped.get(j) ?? j;
    swapped.set(j, swapped.get(i) ?? i);
    i++;
    return picked;
  };
}

function shuffleInPlace<T>(a: T[], random: RandomSource): T[] {
  for (let i = a.length - 1; i > 0; i--) {
    const j = random.int(i + 1);
    const t = a[i] as T;
    a[i] = a[j] as T;
    a[j] = t;
  }
  return a;
}

/**
 * Draws one paper: per section, first each knowledge-point quota, then the rest uniformly from the
 * section's remaining items; sections in the usual order (判断, 单选, 多选), items and options shuffled.
 * Deterministic for a given random source: auditors re-derive papers from the disclosed seed.
 */
export function drawPrepared(prepared: PreparedPool, random: RandomSource): Paper {
  const questions: PaperQuestion[] = [];
  for (const section of prepared.sections) {
    const chosen: number[] = [];
    const taken = new Set<number>();
    for (const [indexes, quota] of section.quotas) {
      const next = permutationOf(indexes.length, random);
      for (let q = 0; q < quota && q < indexes.length; q++) {
        const index = indexes[next()] as number;
        chosen.push(index);
        taken.add(index);
      }
    }
    // A prefix of a random permutation, skipping what the quotas took: a uniform sample of the rest.
    const next = permutationOf(section.ofType.length, random);
    for (let seen = 0; chosen.length < section.count && seen < section.ofType.length; seen++) {
      const index = next();
      if (!taken.has(index)) {
        chosen.push(index);
        taken.add(index);
      }
    }
    for (const index of shuffleInPlace(chosen, random)) {
      const item = section.ofType[index] as HashedItem;
      let optionOrder: number[];
      let options: string[];
      let answer: number[];
      if (item.type === 'judge') {
        // 判断 keeps 正确/错误 in place: a shuffled true/false would only confuse candidates.
        optionOrder = JUDGE_ORDER;
        options = item.options;
        answer = item.answer;
      } else {
        optionOrder = shuffleInPlace(
          item.options.map((_, i) => i),
          random,
        );
        options = [];
        answer = [];
        for (let shown = 0; shown < optionOrder.length; shown++) {
          const orig = optionOrder[shown] as number;
          options.push(item.options[orig] as string);
          if (item.answer.includes(orig)) answer.push(shown);
        }
      }
      // Keys in sorted order, so JSON.stringify of a drawn paper is its canonical JSON (paper-encoding.ts).
      questions.push({
        answer,
        itemHash: item.contentHash,
        knowledgePoint: item.knowledgePoint,
        optionOrder,
        options,
        points: section.pointsEach,
        position: questions.length + 1,
        stem: item.stem,
        type: item.type,
      });
    }
  }
  return { questions };
}

export function drawPaper(blueprint: Blueprint, pool: HashedItem[], random: RandomSource): Paper {
  return drawPrepared(preparePool(blueprint, pool), random);
}

/**
 * Moves apart what a neighbour could copy at a glance: wherever this paper has the left neighbour's item
 * at the same position, swap that question with another of its section (tried in random order) such that
 * neither position then matches the neighbour. Items, options and sections stay as drawn.
 */
export function avoidSamePositions(left: Paper, paper: Paper, random: RandomSource): Paper {
  const qs = paper.questions.slice();
  const leftAt = (i: number) => left.questions[i]?.itemHash;
  let changed = false;
  for (let i = 0; i < qs.length; i++) {
    const q = qs[i] as PaperQuestion;
    if (q.itemHash !== leftAt(i)) continue;
    const sameSection = qs.flatMap((x, j) => (x.type === q.type && j !== i ? [j] : []));
    for (const j of shuffleInPlace(sameSection, random)) {
      const other = qs[j] as PaperQuestion;
      if (other.itemHash !== leftAt(i) && q.itemHash !== leftAt(j)) {
        qs[i] = other;
        qs[j] = q;
        changed = true;
        break;
      }
    }
  }
  if (!changed) return paper;
  return { questions: qs.map((q, i) => (q.position === i + 1 ? q : { ...q, position: i + 1 })) };
}

/** How many positions hold the same item on both papers (what a neighbour could copy at a glance). */
export function sameItemSamePosition(a: Paper, b: Paper): number {
  let n = 0;
  a.questions.forEach((q, i) => {
    if (b.questions[i]?.itemHash === q.itemHash) n++;
  });
  return n;
}
