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

/** The result in force (the latest correction, if any, over the original result). */
export type CurrentResult = ResultRecord & { correctionId: number | null; correctionKind: 'regrade' | 'cancel' | null };

export type CorrectionRecord = {
  id: number;
  registrationId: number;
  kind: 'regrade' | 'cancel';
  oldScore: number;
  oldPassed: boolean;
  newScore: number;
  newMaxScore: number;
  newPassed: boolean;
  newCorrectCount: number;
  paperHash: string;
  answersHash: string;
  graderVersion: string;
  reason: string;
  correctedBy: string;
  correctedAt: number;
};

export type GradedResponse = {
  position: number;
  itemHash: string;
  type: string;
  optionCount: number;
  chosen: number[];
  correct: boolean;
  points: number;
  maxPoints: number;
};

/** Stored compactly as one tuple per question (0007_grading.sql): 1,000 candidates × 100 questions add up. */
type ResponseTuple = [number, string, string, number, number[], 0 | 1, number, number];

export function encodeResponses(rows: GradedResponse[]): string {
  return JSON.stringify(
    rows.map((r): ResponseTuple => [
      r.position,
      r.itemHash,
      r.type,
      r.optionCount,
      r.chosen,
      r.correct ? 1 : 0,
      r.points,
      r.maxPoints,
    ]),
  );
}

export function decodeResponses(json: string): GradedResponse[] {
  return (JSON.parse(json) as ResponseTuple[]).map(
    ([position, itemHash, type, optionCount, chosen, correct, points, maxPoints]) => ({
      position,
      itemHash,
      type,
      optionCount,
      chosen,
      correct: correct === 1,
      points,
      maxPoints,
    }),
  );
}

type ResultRow = {
  registration_id: number;
  score: number;
  max_score: number;
  passed: number;
  correct_count: number;
  paper_hash: string;
  answers_hash: string;
  grader_version: string;
  graded_at: number;
};
type CurrentRow = ResultRow & { correction_id: number | null; correction_kind: 'regrade' | 'cancel' | null };

const toResult = (r: ResultRow): ResultRecord => ({
  registrationId: r.registration_id,
  score: r.score,
  maxScore: r.max_score,
  passed: r.passed === 1,
  correctCount: r.correct_count,
  paperHash: r.paper_hash,
  answersHash: r.answers_hash,
  graderVersion: r.grader_version,
  gradedAt: r.graded_at,
});
const toCurrent = (r: CurrentRow): CurrentResult => ({
  ...toResult(r),
  correctionId: r.correction_id,
  correctionKind: r.correction_kind,
});

/** The only SQL on results, corrections, releases and graded responses (0001, 0007_grading.sql). */
export class ResultsRepo {
  private readonly stmts;

  constructor(private readonly db: Db) {
    // Prepared once: grading a whole session runs these a thousand times in one transaction.
    this.stmts = {
      get: db.prepare<[number], ResultRow>('SELECT * FROM results WHERE registration_id = ?'),
      current: db.prepare<[number], CurrentRow>('SELECT * FROM current_results WHERE registration_id = ?'),
      insert: db.prepare(
        `INSERT INTO results (registration_id, score, max_score, passed, correct_count, paper_hash, answers_hash,
           grader_version, graded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      responses: db.prepare('INSERT OR REPLACE INTO graded_responses (registration_id, responses) VALUES (?, ?)'),
      // one JSON document per attempt instead of one parse per answer
      answers: db.prepare<[number], { json: string }>(
        `SELECT json_group_array(json_array(position, json(choice))) AS json
         FROM (SELECT position, choice FROM answers WHERE registration_id = ? ORDER BY position)`,
      ),
    };
  }

  /** The final answers of an attempt (latest per position), as grading and the archive read them. */
  finalAnswers(registrationId: number): { position: number; choice: number[] }[] {
    const json = this.stmts.answers.get(registrationId)?.json ?? '[]';
    return (JSON.parse(json) as [number, number[]][]).map(([position, choice]) => ({ position, choice }));
  }

  /** The original result as first written. */
  get(registrationId: number): ResultRecord | undefined {
    const r = this.stmts.get.get(registrationId);
    return r && toResult(r);
  }

  current(registrationId: number): CurrentResult | undefined {
    const r = this.stmts.current.get(registrationId);
    return r && toCurrent(r);
  }

  currentForSession(sessionId: number): CurrentResult[] {
    return this.db
      .prepare<[number], CurrentRow>(
        `SELECT cr.* FROM current_results cr JOIN registrations g ON g.id = cr.registration_id
         WHERE g.session_id = ? ORDER BY g.seat_no`,
      )
      .all(sessionId)
      .map(toCurrent);
  }

  /** Written once per attempt; a second write for the same attempt fails on the primary key. */
  insert(r: ResultRecord): void {
    this.stmts.insert.run(
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

  insertCorrection(c: Omit<CorrectionRecord, 'id'>): number {
    const info = this.db
      .prepare(
        `INSERT INTO result_corrections (registration_id, kind, old_score, old_passed, new_score, new_max_score,
           new_passed, new_correct_count, paper_hash, answers_hash, grader_version, reason, corrected_by, corrected_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        c.registrationId,
        c.kind,
        c.oldScore,
        c.oldPassed ? 1 : 0,
        c.newScore,
        c.newMaxScore,
        c.newPassed ? 1 : 0,
        c.newCorrectCount,
        c.paperHash,
        c.answersHash,
        c.graderVersion,
        c.reason,
        c.correctedBy,
        c.correctedAt,
      );
    return Number(info.lastInsertRowid);
  }

  corrections(registrationId: number): CorrectionRecord[] {
    return this.db
      .prepare<[number], Record<string, number | string>>(
        'SELECT * FROM result_corrections WHERE registration_id = ? ORDER BY id',
      )
      .all(registrationId)
      .map((r) => ({
        id: Number(r.id),
        registrationId: Number(r.registration_id),
        kind: r.kind as 'regrade' | 'cancel',
        oldScore: Number(r.old_score),
        oldPassed: r.old_passed === 1,
        newScore: Number(r.new_score),
        newMaxScore: Number(r.new_max_score),
        newPassed: r.new_passed === 1,
        newCorrectCount: Number(r.new_correct_count),
        paperHash: String(r.paper_hash),
        answersHash: String(r.answers_hash),
        graderVersion: String(r.grader_version),
        reason: String(r.reason),
        correctedBy: String(r.corrected_by),
        correctedAt: Number(r.corrected_at),
      }));
  }

  /** Per-question rows for item analysis; replaced as a whole when a regrade is recorded. */
  replaceResponses(registrationId: number, rows: GradedResponse[]): void {
    this.stmts.responses.run(registrationId, encodeResponses(rows));
  }

  released(sessionId: number): { releasedAt: number; releasedBy: string } | undefined {
    return this.db
      .prepare<[number], { releasedAt: number; releasedBy: string }>(
        'SELECT released_at AS releasedAt, released_by AS releasedBy FROM result_releases WHERE session_id = ?',
      )
      .get(sessionId);
  }

  insertRelease(sessionId: number, at: number, by: string): void {
    this.db
      .prepare('INSERT INTO result_releases (session_id, released_at, released_by) VALUES (?, ?, ?)')
      .run(sessionId, at, by);
  }

  /** Registrations of the session whose attempt is submitted, with whether a result exists yet. */
  submittedRegistrations(sessionId: number): { registrationId: number; graded: boolean }[] {
    return this.db
      .prepare<[number], { registrationId: number; graded: number }>(
        `SELECT g.id AS registrationId, (r.registration_id IS NOT NULL) AS graded
         FROM registrations g JOIN attempts a ON a.registration_id = g.id
         LEFT JOIN results r ON r.registration_id = g.id
         WHERE g.session_id = ? AND a.submitted_at IS NOT NULL ORDER BY g.id`,
      )
      .all(sessionId)
      .map((r) => ({ registrationId: r.registrationId, graded: r.graded === 1 }));
  }

  settings(): string | undefined {
    return this.db.prepare<[], { body: string }>('SELECT body FROM grading_settings WHERE id = 1').get()?.body;
  }

  saveSettings(body: string, by: string, at: number): void {
    this.db
      .prepare(
        `INSERT INTO grading_settings (id, body, updated_by, updated_at) VALUES (1, ?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET body = excluded.body, updated_by = excluded.updated_by, updated_at = excluded.updated_at`,
      )
      .run(body, by, at);
  }
}
