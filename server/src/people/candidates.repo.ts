import type { Db } from '../db/open';

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
