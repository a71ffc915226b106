import type { CandidateProfileInput } from './candidates.repo';
import { AppError } from '../shared/errors';

/**
 * Fields fixed once a session that registers the candidate is sealed (migration 0013 holds the same line in
 * SQLite): identity (name, ID number, photo) is what 人证核验 checks, and the employer and training record
 * are what 考培分离 and 回避 were checked against.
 */
const LOCKED_FIELDS = [
  'name',
  'idNumber',
  'photo',
  'employerOrgId',
  'trainingOrgId',
  'courseFrom',
  'courseTo',
] as const;

const FIELD_LABELS: Record<(typeof LOCKED_FIELDS)[number], string> = {
  name: '姓名',
  idNumber: '身份证号',
  photo: '照片',
  employerOrgId: '工作单位',
  trainingOrgId: '培训机构',
  courseFrom: '培训开始日期',
  courseTo: '培训结束日期',
};

export type LockingSession = { sessionId: number; code: string; state: string };

export function lockedFieldChanges(before: CandidateProfileInput, after: CandidateProfileInput): string[] {
  return LOCKED_FIELDS.filter((f) => (before[f] ?? null) !== (after[f] ?? null)).map((f) => FIELD_LABELS[f]);
}

/** Refuses a change to locked fields while any session past scheduling registers the candidate. */
export function assertCandidateChangeAllowed(
  candidateName: string,
  changed: string[],
  locking: LockingSession[],
  where = '',
): void {
  if (!changed.length || !locking.length) return;
  throw new AppError(
    'candidate-record-locked',
    `${where}考生「${candidateName}」已在场次 ${locking.map((s) => s.code).join('、')} 封卷或考试，` +
      `${changed.join('、')}不得再修改（如确有错误，请登记新考生并重新报名）`,
    409,
    { changed, sessions: locking },
  );
}
