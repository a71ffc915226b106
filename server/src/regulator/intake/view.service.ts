import { join } from 'node:path';
import type { Db } from '../../db/open';
import { defaultGradingSettings } from '../../grading/grading-settings';
import { passRateChanges, type SessionOutcome } from '../../grading/item-analysis';
import type {
  ArchiveCheck,
  ArchiveGap,
  FindingEnd,
  FindingKind,
  MissingArchiveRow,
  OpenCaseInput,
  RegulatorArchiveReport,
  RegulatorArchiveSummary,
  RegulatorCase,
  RegulatorFinding,
  RegulatorPassRates,
  RegulatorPersonDetail,
  RegulatorSearchQuery,
  RegulatorSearchResult,
  RegulatorSearchRow,
  RegulatorSessionDetail,
} from '../../protocol';
import { AppError } from '../../shared/errors';
import { checkBans } from './checks.service';
import { FindingsRepo, type FindingRow } from './findings.repo';
import { IntakeRepo, type ArchiveRow } from './intake.repo';
import { ViewRepo, type SearchRowDb } from './view.repo';

const DAY_MS = 86_400_000;
const notFound = (what: string) => new AppError('not-found', `${what} not found`, 404);

const toRow = (r: SearchRowDb): RegulatorSearchRow => ({
  centre: { code: r.centre_code, name: r.centre_name },
  sessionCode: r.session_code,
  category: r.category,
  date: r.exam_date,
  idNumber: r.id_number,
  name: r.name,
  trainingOrg: r.training_org_name ? { name: r.training_org_name, creditCode: r.training_org_credit } : null,
  score: r.score,
  maxScore: r.max_score,
  passed: r.passed === null ? null : r.passed === 1,
  archiveStatus: (r.archive_status as RegulatorSearchRow['archiveStatus'] | null) ?? 'none',
  archiveId: r.archive_id,
});

/** Search across every centre. At least one filter: an empty search would list a province's whole history. */
export function search(db: Db, q: RegulatorSearchQuery): RegulatorSearchResult {
  const { limit = 200, ...filter } = q;
  if (!Object.values(filter).some((v) => v !== undefined))
    throw new AppError('search-needs-filter', '请至少输入一个查询条件 / give at least one search filter');
  const rows = new ViewRepo(db).search(filter, limit + 1);
  return { rows: rows.slice(0, limit).map(toRow), truncated: rows.length > limit };
}

const findingOf = (f: FindingRow): RegulatorFinding => ({
  id: f.id,
  kind: f.kind as FindingKind,
  key: f.key,
  summary: f.summary,
  a: JSON.parse(f.a_json) as FindingEnd,
  b: JSON.parse(f.b_json) as FindingEnd,
  foundAt: f.found_at,
  caseId: f.case_id,
});

export function person(db: Db, idNumber: string): RegulatorPersonDetail {
  const view = new ViewRepo(db);
  const findings = new FindingsRepo(db);
  const names = view.personNames(idNumber);
  const bans = findings.personBansOf(idNumber);
  if (!names.length && !bans.length) throw notFound('person');
  return {
    idNumber,
    names,
    sittings: view.search({ idNumber }, 1000).map(toRow),
    duties: findings.dutiesOf(idNumber).map((d) => ({
      centre: { code: d.centre_code, name: d.centre_name },
      sessionCode: d.session_code,
      date: d.exam_date,
      duty: d.duty,
    })),
    findings: findings.findings({ idNumber, limit: 200 }).map(findingOf),
    bans: bans.map((b) => ({
      kind: 'person' as const,
      reason: b.reason ?? '',
      decisionDate: b.decision_date,
      authority: b.authority,
      documentNo: b.document_no,
    })),
  };
}

const summaryOf = (a: ArchiveRow): RegulatorArchiveSummary => ({
  id: a.id,
  sessionCode: a.session_code,
  status: a.status,
  receivedAt: a.received_at,
  via: a.via,
  sha256: a.sha256,
});

export function sessionDetail(db: Db, centreCode: string, sessionCode: string): RegulatorSessionDetail {
  const repo = new IntakeRepo(db);
  const view = new ViewRepo(db);
  const centre = repo.centreByCode(centreCode);
  const s = centre && repo.session(centre.id, sessionCode);
  if (!centre || !s) throw notFound('session');
  return {
    centre: { code: centre.code, name: centre.name },
    sessionCode: s.session_code,
    name: s.name,
    category: s.category,
    state: s.state,
    scheduledStart: s.scheduled_start,
    scheduledEnd: s.scheduled_end,
    lastNoticeAt: s.last_notice_at,
    sittings: view.sittingsOfSession(s.id).map(toRow),
    staff: view.staffOfSession(s.id).map((x) => ({ idNumber: x.id_number, name: x.name, duty: x.duty })),
    anomalies: view.anomaliesOfSession(s.id).map((a) => ({
      source: a.source,
      kind: a.kind,
      idNumber: a.id_number,
      name: a.name,
      detail: a.detail,
      at: a.at,
    })),
    archives: repo.archivesOfSession(s.id).map(summaryOf),
    staleListExceptions: view.staleExceptionsOf(centre.id, s.session_code).map((x) => ({
      reason: x.reason,
      recordedBy: x.recorded_by,
      listVersion: x.list_version,
      listAsOf: x.list_as_of,
      receivedAt: x.received_at,
    })),
  };
}

export function archiveReport(db: Db, id: number): RegulatorArchiveReport {
  const repo = new IntakeRepo(db);
  const a = repo.archive(id);
  const centre = a && repo.centre(a.centre_id);
  if (!a || !centre) throw notFound('archive');
  const report = JSON.parse(a.report_json) as { checks: ArchiveCheck[]; failures: string[]; gaps: ArchiveGap[] };
  return {
    ...summaryOf(a),
    centre: { code: centre.code, name: centre.name },
    fileName: a.file_name,
    size: a.size,
    ...report,
    verifiedWithFingerprint: a.verified_fingerprint,
    pinnedFingerprint: centre.fingerprint,
    embeddedKeyFingerprint: a.embedded_fingerprint,
    embeddedKeyMatchesPin: a.embedded_matches_pin === 1,
    sha256MatchesMessage: a.sha256_matches_message === 1,
  };
}

/** The stored file of an archive, for download (absolute path under <regdata>). */
export function archiveFile(db: Db, regDataDir: string | undefined, id: number): { path: string; name: string } {
  const a = new IntakeRepo(db).archive(id);
  if (!a) throw notFound('archive');
  if (!regDataDir || !a.stored_path) throw new AppError('archive-not-stored', 'archive file not stored', 404);
  return { path: join(regDataDir, a.stored_path), name: a.stored_path.split(/[\\/]/).at(-1) ?? 'archive.zip' };
}

/** Findings, after checking every ban in force against the index (a ban may postdate what it concerns). */
export function findings(db: Db, now: number, filter: { kind?: FindingKind; idNumber?: string }): RegulatorFinding[] {
  db.transaction(() => checkBans(db, now))();
  return new FindingsRepo(db).findings({ ...filter, limit: 1000 }).map(findingOf);
}

const caseOf = (k: ReturnType<FindingsRepo['cases']>[number]): RegulatorCase => ({
  id: k.id,
  findingId: k.finding_id,
  kind: k.kind as FindingKind,
  problem: k.summary,
  measure: k.measure,
  responsible: k.responsible,
  deadline: k.deadline,
  note: k.note,
  a: JSON.parse(k.a_json) as FindingEnd,
  b: JSON.parse(k.b_json) as FindingEnd,
  openedBy: k.opened_by,
  openedAt: k.opened_at,
  status: 'open',
});

/** A finding becomes a ledger case (整改台账); one case per finding. */
export function openCase(db: Db, findingId: number, input: OpenCaseInput, actor: string, now: number): RegulatorCase {
  const repo = new FindingsRepo(db);
  return db.transaction(() => {
    const f = repo.finding(findingId);
    if (!f) throw notFound('finding');
    if (f.case_id !== null) throw new AppError('case-exists', `finding ${findingId} is already case ${f.case_id}`, 409);
    const id = repo.insertCase({
      finding_id: findingId,
      measure: input.measure,
      responsible: input.responsible,
      deadline: input.deadline,
      note: input.note ?? null,
      opened_by: actor,
      opened_at: now,
    });
    return caseOf(repo.cases().find((k) => k.id === id) as ReturnType<FindingsRepo['cases']>[number]);
  })();
}

export const cases = (db: Db): RegulatorCase[] => new FindingsRepo(db).cases().map(caseOf);

/** Calendar quarter of an exam day: the period pass rates are compared over. */
const quarterOf = (day: string) => `${day.slice(0, 4)}-Q${Math.floor((Number(day.slice(5, 7)) - 1) / 3) + 1}`;

/** Pass rates per group and quarter, each flagged by the item analysis test against the group's earlier quarters. */
export function passRates(db: Db, by: 'centre' | 'training-org'): RegulatorPassRates {
  const periods = new Map<string, SessionOutcome & { name: string }>();
  for (const r of new ViewRepo(db).outcomes(by)) {
    const period = quarterOf(r.exam_date);
    const key = `${r.group_key}\u0000${period}`;
    const p = periods.get(key);
    if (p) {
      p.candidates += r.sat;
      p.passed += r.passed;
    } else
      periods.set(key, {
        sessionId: periods.size + 1,
        sessionCode: period,
        at: Date.parse(`${period.slice(0, 4)}-${String((Number(period.slice(6)) - 1) * 3 + 1).padStart(2, '0')}-01`),
        group: r.group_key,
        name: r.group_name,
        candidates: r.sat,
        passed: r.passed,
      });
  }
  const names = new Map([...periods.values()].map((p) => [p.group, p.name]));
  const rows = passRateChanges([...periods.values()], defaultGradingSettings().itemAnalysis).map((r) => ({
    group: { key: r.group, name: names.get(r.group) ?? r.group },
    period: r.sessionCode,
    sat: r.candidates,
    passed: r.passed,
    rate: r.rate,
    baseline: r.baseline,
    z: r.z,
    flagged: r.suddenChange,
  }));
  return { by, rows };
}

export function missingArchives(db: Db, now: number, graceDays: number): MissingArchiveRow[] {
  return new ViewRepo(db).missingArchives(now - graceDays * DAY_MS).map((r) => ({
    centre: { code: r.centre_code, name: r.centre_name },
    sessionCode: r.session_code,
    category: r.category,
    state: r.state,
    scheduledEnd: r.scheduled_end,
    dueAt: r.scheduled_end + graceDays * DAY_MS,
    daysOverdue: Math.floor((now - r.scheduled_end - graceDays * DAY_MS) / DAY_MS),
  }));
}

/** Missing archives of one centre, for the centres list (CentresService's missingArchives hook). */
export const missingArchiveCount = (db: Db, centreId: number, now: number, graceDays: number): number =>
  new ViewRepo(db).missingCountOfCentre(centreId, now - graceDays * DAY_MS);
