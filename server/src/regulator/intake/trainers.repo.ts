import type { Db } from '../../db/open';
import { cachedStatement } from '../../db/statements';
import type { NoticeTrainingEngagement } from '../../protocol';
import { SITTING, type SittingRef } from './findings.repo';

// SQL of where people declared teaching (0003_regulator_trainers.sql), for 考培分离 across centres.

/** One declared engagement with the centre that told it. */
export type EngagementRef = {
  id_number: string;
  name: string;
  org_name: string;
  org_credit: string | null;
  from_date: string;
  to_date: string | null;
  centre_id: number;
  centre_code: string;
  centre_name: string;
};

/** Credit codes are compared as the regulator writes them: upper case, blank meaning unknown. */
export const normalCredit = (code: string | null | undefined): string | null => code?.trim().toUpperCase() || null;

export class TrainersRepo {
  constructor(private readonly db: Db) {}

  /** The centre's latest word on this person replaces what it said before (the declaration in force). */
  replaceEngagements(
    centreId: number,
    person: { idNumber: string; name: string },
    engagements: readonly NoticeTrainingEngagement[],
    at: number,
  ): void {
    cachedStatement(this.db, 'DELETE FROM reg_training_engagements WHERE centre_id = ? AND id_number = ?').run(
      centreId,
      person.idNumber,
    );
    const insert = cachedStatement(
      this.db,
      `INSERT INTO reg_training_engagements (centre_id, id_number, name, org_name, org_credit, from_date, to_date, told_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    for (const e of engagements)
      insert.run(
        centreId,
        person.idNumber,
        person.name,
        e.org.name.trim(),
        normalCredit(e.org.creditCode),
        e.from,
        e.to,
        at,
      );
  }

  engagementsOf(idNumber: string): EngagementRef[] {
    return cachedStatement<[string], EngagementRef>(
      this.db,
      `SELECT e.id_number, e.name, e.org_name, e.org_credit, e.from_date, e.to_date, c.id AS centre_id,
         c.code AS centre_code, c.name AS centre_name
       FROM reg_training_engagements e JOIN reg_centres c ON c.id = e.centre_id
       WHERE e.id_number = ? ORDER BY e.id`,
    ).all(idNumber);
  }

  /**
   * The candidates of one session trained by the organisation: by credit code when both ends have one (names
   * are spelt many ways), else by the exact name.
   */
  trainedBy(centreId: number, sessionCode: string, org: { name: string; credit: string | null }): SittingRef[] {
    return cachedStatement<[{ centre: number; code: string; name: string; credit: string | null }], SittingRef>(
      this.db,
      `${SITTING} WHERE ses.centre_id = @centre AND ses.session_code = @code
         AND CASE WHEN @credit IS NOT NULL AND NULLIF(trim(s.training_org_credit), '') IS NOT NULL
                  THEN upper(trim(s.training_org_credit)) = @credit
                  ELSE trim(s.training_org_name) = @name END
       ORDER BY s.id`,
    ).all({ centre: centreId, code: sessionCode, name: org.name, credit: org.credit });
  }
}
