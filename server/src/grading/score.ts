import type { Paper } from '../papers/draw';
import { canonicalJson, sha256Hex } from '../shared/canonical-json';
import { AppError } from '../shared/errors';

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
const round2 = (n: number) => Math.round(n * 100) / 100;

/**
 * Scores a paper against its own key. 多选: all-or-nothing by default (the usual rule, domain.md);
 * 'partial' awards points in proportion to correct options chosen when no wrong option is chosen.
 * Blank answers score 0. Scores are rounded to 0.01 to keep sums exact for display.
 * An answer to a position that is not on this paper is refused (delivery already refuses it at save time;
 * finding one here means the stored answers do not belong to this paper, so no score is given at all).
 */
export function scorePaper(paper: Paper, answers: Map<number, number[]>, multiScoring: MultiScoring): PaperScore {
  const positions = new Set(paper.questions.map((q) => q.position));
  const foreign = [...answers.keys()].filter((p) => !positions.has(p));
  if (foreign.length)
    throw new AppError('answer-not-on-paper', `answers to positions not on the paper: ${foreign.join(', ')}`, 409, {
      positions: foreign,
    });
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
  return { score: round2(score), maxScore: round2(maxScore), correctCount, questions };
}

export type AnswerRow = { position: number; choice: number[] };

/** The hash recorded with a result: canonical JSON of the latest answer per position, in position order. */
export function answersHash(answers: AnswerRow[]): string {
  const rows = [...answers]
    .sort((a, b) => a.position - b.position)
    .map((a) => ({ position: a.position, choice: a.choice }));
  return sha256Hex(canonicalJson(rows));
}

export type RecomputedResult = {
  score: number;
  maxScore: number;
  passed: boolean;
  correctCount: number;
  answersHash: string;
  graderVersion: string;
};

/**
 * The whole grading rule as one pure function of archive data (the paper with its key, the final answers,
 * the blueprint's 多选 policy and pass mark). Grading itself calls it, and so does the archive verifier, so
 * "the grade equals a re-computation from the archive alone" holds by construction. Pass mark 70 [TSG].
 */
export function recomputeResult(
  paper: Paper,
  answers: AnswerRow[],
  multiScoring: MultiScoring,
  passMark: number,
): RecomputedResult {
  return gradeAttempt(paper, answers, multiScoring, passMark).result;
}

/** recomputeResult with the per-question outcome too (grading keeps it for item analysis). */
export function gradeAttempt(
  paper: Paper,
  answers: AnswerRow[],
  multiScoring: MultiScoring,
  passMark: number,
): { result: RecomputedResult; questions: QuestionScore[] } {
  const scored = scorePaper(paper, new Map(answers.map((a) => [a.position, a.choice])), multiScoring);
  return {
    result: {
      score: scored.score,
      maxScore: scored.maxScore,
      passed: scored.score >= passMark,
      correctCount: scored.correctCount,
      answersHash: answersHash(answers),
      graderVersion: GRADER_VERSION,
    },
    questions: scored.questions,
  };
}
