import { addDays, type Day } from '../integrity/dates';
import type { ReExamPolicy } from './grading-settings';

/** One earlier registration of the candidate (any category); dates are exam days in China Standard Time. */
export type ExamHistoryEntry = {
  registrationId: number;
  category: string;
  date: Day;
  // passed / failed: a current result exists; absent: no attempt was submitted and the session is over;
  // pending: registered for a session that has not been graded yet.
  outcome: 'passed' | 'failed' | 'absent' | 'pending';
};

export type ReExamRule =
  | 'result-pending'
  | 'not-same-day'
  | 'category-without-reexam'
  | 'no-reexam-after-absence'
  | 'max-reexams-used'
  | 'reexam-window-expired';

export type ReExamViolation = { rule: ReExamRule; message: string; details: Record<string, unknown> };

/**
 * Whether registering `category` on `date` is allowed under the 补考 policy (domain.md, exam structure
 * [analogy]). The current cycle is the category's attempts after its latest pass: with no attempt in it the
 * registration is a first exam and always allowed; otherwise it is a re-exam of the cycle's first attempt.
 * Returns every rule broken (empty = eligible), each with the rule's name for the refusal.
 */
export function checkReExamEligibility(
  history: readonly ExamHistoryEntry[],
  policy: ReExamPolicy,
  date: Day,
  category: string,
): ReExamViolation[] {
  const ofCategory = history
    .filter((h) => h.category === category)
    .sort((a, b) => (a.date === b.date ? a.registrationId - b.registrationId : a.date < b.date ? -1 : 1));
  const violations: ReExamViolation[] = [];

  const pending = ofCategory.filter((h) => h.outcome === 'pending');
  if (pending.length)
    violations.push({
      rule: 'result-pending',
      message: `该考生已报名 ${category} 考试且尚无成绩 / an earlier ${category} exam has no result yet`,
      details: { registrationIds: pending.map((h) => h.registrationId) },
    });

  if (policy.notSameDay) {
    const sameDay = ofCategory.filter((h) => h.date === date);
    if (sameDay.length)
      violations.push({
        rule: 'not-same-day',
        message: `补考不得与原考试同一天（${date}） / not on the same day as an earlier ${category} exam`,
        details: { date, registrationIds: sameDay.map((h) => h.registrationId) },
      });
  }

  const lastPass = ofCategory.map((h) => h.outcome).lastIndexOf('passed');
  const cycle = ofCategory.slice(lastPass + 1).filter((h) => h.outcome !== 'pending');
  const first = cycle[0];
  if (!first) return violations; // a first exam, not a re-exam

  if (policy.categoriesWithoutReExam.includes(category))
    violations.push({
      rule: 'category-without-reexam',
      message: `本省 ${category} 项目不设补考 / no re-exam for category ${category}`,
      details: { category },
    });
  if (policy.noReExamAfterAbsence && first.outcome === 'absent')
    violations.push({
      rule: 'no-reexam-after-absence',
      message: '缺考者不予补考，须重新申请 / no re-exam after a missed exam: apply again',
      details: { registrationId: first.registrationId, date: first.date },
    });
  const used = cycle.length - 1;
  if (used >= policy.maxReExams)
    violations.push({
      rule: 'max-reexams-used',
      message: `补考次数已用完（${used}/${policy.maxReExams}） / re-exams used up`,
      details: { used, max: policy.maxReExams },
    });
  const lastDay = addDays(first.date, policy.withinDays);
  if (date > lastDay)
    violations.push({
      rule: 'reexam-window-expired',
      message: `补考须在 ${lastDay} 前 / re-exam only until ${lastDay}`,
      details: { firstExam: first.date, lastDay, withinDays: policy.withinDays },
    });
  return violations;
}
