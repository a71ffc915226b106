import type { Paper } from '../papers/draw';

export const GRADER_VERSION = 'exam-center-grader/1';

export type MultiScoring = 'all-or-nothing' | 'partial';

export type QuestionScore = { position: number; correct: boolean; points: number };
export type PaperScore = {
  score: number;
  maxScore: number;
  correctCount: number;
  questions: QuestionScore[];
};

const sameSet = (a: number[], b: number[]) => a.length === b.length && a.every((x) => b.includes(x));

/**
 * Scores a paper against its own key. 多选: all-or-nothing by default (the usual rule, domain.md);
 * 'partial' awards points in proportion to correct options chosen when no wrong option is chosen.
 * Blank answers score 0. Scores are rounded to 0.01 to keep sums exact for display.
 */
export function scorePaper(paper: Paper, answers: Map<number, number[]>, multiScoring: MultiScoring): PaperScore {
  let score = 0;
  let maxScore = 0;
  let correctCount = 0;
  const questions = paper.questions.map((q) => {
    const chosen = answers.get(q.position) ?? [];
    maxScore += q.points;
    const correct = chosen.length > 0 && sameSet(chosen, q.answer);
    let points = correct ? q.points : 0;
    if (!correct && q.type === 'multi' && multiScoring === 'partial' && chosen.length > 0) {
      const allRight = chosen.every((c) => q.answer.includes(c));
      if (allRight) points = (q.points * chosen.length) / q.answer.length;
    }
    if (correct) correctCount++;
    score += points;
    return { position: q.position, correct, points };
  });
  const round = (n: number) => Math.round(n * 100) / 100;
  return { score: round(score), maxScore: round(maxScore), correctCount, questions };
}
