import { describe, expect, it } from 'vitest';
import type { Paper, PaperQuestion } from '../papers/draw';
import { scorePaper, type MultiScoring } from './score';

const q = (position: number, type: PaperQuestion['type'], answer: number[], points = 1): PaperQuestion => ({
  position,
  itemHash: `h${position}`,
  type,
  stem: `stem ${position}`,
  options: type === 'judge' ? ['正确', '错误'] : ['a', 'b', 'c', 'd', 'e'],
  optionOrder: [0, 1, 2, 3, 4],
  answer,
  points,
  knowledgePoint: 'k',
});

const paper: Paper = { questions: [q(1, 'judge', [0]), q(2, 'single', [2]), q(3, 'multi', [0, 2, 3], 2)] };

describe('scorePaper', () => {
  const cases: { name: string; answers: [number, number[]][]; policy: MultiScoring; score: number; correct: number }[] =
    [
      { name: 'all blank', answers: [], policy: 'all-or-nothing', score: 0, correct: 0 },
      { name: 'empty choice counts as blank', answers: [[1, []]], policy: 'all-or-nothing', score: 0, correct: 0 },
      { name: 'judge right', answers: [[1, [0]]], policy: 'all-or-nothing', score: 1, correct: 1 },
      { name: 'judge wrong', answers: [[1, [1]]], policy: 'all-or-nothing', score: 0, correct: 0 },
      { name: 'single right', answers: [[2, [2]]], policy: 'all-or-nothing', score: 1, correct: 1 },
      { name: 'single wrong', answers: [[2, [1]]], policy: 'all-or-nothing', score: 0, correct: 0 },
      { name: 'multi exact', answers: [[3, [0, 2, 3]]], policy: 'all-or-nothing', score: 2, correct: 1 },
      { name: 'multi exact, any order', answers: [[3, [3, 0, 2]]], policy: 'all-or-nothing', score: 2, correct: 1 },
      {
        name: 'multi missing one, all-or-nothing',
        answers: [[3, [0, 2]]],
        policy: 'all-or-nothing',
        score: 0,
        correct: 0,
      },
      { name: 'multi missing one, partial', answers: [[3, [0, 2]]], policy: 'partial', score: 1.33, correct: 0 },
      {
        name: 'multi with a wrong option, partial',
        answers: [[3, [0, 1, 2]]],
        policy: 'partial',
        score: 0,
        correct: 0,
      },
      { name: 'multi superset, partial', answers: [[3, [0, 1, 2, 3]]], policy: 'partial', score: 0, correct: 0 },
      {
        name: 'full marks',
        answers: [
          [1, [0]],
          [2, [2]],
          [3, [0, 2, 3]],
        ],
        policy: 'all-or-nothing',
        score: 4,
        correct: 3,
      },
    ];
  it.each(cases)('$name', ({ answers, policy, score, correct }) => {
    const result = scorePaper(paper, new Map(answers), policy);
    expect(result.score).toBe(score);
    expect(result.correctCount).toBe(correct);
    expect(result.maxScore).toBe(4);
  });

  it.each<[string, [number, number[]][]]>([
    ['alone', [[9, [0]]]],
    [
      'beside valid answers',
      [
        [1, [0]],
        [0, [1]],
      ],
    ],
  ])('refuses an answer to a position not on the paper (%s)', (_name, answers) => {
    expect(() => scorePaper(paper, new Map(answers), 'all-or-nothing')).toThrow(
      expect.objectContaining({ code: 'answer-not-on-paper' }),
    );
  });

  it('is deterministic', () => {
    const answers = new Map<number, number[]>([
      [1, [0]],
      [3, [0, 2]],
    ]);
    expect(scorePaper(paper, answers, 'partial')).toEqual(scorePaper(paper, answers, 'partial'));
  });
});
