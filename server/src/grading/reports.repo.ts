import type { Db } from '../db/open';
import type { ExamHistoryEntry } from './reexam';
import type { ResponseRow, SessionOutcome } from './item-analysis';
import { dayOf } from '../integrity/dates';
import { decodeResponses } from './results.repo';

export type SheetStatus = 'passed' | 'failed' | 'cancelled' | 'absent' | 'pending';

/** One line of a score sheet or of the regulator's export. */
export type ResultLine = {
  registrationId: number;
  sessionId: number;
  sessionCode: string;
  sessionName: string;
  category: string;
  categoryName: string;
  examStart: number;
  seatNo: number;
  admissionNo: string;
  name: string;
  idNumber: string;
  trainingOrg: string | null;
  employer: string | null;
  submittedAt: number | null;
  score: number | null;
  maxScore: number | null;
  status: SheetStatus;
  correctionKind: 'regrade' | 'cancel' | null;
  paperHash: string | null;
  answersHash: string | null;
  graderVersion: string | null;
  gradedAt: number | null;
};

type LineRow = {
  registration_id: number;
  session_id: number;
  session_code: string;
  session_name: string;
  category: string;
  category_name: string;
  scheduled_start: number;
  session_state: string;
  seat_no: number;
  admission_no: string;
  name: string;
  id_number: string;
  training_org: string | null;
  employer: string | null;
  submitted_at: number | null;
  score: number | null;
  max_score: number | null;
  passed: number | null;
  correction_kind: 'regrade' | 'cancel' | null;
  paper_hash: string | null;
  answers_hash: string | null;
  grader_version: string | null;
  graded_at: number | null;
};

const OVER = ['closed', 'graded', 'archived'];

function statusOf(
  r: Pick<LineRow, 'score' | 'passed' | 'correction_kind' | 'submitted_at' | 'session_state'>,
): SheetStatus {
  if (r.correction_kind === 'cancel') return 'cancelled';
  if (r.score !== null) return r.passed === 1 ? 'passed' : 'failed';
  if (r.submitted_at === null && OVER.includes(r.session_state)) return 'absent';
  return 'pending';
}

// Training organisation: the organisation record (0003) when linked, else the free-text field of 0001.
const LINE_SELECT = `SELECT g.id AS registration_id, s.id AS session_id, s.code AS session_code, s.name AS session_name,
    s.category, cat.name AS category_name, s.scheduled_start, s.state AS session_state, g.seat_no, g.admission_no,
    c.name, c.id_number, coalesce(o.name, c.training_org) AS training_org, coalesce(e.name, c.employer) AS employer,
    a.submitted_at, cr.score, cr.max_score, cr.passed, cr.correction_kind, cr.paper_hash, cr.answers_hash,
    cr.grader_version, cr.graded_at
  FROM registrations g
  JOIN sessions s ON s.id = g.session_id
  JOIN categories cat ON cat.code = s.category
  JOIN candidates c ON c.id = g.candidate_id
  LEFT JOIN organisations o ON o.id = c.training_org_id
  LEFT JOIN organisations e ON e.id = c.employer_org_id
  LEFT JOIN attempts a ON a.registration_id = g.id
  LEFT JOIN current_results cr ON cr.registration_id = g.id`;

const toLine = (r: LineRow): ResultLine => ({
  registrationId: r.registration_id,
  sessionId: r.session_id,
  sessionCode: r.session_code,
  sessionName: r.session_name,
  category: r.category,
  categoryName: r.category_name,
  examStart: r.scheduled_start,
  seatNo: r.seat_no,
  admissionNo: r.admission_no,
  name: r.name,
  idNumber: r.id_number,
  trainingOrg: r.training_org,
  employer: r.employer,
  submittedAt: r.submitted_at,
  score: r.score,
  maxScore: r.max_score,
  status: statusOf(r),
  correctionKind: r.correction_kind,
  paperHash: r.paper_hash,
  answersHash: r.answers_hash,
  graderVersion: r.grader_version,
  gradedAt: r.graded_at,
});

/** Read-only SQL for score sheets, exports, item analysis and re-exam history. */
export class ReportsRepo {
  constructor(private readonly db: Db) {}

  sessionLines(sessionId: number): ResultLine[] {
    return this.db
      .prepare<[number], LineRow>(`${LINE_SELECT} WHERE g.session_id = ? ORDER BY g.seat_no`)
      .all(sessionId)
      .map(toLine);
  }

  line(registrationId: number): ResultLine | undefined {
    const r = this.db.prepare<[number], LineRow>(`${LINE_SELECT} WHERE g.id = ?`).get(registrationId);
    return r && toLine(r);
  }

  /** Every registration of sessions scheduled in [from, to) (ms), in session then seat order. */
  linesBetween(from: number, to: number): ResultLine[] {
    return this.db
      .prepare<[number, number], LineRow>(
        `${LINE_SELECT} WHERE s.scheduled_start >= ? AND s.scheduled_start < ? ORDER BY s.scheduled_start, s.id, g.seat_no`,
      )
      .all(from, to)
      .map(toLine);
  }

  /** Graded responses of a category's sessions in [from, to), cancelled results left out. */
  responses(category: string, from: number, to: number): ResponseRow[] {
    const rows = this.db
      .prepare<[string, number, number], { registration_id: number; score: number; responses: string }>(
        `SELECT gr.registration_id, cr.score, gr.responses
         FROM graded_responses gr
         JOIN current_results cr ON cr.registration_id = gr.registration_id
         JOIN registrations g ON g.id = gr.registration_id
         JOIN sessions s ON s.id = g.session_id
         WHERE s.category = ? AND s.scheduled_start >= ? AND s.scheduled_start < ? AND cr.correction_kind IS NOT 'cancel'`,
      )
      .all(category, from, to);
    const out: ResponseRow[] = [];
    for (const r of rows)
      for (const q of decodeResponses(r.responses))
        out.push({
          itemHash: q.itemHash,
          registrationId: r.registration_id,
          totalScore: r.score,
          points: q.points,
          correct: q.correct,
          chosen: q.chosen,
          optionCount: q.optionCount,
        });
    return out;
  }

  itemTexts(
    hashes: string[],
  ): Map<string, { stem: string; type: string; options: string[]; answer: number[]; knowledgePoint: string }> {
    const stmt = this.db.prepare<
      [string],
      { stem: string; type: string; options: string; answer: string; knowledge_point: string }
    >('SELECT stem, type, options, answer, knowledge_point FROM bank_items WHERE content_hash = ?');
    const out = new Map<
      string,
      { stem: string; type: string; options: string[]; answer: number[]; knowledgePoint: string }
    >();
    for (const h of hashes) {
      const r = stmt.get(h);
      if (r)
        out.set(h, {
          stem: r.stem,
          type: r.type,
          options: JSON.parse(r.options) as string[],
          answer: JSON.parse(r.answer) as number[],
          knowledgePoint: r.knowledge_point,
        });
    }
    return out;
  }

  /** Candidates and passes per session and group (category, or training organisation), graded results only. */
  outcomes(by: 'category' | 'training-org', from: number, to: number, category?: string): SessionOutcome[] {
    const group = by === 'category' ? 's.category' : "coalesce(o.name, c.training_org, '（无培训机构）')";
    return this.db
      .prepare<[number, number, string | null, string | null], SessionOutcome>(
        `SELECT s.id AS sessionId, s.code AS sessionCode, s.scheduled_start AS at, ${group} AS "group",
           count(*) AS candidates, sum(CASE WHEN cr.passed = 1 THEN 1 ELSE 0 END) AS passed
         FROM current_results cr
         JOIN registrations g ON g.id = cr.registration_id
         JOIN sessions s ON s.id = g.session_id
         JOIN candidates c ON c.id = g.candidate_id
         LEFT JOIN organisations o ON o.id = c.training_org_id
         WHERE s.scheduled_start >= ? AND s.scheduled_start < ? AND (? IS NULL OR s.category = ?)
           AND cr.correction_kind IS NOT 'cancel'
         GROUP BY s.id, "group"`,
      )
      .all(from, to, category ?? null, category ?? null);
  }

  scores(from: number, to: number, category?: string, sessionId?: number): number[] {
    return this.db
      .prepare<[number, number, string | null, string | null, number | null, number | null], { score: number }>(
        `SELECT cr.score FROM current_results cr JOIN registrations g ON g.id = cr.registration_id
         JOIN sessions s ON s.id = g.session_id
         WHERE s.scheduled_start >= ? AND s.scheduled_start < ? AND (? IS NULL OR s.category = ?)
           AND (? IS NULL OR s.id = ?) AND cr.correction_kind IS NOT 'cancel'`,
      )
      .all(from, to, category ?? null, category ?? null, sessionId ?? null, sessionId ?? null)
      .map((r) => r.score);
  }

  /** A candidate's registrations as re-exam history (excluding `exceptRegistrationId`, e.g. the one being made). */
  history(candidateId: number, exceptRegistrationId?: number): ExamHistoryEntry[] {
    return this.db
      .prepare<[number, number], LineRow>(
        `${LINE_SELECT} WHERE g.candidate_id = ? AND g.id <> ? ORDER BY s.scheduled_start`,
      )
      .all(candidateId, exceptRegistrationId ?? -1)
      .map((r) => {
        const status = statusOf(r);
        return {
          registrationId: r.registration_id,
          category: r.category,
          date: dayOf(r.scheduled_start),
          outcome: status === 'cancelled' ? 'failed' : status,
        };
      });
  }
}
