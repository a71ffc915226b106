import type { Db } from '../db/open';
import type { CandidateView } from '../protocol';
import type { LockingSession } from './candidate-lock';

export type CandidateRecord = {
  id: number;
  name: string;
  idNumber: string;
  employer: string | null;
  trainingOrg: string | null;
  photo: string | null;
};

type CandidateRow = {
  id: number;
  name: string;
  id_number: string;
  employer: string | null;
  training_org: string | null;
  photo: string | null;
};

const toCandidate = (r: CandidateRow): CandidateRecord => ({
  id: r.id,
  name: r.name,
  idNumber: r.id_number,
  employer: r.employer,
  trainingOrg: r.training_org,
  photo: r.photo,
});

export class CandidatesRepo {
  constructor(private readonly db: Db) {}

  byId(id: number): CandidateRecord | undefined {
    const row = this.db.prepare<[number], CandidateRow>('SELECT * FROM candidates WHERE id = ?').get(id);
    return row && toCandidate(row);
  }

  insert(c: Omit<CandidateRecord, 'id'>, now: number): number {
    const info = this.db
      .prepare(
        'INSERT INTO candidates (name, id_number, employer, training_org, photo, created_at) VALUES (?, ?, ?, ?, ?, ?)',
      )
      .run(c.name, c.idNumber, c.employer, c.trainingOrg, c.photo, now);
    return Number(info.lastInsertRowid);
  }
}

/** The full registry record (issue 5): organisations as references, course dates, applied category. */
export type CandidateProfile = {
  id: number;
  name: string;
  idNumber: string;
  employerOrgId: number | null;
  employerName: string | null;
  trainingOrgId: number | null;
  trainingOrgName: string | null;
  courseFrom: string | null;
  courseTo: string | null;
  appliedCategory: string | null;
  photo: string | null;
};

export type CandidateProfileInput = Omit<CandidateProfile, 'id' | 'employerName' | 'trainingOrgName'>;

const PROFILE_SELECT = `SELECT c.id, c.name, c.id_number AS idNumber, c.employer_org_id AS employerOrgId,
  coalesce(e.name, c.employer) AS employerName, c.training_org_id AS trainingOrgId,
  coalesce(t.name, c.training_org) AS trainingOrgName, c.course_from AS courseFrom, c.course_to AS courseTo,
  c.applied_category AS appliedCategory, c.photo
  FROM candidates c LEFT JOIN organisations e ON e.id = c.employer_org_id
  LEFT JOIN organisations t ON t.id = c.training_org_id`;

/** Registry queries over the columns added in 0003; the skeleton's CandidatesRepo keeps its own shape. */
export class CandidateProfilesRepo {
  constructor(private readonly db: Db) {}

  get(id: number): CandidateProfile | undefined {
    return this.db.prepare<[number], CandidateProfile>(`${PROFILE_SELECT} WHERE c.id = ?`).get(id);
  }

  byIdNumber(idNumber: string): CandidateProfile | undefined {
    return this.db.prepare<[string], CandidateProfile>(`${PROFILE_SELECT} WHERE c.id_number = ?`).get(idNumber);
  }

  byIds(ids: readonly number[]): CandidateProfile[] {
    return this.db
      .prepare<[string], CandidateProfile>(`${PROFILE_SELECT} WHERE c.id IN (SELECT value FROM json_each(?))`)
      .all(JSON.stringify(ids));
  }

  /** Search by name or ID number; newest first. Photos are left out of lists (only whether there is one). */
  list(q: string, limit: number, offset: number): { total: number; rows: CandidateView[] } {
    const like = `%${q.replace(/[%_\\]/g, (m) => `\\${m}`)}%`;
    const where = q ? `WHERE c.name LIKE ? ESCAPE '\\' OR c.id_number LIKE ? ESCAPE '\\'` : '';
    const args = q ? [like, like] : [];
    const total = (this.db.prepare(`SELECT count(*) AS n FROM candidates c ${where}`).get(...args) as { n: number }).n;
    const rows = this.db
      .prepare<unknown[], CandidateProfile>(`${PROFILE_SELECT} ${where} ORDER BY c.id DESC LIMIT ? OFFSET ?`)
      .all(...args, limit, offset);
    return { total, rows: rows.map(({ photo, ...r }) => ({ ...r, hasPhoto: photo !== null })) };
  }

  insert(c: CandidateProfileInput, now: number): number {
    return Number(
      this.db
        .prepare(
          `INSERT INTO candidates (name, id_number, employer_org_id, training_org_id, course_from, course_to, applied_category,
             photo, employer, training_org, created_at, updated_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, (SELECT name FROM organisations WHERE id = ?), (SELECT name FROM organisations WHERE id = ?), ?, ?)`,
        )
        .run(
          c.name,
          c.idNumber,
          c.employerOrgId,
          c.trainingOrgId,
          c.courseFrom,
          c.courseTo,
          c.appliedCategory,
          c.photo,
          c.employerOrgId,
          c.trainingOrgId,
          now,
          now,
        ).lastInsertRowid,
    );
  }

  /** Keeps the skeleton's text columns in step so older readers still show the organisation names. */
  update(id: number, c: CandidateProfileInput, now: number): void {
    this.db
      .prepare(
        `UPDATE candidates SET name = ?, id_number = ?, employer_org_id = ?, training_org_id = ?, course_from = ?, course_to = ?,
           applied_category = ?, photo = ?, employer = (SELECT name FROM organisations WHERE id = ?),
           training_org = (SELECT name FROM organisations WHERE id = ?), updated_at = ? WHERE id = ?`,
      )
      .run(
        c.name,
        c.idNumber,
        c.employerOrgId,
        c.trainingOrgId,
        c.courseFrom,
        c.courseTo,
        c.appliedCategory,
        c.photo,
        c.employerOrgId,
        c.trainingOrgId,
        now,
        id,
      );
  }

  /** Sessions past scheduling that register the candidate: their record is then fixed (candidate-lock.ts). */
  lockingSessions(candidateId: number): LockingSession[] {
    return this.db
      .prepare<[number], LockingSession>(
        `SELECT s.id AS sessionId, s.code, s.state FROM registrations r JOIN sessions s ON s.id = r.session_id
         WHERE r.candidate_id = ? AND s.state NOT IN ('draft', 'scheduled') ORDER BY s.id`,
      )
      .all(candidateId);
  }
}
