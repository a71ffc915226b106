import type { Db } from '../../db/open';
import { defaultGradingSettings, type ReExamPolicy } from '../../grading/grading-settings';
import { checkReExamEligibility, type ExamHistoryEntry } from '../../grading/reexam';
import { addYears } from '../../integrity/dates';
import type { FindingEnd, FindingKind } from '../../protocol';
import { FindingsRepo, type BanRow, type DutyRef, type SittingRef } from './findings.repo';
import { TrainersRepo, type EngagementRef } from './trainers.repo';

// Checks no single centre can make (issue 14, point 6). Each finding names the record at both ends.

/**
 * 考培分离 across institutions: staff at one centre and candidate at another within this many years; also how long
 * after a declared training engagement ends its trainees may not be staffed by the trainer.
 */
export const STAFF_CANDIDATE_LOOKBACK_YEARS = 3;
const ORG_FINDINGS_PER_BAN = 1000;

const candidateEnd = (s: SittingRef): FindingEnd => ({
  role: 'candidate',
  centre: { code: s.centre_code, name: s.centre_name },
  sessionCode: s.session_code,
  date: s.exam_date,
  idNumber: s.id_number,
  creditCode: s.training_org_credit,
  name: s.name,
  detail:
    `${s.category}` +
    (s.passed === null ? '' : ` ${s.passed ? 'passed' : 'failed'} ${s.score ?? ''}`) +
    (s.training_org_name ? ` · ${s.training_org_name}` : ''),
});
const staffEnd = (d: DutyRef): FindingEnd => ({
  role: 'staff',
  centre: { code: d.centre_code, name: d.centre_name },
  sessionCode: d.session_code,
  date: d.exam_date,
  idNumber: d.id_number,
  creditCode: null,
  name: d.name,
  detail: d.duty,
});
const banEnd = (b: BanRow): FindingEnd => ({
  role: 'ban',
  centre: null,
  sessionCode: null,
  date: b.decision_date,
  idNumber: b.kind === 'person' ? b.subject : null,
  creditCode: b.kind === 'organisation' ? b.subject : null,
  name: b.name,
  detail: `${b.authority} ${b.document_no}${b.barred_until ? ` (until ${b.barred_until})` : ''}`,
});

const trainerEnd = (e: EngagementRef): FindingEnd => ({
  role: 'trainer',
  centre: { code: e.centre_code, name: e.centre_name },
  sessionCode: null,
  date: e.from_date,
  idNumber: e.id_number,
  creditCode: e.org_credit,
  name: e.name,
  detail: `${e.org_name} ${e.from_date}—${e.to_date ?? '至今'}`,
});

type Record = (kind: FindingKind, key: string, summary: string, a: FindingEnd, b: FindingEnd) => void;

/** Re-checks everyone named (after a notice or an archive). Idempotent: a finding already recorded is not repeated. */
export function checkPeople(
  db: Db,
  idNumbers: readonly string[],
  at: number,
  policy: ReExamPolicy = defaultGradingSettings().reExam,
): void {
  const repo = new FindingsRepo(db);
  const trainers = new TrainersRepo(db);
  const record: Record = (kind, key, summary, a, b) => repo.insertFinding({ kind, key, summary, a, b, at });
  for (const idNumber of new Set(idNumbers)) {
    const sittings = repo.sittingsOf(idNumber);
    const duties = repo.dutiesOf(idNumber);
    overlapping(sittings, record);
    staffAndCandidate(sittings, duties, record);
    staffAndTrainer(trainers, trainers.engagementsOf(idNumber), duties, record);
    reExamTooSoon(sittings, policy, record);
    for (const ban of repo.personBansOf(idNumber)) barredPerson(ban, sittings, duties, record);
  }
}

/** Every ban in force against everything indexed (a ban recorded after the records it concerns). */
export function checkBans(db: Db, at: number): void {
  const repo = new FindingsRepo(db);
  const record: Record = (kind, key, summary, a, b) => repo.insertFinding({ kind, key, summary, a, b, at });
  for (const ban of repo.bansInForce()) {
    if (ban.kind === 'person') barredPerson(ban, repo.sittingsOf(ban.subject), repo.dutiesOf(ban.subject), record);
    else
      for (const s of repo.sittingsOfOrganisation(
        ban.subject,
        ban.decision_date,
        ban.barred_until ?? '9999-12-31',
        ORG_FINDINGS_PER_BAN,
      ))
        record(
          'barred-appearance',
          `barred-org:${ban.id}:${ban.subject}:sitting:${s.id}:${s.id_number}`,
          `失信机构 ${ban.name} 培训的考生 ${s.name} 在 ${s.centre_name} 参加考试 / candidate trained by barred organisation`,
          banEnd(ban),
          candidateEnd(s),
        );
  }
}

function overlapping(sittings: SittingRef[], record: Record): void {
  for (let i = 0; i < sittings.length; i++)
    for (let j = i + 1; j < sittings.length; j++) {
      const a = sittings[i] as SittingRef;
      const b = sittings[j] as SittingRef;
      if (a.centre_id === b.centre_id) continue; // one centre's own rule catches its own overlaps
      if (a.scheduled_start < b.scheduled_end && b.scheduled_start < a.scheduled_end)
        record(
          'overlapping-sessions',
          `overlap:${a.id_number}:${Math.min(a.id, b.id)}:${Math.max(a.id, b.id)}`,
          `同一身份证号 ${a.id_number} 在 ${a.centre_name} 与 ${b.centre_name} 报名时间重叠的场次 / same ID number in overlapping sessions at two centres`,
          candidateEnd(a),
          candidateEnd(b),
        );
    }
}

function staffAndCandidate(sittings: SittingRef[], duties: DutyRef[], record: Record): void {
  for (const d of duties)
    for (const s of sittings) {
      if (s.centre_id === d.centre_id) continue;
      const lo = addYears(d.exam_date, -STAFF_CANDIDATE_LOOKBACK_YEARS);
      const hi = addYears(d.exam_date, STAFF_CANDIDATE_LOOKBACK_YEARS);
      if (s.exam_date < lo || s.exam_date > hi) continue;
      record(
        'staff-and-candidate',
        `staff-candidate:${d.id_number}:${d.centre_code}:${d.session_code}:${d.duty}:sitting:${s.id}`,
        `${d.name} 在 ${d.centre_name} 任 ${d.duty}，又在 ${s.centre_name} 作为考生 / staff at one centre and candidate at another (考培分离)`,
        staffEnd(d),
        candidateEnd(s),
      );
    }
}

/**
 * 考培分离 across institutions, the trainer end: P declared at centre X teaching at training organisation T, and is
 * on duty at centre Y in a session where T trained candidates. X cannot see Y's candidates and Y has no
 * declaration, so neither centre's own rule (integrity/rules/training-separation.ts) can refuse it. Only Y ≠ X:
 * X's own rule covers X's sessions. The window is that rule's: the engagement overlaps [duty date − look-back,
 * duty date].
 */
function staffAndTrainer(
  trainers: TrainersRepo,
  engagements: EngagementRef[],
  duties: DutyRef[],
  record: Record,
): void {
  for (const e of engagements)
    for (const d of duties) {
      if (d.centre_id === e.centre_id) continue;
      const cutoff = addYears(d.exam_date, -STAFF_CANDIDATE_LOOKBACK_YEARS);
      if (e.from_date > d.exam_date || (e.to_date !== null && e.to_date < cutoff)) continue;
      const trained = trainers.trainedBy(d.centre_id, d.session_code, { name: e.org_name, credit: e.org_credit });
      if (!trained.length) continue;
      const names =
        trained
          .slice(0, 5)
          .map((s) => s.name)
          .join('、') + (trained.length > 5 ? ` 等 ${trained.length} 名` : '');
      record(
        'staff-and-trainer',
        `staff-trainer:${e.id_number}:${e.centre_code}:${e.org_credit ?? e.org_name}:${e.from_date}:duty:${d.centre_code}:${d.session_code}:${d.duty}`,
        `${d.name} 在 ${e.centre_name} 申报 ${e.from_date}—${e.to_date ?? '至今'} 在 ${e.org_name} 任培训，又在 ${d.centre_name} 场次 ${d.session_code} 任 ${d.duty}，该场考生 ${names} 由该机构培训 / declared trainer at another centre, on duty for that organisation's trainees (考培分离)`,
        trainerEnd(e),
        staffEnd(d),
      );
    }
}

function barredPerson(ban: BanRow, sittings: SittingRef[], duties: DutyRef[], record: Record): void {
  // A disciplinary record is permanent: anything on or after its decision date is an appearance.
  for (const s of sittings)
    if (s.exam_date >= ban.decision_date)
      record(
        'barred-appearance',
        `barred-person:${ban.id}:${ban.subject}:sitting:${s.id}`,
        `受处分人员 ${ban.name} 在 ${s.centre_name} 参加考试 / barred person sits an exam`,
        banEnd(ban),
        candidateEnd(s),
      );
  for (const d of duties)
    if (d.exam_date >= ban.decision_date)
      record(
        'barred-appearance',
        `barred-person:${ban.id}:${ban.subject}:duty:${d.centre_code}:${d.session_code}:${d.duty}`,
        `受处分人员 ${ban.name} 在 ${d.centre_name} 担任 ${d.duty} / barred person on duty`,
        banEnd(ban),
        staffEnd(d),
      );
}

/**
 * 补考 across centres: each sitting is judged by the same rule a centre applies at registration
 * (grading/reexam.ts) over the person's history at every centre; found when the earlier failed attempt the
 * rule counts was at another centre (a centre sees only its own history, so it could not refuse).
 */
function reExamTooSoon(sittings: SittingRef[], policy: ReExamPolicy, record: Record): void {
  const outcome = (s: SittingRef): ExamHistoryEntry['outcome'] | null =>
    s.passed === 1 ? 'passed' : s.passed === 0 ? 'failed' : s.archive_id !== null ? 'absent' : null;
  for (const later of sittings) {
    const earlier = sittings.filter(
      (s) =>
        s.id !== later.id &&
        s.category === later.category &&
        (s.exam_date < later.exam_date ||
          (s.exam_date === later.exam_date && s.scheduled_start < later.scheduled_start)),
    );
    const history: ExamHistoryEntry[] = [];
    for (const s of earlier) {
      const o = outcome(s);
      if (o) history.push({ registrationId: s.id, category: s.category, date: s.exam_date, outcome: o });
    }
    const violations = checkReExamEligibility(history, policy, later.exam_date, later.category);
    if (!violations.length) continue;
    const failedElsewhere = earlier
      .filter((s) => s.centre_id !== later.centre_id && (s.passed === 0 || outcome(s) === 'absent'))
      .at(-1);
    if (!failedElsewhere) continue;
    record(
      'reexam-too-soon',
      `reexam:${later.id_number}:${failedElsewhere.id}:${later.id}`,
      `${later.name} 在 ${failedElsewhere.centre_name} 未通过后在 ${later.centre_name} 补考，违反补考规则（${violations
        .map((v) => v.rule)
        .join(', ')}） / re-sat at another centre inside the re-exam rule`,
      candidateEnd(failedElsewhere),
      candidateEnd(later),
    );
  }
}
