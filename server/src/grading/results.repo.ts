import type { Db } from '../db/open';

export type ResultRecord = {
  registrationId: number;
  score: number;
  maxScore: number;
  passed: boolean;
  correctCount: number;
  paperHash: string;
  answersHash: string;
  graderVersion: string;
  gradedAt: number;
};

export class ResultsRepo {
  constructor(private readonly db: Db) {}

  get(registrationId: number): ResultRecord | undefined {
    const r = this.db
      .prepare<
        [number],
        {
          registration_id: number;
          score: number;
          max_score: number;
          passed: number;
          correct_count: number;
          paper_hash: string;
          answers_hash: string;
          grader_version: string;
          graded_at: number;
        }
      >('SELECT * FROM results WHERE registration_id = ?')
      .get(registrationId);
    return (
      r && {
        registrationId: r.registration_id,
        score: r.score,
        maxScore: r.max_score,
        passed: r.passed === 1,
        correctCount: r.correct_count,
        paperHash: r.paper_hash,
        answersHash: r.answers_hash,
        graderVersion: r.grader_version,
        gradedAt: r.graded_at,
      }
    );
  }

  /** Written once per attempt; a second write for the same attempt fails on the primary key. */
  insert(r: ResultRecord): void {
    this.db
      .prepare(
        `INSERT INTO results (registration_id, score, max_score, passed, correct_count, paper_hash, answers_hash,
           grader_version, graded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        r.registrationId,
        r.score,
        r.maxScore,
        r.passed ? 1 : 0,
        r.correctCount,
        r.paperHash,
        r.answersHash,
        r.graderVersion,
        r.gradedAt,
      );
  }
}
