import type { QuestionType } from '../protocol';
import type { HashedItem } from './bank-format';
import type { Blueprint } from './blueprint';

const TYPE_NAME: Record<QuestionType, string> = {
  judge: '判断',
  single: '单选',
  multi: '多选',
};

/**
 * Why a blueprint cannot be met by a pool, one line per shortfall (e.g. "N1 单选 needs 50, pool has 42").
 * With `papers` > 1 it asks for that many pairwise-disjoint papers: each section and each knowledge-point
 * quota needs `papers` times its count. That is also enough: the free part of each section can always be
 * drawn from items no later quota needs, since the type holds papers × count items in all.
 */
export function blueprintShortfalls(blueprint: Blueprint, items: HashedItem[], papers = 1): string[] {
  const problems: string[] = [];
  const wrongCategory = items.find((i) => i.category !== blueprint.category);
  if (wrongCategory) problems.push(`blueprint is for ${blueprint.category}, pool is for ${wrongCategory.category}`);
  const suffix = papers > 1 ? ` for ${papers} disjoint papers` : '';
  for (const section of blueprint.sections) {
    const ofType = items.filter((i) => i.type === section.type);
    const need = section.count * papers;
    if (ofType.length < need)
      problems.push(
        `${blueprint.category} ${TYPE_NAME[section.type]} needs ${need}${suffix}, pool has ${ofType.length}`,
      );
    for (const [kp, quota] of Object.entries(section.quotas)) {
      const n = ofType.filter((i) => i.knowledgePoint === kp).length;
      if (n < quota * papers)
        problems.push(
          `${blueprint.category} ${TYPE_NAME[section.type]} 「${kp}」 needs ${quota * papers}${suffix}, pool has ${n}`,
        );
    }
  }
  return problems;
}
