import { describe, expect, it } from 'vitest';
import { withHash, type HashedItem } from './bank-format';
import { blueprintSchema } from './blueprint';
import { blueprintShortfalls } from './blueprint-check';

const blueprint = blueprintSchema.parse({
  format: 'exam-center-blueprint/1',
  category: 'N1',
  name: 'N1 叉车司机 理论考试',
  durationMinutes: 60,
  passMark: 70,
  sections: [
    { type: 'judge', count: 40, pointsEach: 1, quotas: { 法律法规: 8 } },
    { type: 'single', count: 50, pointsEach: 1 },
    { type: 'multi', count: 5, pointsEach: 2 },
  ],
});

const pool = (type: 'judge' | 'single' | 'multi', n: number, kp = '安全操作', category = 'N1'): HashedItem[] =>
  Array.from({ length: n }, (_, i) =>
    withHash({
      externalId: `${type}-${kp}-${i}`,
      category,
      type,
      stem: `${kp} ${type} 第 ${i} 题`,
      options: type === 'judge' ? ['正确', '错误'] : ['甲', '乙', '丙', '丁'],
      answer: type === 'multi' ? [0, 1] : [0],
      knowledgePoint: kp,
      difficulty: 3,
      explanation: null,
      image: null,
    }),
  );

describe('blueprintShortfalls', () => {
  it('says exactly which section and knowledge point the pool cannot fill', () => {
    const items = [...pool('judge', 36), ...pool('judge', 6, '法律法规'), ...pool('single', 42), ...pool('multi', 5)];
    expect(blueprintShortfalls(blueprint, items)).toEqual([
      'N1 判断 「法律法规」 needs 8, pool has 6',
      'N1 单选 needs 50, pool has 42',
    ]);
  });

  it('is empty when one paper can be drawn, and asks for twice the items for two disjoint papers', () => {
    const items = [...pool('judge', 32), ...pool('judge', 8, '法律法规'), ...pool('single', 50), ...pool('multi', 7)];
    expect(blueprintShortfalls(blueprint, items)).toEqual([]);
    expect(blueprintShortfalls(blueprint, items, 2)).toEqual([
      'N1 判断 needs 80 for 2 disjoint papers, pool has 40',
      'N1 判断 「法律法规」 needs 16 for 2 disjoint papers, pool has 8',
      'N1 单选 needs 100 for 2 disjoint papers, pool has 50',
      'N1 多选 needs 10 for 2 disjoint papers, pool has 7',
    ]);
  });

  it('refuses a pool of another category', () => {
    const items = [
      ...pool('judge', 40, '法律法规', 'R1'),
      ...pool('single', 50, 'x', 'R1'),
      ...pool('multi', 5, 'x', 'R1'),
    ];
    expect(blueprintShortfalls(blueprint, items)[0]).toBe('blueprint is for N1, pool is for R1');
  });
});
