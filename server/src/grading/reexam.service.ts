import type { Db } from '../db/open';
import { dayOf } from '../integrity/dates';
import { AppError } from '../shared/errors';
import { gradingSettingsSchema, type ReExamPolicy } from './grading-settings';
import { checkReExamEligibility, type ReExamViolation } from './reexam';
import { ReportsRepo } from './reports.repo';
import { ResultsRepo } from './results.repo';

/**
 * The registration hook for 补考 eligibility. Whoever registers a candidate for a session calls
 * `assertEligible(candidateId, category, scheduledStart)` inside the registering transaction, before inserting
 * the registration; it throws `reexam-not-eligible` (409) naming every broken rule in details.violations.
 */
export class ReExamService {
  private readonly repo: ReportsRepo;
  private readonly results: ResultsRepo;

  // Needs only the database, so the registration service can hold its own instance.
  constructor(db: Db) {
    this.repo = new ReportsRepo(db);
    this.results = new ResultsRepo(db);
  }

  policy(): ReExamPolicy {
    const body = this.results.settings();
    return gradingSettingsSchema.parse(body ? JSON.parse(body) : {}).reExam;
  }

  check(
    candidateId: number,
    category: string,
    scheduledStart: number,
    exceptRegistrationId?: number,
  ): ReExamViolation[] {
    const history = this.repo.history(candidateId, exceptRegistrationId);
    return checkReExamEligibility(history, this.policy(), dayOf(scheduledStart), category);
  }

  assertEligible(candidateId: number, category: string, scheduledStart: number): void {
    const violations = this.check(candidateId, category, scheduledStart);
    if (violations.length)
      throw new AppError(
        'reexam-not-eligible',
        `不符合补考条件：${violations.map((v) => `${v.rule}（${v.message}）`).join('；')}`,
        409,
        { violations },
      );
  }
}
