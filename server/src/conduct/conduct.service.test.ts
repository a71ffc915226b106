import { describe, expect, it } from 'vitest';
import { EventsRepo, INSTITUTION_CHAIN, sessionChain, verifyChain } from '../audit/events.repo';
import { createFixture } from '../papers/papers.fixture';
import { reportInput, surveyInput } from '../protocol';
import { ConductReports } from './conduct-reports';
import { ConductService, isOverdue, LEDGER_MOVES, MAX_REPORTS_PER_REGISTRATION } from './conduct.service';

function setup() {
  const f = createFixture({ items: 150, candidates: 3 });
  const [r1, r2, r3] = f.registrations as [number, number, number];
  const now = f.clock.now();
  for (const r of [r1, r2]) {
    f.db
      .prepare('INSERT INTO attempts (registration_id, started_at, submitted_at, submit_reason) VALUES (?, ?, ?, ?)')
      .run(r, now - 3600_000, now - 60_000, 'candidate');
    f.db
      .prepare(
        `INSERT INTO results (registration_id, score, max_score, passed, correct_count, paper_hash, answers_hash, grader_version, graded_at) VALUES (?, 82, 100, 1, 82, 'p', 'a', 'v1', ?)`,
      )
      .run(r, now - 59_000);
  }
  new EventsRepo(f.db).append({
    chain: sessionChain(f.sessionId),
    at: now,
    actor: 'system',
    type: 'result.graded',
    payload: { registrationId: r1, score: 82 },
  });
  const conduct = new ConductService(f.db, f.clock);
  return { f, conduct, r1, r2, r3 };
}

const survey = { service: 5, fairness: 4, equipment: 3, staffConduct: 5, comment: '监考老师很耐心' };
const report = { kind: 'money' as const, body: '有人在考场外要求交 500 元保过费。', anonymous: true, contact: '' };
const finding = {
  problem: '考场外有人索要保过费',
  measure: '核查相关人员并公开举报电话',
  responsible: '王建国',
  deadline: '2026-12-10',
};

describe('candidate survey and reports', () => {
  it('validates and size-limits survey and report input', () => {
    expect(surveyInput.safeParse(survey).success).toBe(true);
    expect(surveyInput.safeParse({ ...survey, service: 0 }).success).toBe(false);
    expect(surveyInput.safeParse({ ...survey, fairness: 6 }).success).toBe(false);
    expect(surveyInput.safeParse({ ...survey, equipment: 2.5 }).success).toBe(false);
    expect(surveyInput.safeParse({ ...survey, comment: 'x'.repeat(501) }).success).toBe(false);
    expect(surveyInput.safeParse({ ...survey, comment: 'bad\u0000byte' }).success).toBe(false);
    expect(surveyInput.safeParse({ ...survey, score: 1 }).success).toBe(false); // unknown field
    expect(reportInput.safeParse(report).success).toBe(true);
    expect(reportInput.safeParse({ ...report, body: 'x'.repeat(2001) }).success).toBe(false);
    expect(reportInput.safeParse({ ...report, body: ' 短 ' }).success).toBe(false);
    expect(reportInput.safeParse({ ...report, kind: 'bribe' }).success).toBe(false);
    expect(reportInput.safeParse({ ...report, contact: '13800000000' }).success).toBe(false); // anonymous with contact
    expect(reportInput.safeParse({ ...report, anonymous: false, contact: '13800000000' }).success).toBe(true);
  });

  it('accepts a survey and reports only after submission, once per survey and up to the report limit', () => {
    const { conduct, r1, r3 } = setup();
    expect(() => conduct.submitSurvey(r3, surveyInput.parse(survey))).toThrow(/交卷后/);
    expect(() => conduct.fileReport(r3, reportInput.parse(report))).toThrow(/交卷后/);
    conduct.submitSurvey(r1, surveyInput.parse(survey));
    expect(() => conduct.submitSurvey(r1, surveyInput.parse(survey))).toThrow(/已提交/);
    for (let i = 0; i < MAX_REPORTS_PER_REGISTRATION; i++)
      conduct.fileReport(r1, reportInput.parse({ ...report, anonymous: i % 2 === 0 }));
    expect(() => conduct.fileReport(r1, reportInput.parse(report))).toThrow(/上限/);
  });

  it('keeps no registration on an anonymous report, only its session, and appends no event the institution could read', () => {
    const { f, conduct, r1, r2 } = setup();
    const institutionBefore = new EventsRepo(f.db).chainHead(INSTITUTION_CHAIN);
    const anon = conduct.fileReport(r1, reportInput.parse(report));
    const named = conduct.fileReport(r2, reportInput.parse({ ...report, anonymous: false, contact: '13800000000' }));
    const row = f.db.prepare('SELECT * FROM conduct_reports WHERE id = ?').get(anon.id) as Record<string, unknown>;
    expect(row.registration_id).toBeNull();
    expect(row.session_id).toBe(f.sessionId);
    expect(row.anonymous).toBe(1);
    expect(conduct.reports().find((r) => r.id === anon.id)?.reporter).toBeNull();
    expect(conduct.reports().find((r) => r.id === named.id)?.reporter?.registrationId).toBe(r2);
    expect(new EventsRepo(f.db).chainHead(INSTITUTION_CHAIN)).toEqual(institutionBefore);
  });

  it('never changes or delays a result: the result row and the session chain are byte-identical', () => {
    const { f, conduct, r1 } = setup();
    const snapshot = () =>
      JSON.stringify([
        f.db.prepare('SELECT * FROM results ORDER BY registration_id').raw().all(),
        f.db.prepare('SELECT * FROM result_releases').raw().all(),
        f.db.prepare('SELECT * FROM attempts ORDER BY registration_id').raw().all(),
        f.db.prepare('SELECT * FROM events WHERE chain = ? ORDER BY seq').raw().all(sessionChain(f.sessionId)),
      ]);
    const before = snapshot();
    conduct.submitSurvey(r1, surveyInput.parse(survey));
    const { id } = conduct.fileReport(r1, reportInput.parse(report));
    const entry = conduct.openCase(id, finding, 'staff:3');
    conduct.transition(entry.id, 'respond', 'institution', '已成立专项核查组', 'staff:1');
    expect(snapshot()).toBe(before);
  });
});

describe('rectification ledger', () => {
  it('enforces open → rectifying → rectified → verified, with rejection back to rectifying, and records each step in the chain', () => {
    const { f, conduct } = setup();
    const { ledgerIds } = conduct.recordInspection(
      {
        kind: 'inspection',
        day: '2026-11-25',
        inspectors: '赵敏、钱进',
        areas: ['site', 'certificates'],
        sessionId: null,
        notes: '',
        findings: [{ area: 'certificates', ...finding }],
      },
      'staff:3',
    );
    const id = ledgerIds[0]!;
    expect(() => conduct.transition(id, 'verify', 'official', '验收', 'staff:3')).toThrow(/不能 verify/);
    expect(() => conduct.transition(id, 'respond', 'official', '代为办理', 'staff:3')).toThrow(/考试机构/);
    conduct.transition(id, 'respond', 'institution', '已制定整改方案', 'staff:1');
    expect(() => conduct.transition(id, 'rectified', 'institution', '已整改', 'staff:1')).toThrow(/evidence|证明材料/);
    expect(() =>
      conduct.addEvidence(
        id,
        { filename: 'x.exe', mime: 'application/x-msdownload', content: Buffer.from('MZ') },
        'staff:1',
      ),
    ).toThrow(/JPEG/);
    conduct.addEvidence(
      id,
      { filename: '整改报告.pdf', mime: 'application/pdf', content: Buffer.from('%PDF-1.4 test') },
      'staff:1',
    );
    conduct.transition(id, 'rectified', 'institution', '已整改', 'staff:1');
    expect(() => conduct.transition(id, 'verify', 'institution', '自行验收', 'staff:1')).toThrow(/监管人员/);
    conduct.transition(id, 'reject', 'official', '证明材料不足，请补充现场照片', 'staff:3');
    conduct.transition(id, 'rectified', 'institution', '已补充', 'staff:1');
    const done = conduct.transition(id, 'verify', 'official', '现场复核通过', 'staff:3');
    expect(done.status).toBe('verified');
    expect(done.steps.map((s) => s.to)).toEqual([
      'open',
      'rectifying',
      'rectified',
      'rectifying',
      'rectified',
      'verified',
    ]);
    expect(() => conduct.transition(id, 'reject', 'official', '再次退回', 'staff:3')).toThrow(/不能 reject/);
    expect(() =>
      conduct.addEvidence(id, { filename: 'late.txt', mime: 'text/plain', content: Buffer.from('x') }, 'staff:1'),
    ).toThrow(/已验收/);

    const chain = new EventsRepo(f.db).list(INSTITUTION_CHAIN);
    expect(verifyChain(chain)).toBeNull();
    const moves = chain
      .filter((e) => e.type === 'conduct.ledger-transition' && e.payload.ledgerId === id)
      .map((e) => `${e.payload.from}>${e.payload.to}`);
    expect(moves).toEqual([
      'open>rectifying',
      'rectifying>rectified',
      'rectified>rectifying',
      'rectifying>rectified',
      'rectified>verified',
    ]);
    expect(chain.some((e) => e.type === 'conduct.evidence-added' && e.payload.ledgerId === id)).toBe(true);
    expect(chain.some((e) => e.type === 'conduct.ledger-created' && e.payload.ledgerId === id)).toBe(true);
    expect(Object.keys(LEDGER_MOVES)).toHaveLength(4);
  });

  it('marks an entry overdue after its Beijing-time deadline day unless rectified or verified', () => {
    const endOfDayCst = Date.parse('2026-12-10T23:59:00+08:00');
    const nextDayCst = Date.parse('2026-12-11T00:01:00+08:00');
    expect(isOverdue({ deadline: '2026-12-10', status: 'open' }, endOfDayCst)).toBe(false);
    expect(isOverdue({ deadline: '2026-12-10', status: 'open' }, nextDayCst)).toBe(true);
    expect(isOverdue({ deadline: '2026-12-10', status: 'rectifying' }, nextDayCst)).toBe(true);
    expect(isOverdue({ deadline: '2026-12-10', status: 'rectified' }, nextDayCst)).toBe(false);
    expect(isOverdue({ deadline: '2026-12-10', status: 'verified' }, nextDayCst)).toBe(false);
  });

  it('links a spot check to its session and the session chain head at that moment', () => {
    const { f, conduct } = setup();
    const spot = {
      kind: 'spot-check' as const,
      day: '2026-11-25',
      inspectors: '赵敏',
      areas: ['procedure' as const],
      sessionId: f.sessionId,
      notes: '',
      findings: [],
    };
    expect(() => conduct.recordInspection(spot, 'staff:3')).toThrow(/live sessions/);
    f.db.prepare("UPDATE sessions SET state = 'running' WHERE id = ?").run(f.sessionId);
    const head = new EventsRepo(f.db).chainHead(sessionChain(f.sessionId)).seq;
    const { id } = conduct.recordInspection(
      {
        kind: 'spot-check',
        day: '2026-11-25',
        inspectors: '赵敏',
        areas: ['procedure'],
        sessionId: f.sessionId,
        notes: '现场抽查',
        findings: [],
      },
      'staff:3',
    );
    const view = conduct.repo.inspections().find((i) => i.id === id)!;
    expect(view.sessionEventSeq).toBe(head);
    const last = new EventsRepo(f.db).list(sessionChain(f.sessionId)).at(-1)!;
    expect(last.type).toBe('conduct.spot-check');
    expect(last.payload.inspectionId).toBe(id);
  });

  it('counts inspections, findings, reports and rectification in the yearly summary', () => {
    const { conduct, r1, f } = setup();
    conduct.submitSurvey(r1, surveyInput.parse(survey));
    const a = conduct.fileReport(r1, reportInput.parse(report));
    const b = conduct.fileReport(r1, reportInput.parse({ ...report, kind: 'coaching' }));
    conduct.fileReport(r1, reportInput.parse({ ...report, kind: 'recusal' }));
    const e = conduct.openCase(a.id, finding, 'staff:3');
    conduct.closeReport(b.id, '经核查不属实', 'staff:3');
    conduct.recordInspection(
      {
        kind: 'inspection',
        day: '2026-11-25',
        inspectors: '赵敏',
        areas: ['site', 'archives'],
        sessionId: null,
        notes: '',
        findings: [],
      },
      'staff:3',
    );
    conduct.transition(e.id, 'respond', 'institution', '核查中', 'staff:1');
    conduct.addEvidence(e.id, { filename: 'a.txt', mime: 'text/plain', content: Buffer.from('ok') }, 'staff:1');
    conduct.transition(e.id, 'rectified', 'institution', '完成', 'staff:1');
    conduct.transition(e.id, 'verify', 'official', '通过', 'staff:3');
    const s = new ConductReports(conduct, f.clock, () => 0).summary(2026);
    expect(s.inspections).toMatchObject({ total: 1, spotChecks: 0, byArea: { site: 1, archives: 1 } });
    expect(s.findings).toMatchObject({ total: 1, verified: 1, rectificationRate: 1 });
    expect(s.reports).toMatchObject({ total: 3, anonymous: 3, cases: 1, closed: 1, pending: 1 });
    expect(s.surveys.total).toBe(1);
    expect(s.exams).toMatchObject({ graded: 2, passed: 2, passRate: 1 });
    expect(new ConductReports(conduct, f.clock, () => 0).summary(2025).reports.total).toBe(0);
  });
});
