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

/**
 * Draws one paper: per section, first each knowledge-point quota, then the rest from the section's
 * remaining items; sections in the usual order (判断, 单选, 多选), items and options shuffled.
 */
export function drawPaper(blueprint: Blueprint, pool: HashedItem[], random: RandomSource): Paper {
  const shortfalls = blueprintShortfalls(blueprint, pool);
  if (shortfalls.length) throw new AppError('blueprint-unsatisfiable', shortfalls.join('; '), 409, { shortfalls });
  const sections = [...blueprint.sections].sort((a, b) => TYPE_ORDER.indexOf(a.type) - TYPE_ORDER.indexOf(b.type));
  const questions: PaperQuestion[] = [];
  for (const section of sections) {
    const ofType = pool.filter((i) => i.type === section.type);
    const chosen = new Set<HashedItem>();
    for (const [kp, quota] of Object.entries(section.quotas)) {
      const candidates = shuffle(
        ofType.filter((i) => i.knowledgePoint === kp),
        random,
      );
      candidates.slice(0, quota).forEach((i) => chosen.add(i));
    }
    const rest = shuffle(
      ofType.filter((i) => !chosen.has(i)),
      random,
    );
    rest.slice(0, section.count - chosen.size).forEach((i) => chosen.add(i));
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
