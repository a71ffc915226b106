import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { EventsRepo, INSTITUTION_CHAIN } from '../audit/events.repo';
import { ManualClock } from '../shared/clock';
import { AnalysisService } from './analysis.service';
import { gradingFixture } from './grading-fixture';
import { GradingService } from './grading.service';
import { ReExamService } from './reexam.service';
import { dayRange, maskIdNumber, ReportsService, toCsv, toXlsx } from './reports.service';

const DAY = 24 * 3600_000;

function setup() {
  const clock = new ManualClock(Date.parse('2026-11-25T09:00:00+08:00'));
  const f = gradingFixture(clock);
  const grading = new GradingService(f.db, clock, f.source);
  return {
    clock,
    f,
    grading,
    reports: new ReportsService(f.db, clock, grading),
    analysis: new AnalysisService(f.db, grading),
    reExam: new ReExamService(f.db),
  };
}

describe('reports', () => {
  it('builds a score sheet with absentees, a pass rate and masked ID numbers', () => {
    const { f, grading, reports } = setup();
    const { sessionId, registrations } = f.addSession({
      candidates: 8,
      seed: 'sheet',
      orgs: ['甲培训学校', '乙培训中心'],
    });
    // one registered candidate never started: absent once the session is over. The fixture saved answers for
    // everyone; answers are append-only since 0009 (issue 13), so this fixture set-up drops the triggers first.
    f.db.exec('DROP TRIGGER answers_no_delete; DROP TRIGGER answer_history_no_delete;');
    f.db.prepare('DELETE FROM answers WHERE registration_id = ?').run(registrations[7]);
    f.db.prepare('DELETE FROM answer_history WHERE registration_id = ?').run(registrations[7]);
    f.db.prepare('DELETE FROM attempts WHERE registration_id = ?').run(registrations[7]);
    grading.gradeSession(sessionId, 'staff:1');
    const sheet = reports.scoreSheet(sessionId);
    expect(sheet.summary).toMatchObject({ registered: 8, sat: 7, absent: 1 });
    expect(sheet.lines[7]!.status).toBe('absent');
    expect(sheet.lines[0]!.trainingOrg).toBe('甲培训学校');
    expect(sheet.lines[0]!.idNumberMasked).toMatch(/^TEST00\*+0000$/);
    expect(JSON.stringify(sheet)).not.toContain('TEST001000000');
    const passed = sheet.lines.filter((l) => l.status === 'passed').length;
    expect(sheet.summary.passRate).toBe(Math.round((passed / 7) * 1000) / 10);
  });

  it('writes CSV with a BOM, quoting and formula injection defused', () => {
    const csv = toCsv({
      title: 't',
      columns: ['姓名', '备注'],
      rows: [
        ['张三', '=HYPERLINK("x")'],
        ['李四, 王五', null],
      ],
    });
    expect(csv.startsWith('\uFEFF姓名,备注\r\n')).toBe(true);
    expect(csv).toContain(`张三,"'=HYPERLINK(""x"")"`);
    expect(csv).toContain('"李四, 王五",\r\n');
  });

  it('writes an Excel workbook that reads back with the ID numbers as text', async () => {
    const buf = await toXlsx({ title: '成绩单 N1', columns: ['身份证号', '成绩'], rows: [['110101199003071234', 85]] });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(buf as unknown as ArrayBuffer);
    const ws = wb.worksheets[0]!;
    expect(ws.getRow(2).getCell(1).value).toBe('110101199003071234');
    expect(ws.getRow(2).getCell(2).value).toBe(85);
  });

  it('exports every result in a date range for the regulator, and only those', () => {
    const { clock, f, grading, reports } = setup();
    const a = f.addSession({ candidates: 3, seed: 'a', start: clock.now() - 10 * DAY });
    const b = f.addSession({ candidates: 2, seed: 'b', start: clock.now() });
    for (const s of [a, b]) grading.gradeSession(s.sessionId, 'staff:1');
    const table = reports.regulatorTable('2026-11-20', '2026-11-25');
    expect(table.rows).toHaveLength(2);
    expect(table.rows[0]![6]).toMatch(/^TEST002/); // full ID number for the provincial platform
    expect(reports.regulatorTable('2026-11-01', '2026-11-25').rows).toHaveLength(5);
    expect(() => dayRange('2026-11-25', '2026-11-01')).toThrow(/before/);
    reports.recordExport({ kind: 'regulator-results', format: 'csv', rows: 2 }, 'staff:9');
    expect(new EventsRepo(f.db).list(INSTITUTION_CHAIN).at(-1)).toMatchObject({
      type: 'results.exported',
      actor: 'staff:9',
    });
  });

  it('masks ID numbers keeping the region and the last four characters', () => {
    expect(maskIdNumber('37010219850312451X')).toBe('370102********451X');
  });
});

describe('item analysis over graded sessions', () => {
  it('computes statistics for every item answered, with stems, and a histogram of all scores', () => {
    const { f, grading, analysis } = setup();
    for (const seed of ['x', 'y']) grading.gradeSession(f.addSession({ candidates: 40, seed }).sessionId, 'staff:1');
    const result = analysis.itemAnalysis('N1', '2026-11-25', '2026-11-25');
    expect(result.candidates).toBe(80);
    expect(result.responses).toBe(80 * 100);
    expect(result.histogram.reduce((t, b) => t + b.count, 0)).toBe(80);
    const item = result.items[0]!;
    expect(item.stem.length).toBeGreaterThan(0);
    expect(item.optionCounts.reduce((t, c) => t + c, 0) + item.blank).toBeGreaterThanOrEqual(item.n);
    // simulated candidates answer by ability, so most items discriminate positively
    const positive = result.items.filter((i) => (i.pointBiserial ?? 0) > 0).length;
    expect(positive / result.items.length).toBeGreaterThan(0.7);
    expect(result.passRates.byCategory).toHaveLength(2);
  });
});

describe('re-exam registration hook', () => {
  it('refuses a second re-exam and a same-day re-exam with the rule names', () => {
    const { clock, f, grading, reExam } = setup();
    const first = f.addSession({ candidates: 1, seed: 'fail', start: clock.now() - 30 * DAY });
    const candidateId = f.db
      .prepare<[number], { candidate_id: number }>('SELECT candidate_id FROM registrations WHERE id = ?')
      .get(first.registrations[0]!)!.candidate_id;
    grading.gradeSession(first.sessionId, 'staff:1');
    grading.correct(first.registrations[0]!, { kind: 'cancel', reason: '违纪取消成绩' }, 'staff:1'); // a failure for sure
    expect(reExam.check(candidateId, 'N1', clock.now())).toEqual([]);
    expect(() => reExam.assertEligible(candidateId, 'N1', clock.now() - 30 * DAY)).toThrow(
      expect.objectContaining({
        code: 'reexam-not-eligible',
        details: { violations: [expect.objectContaining({ rule: 'not-same-day' })] },
      }),
    );
    const second = f.addSession({
      candidates: 1,
      seed: 'again',
      start: clock.now() - 10 * DAY,
      candidateIds: [candidateId],
    });
    grading.gradeSession(second.sessionId, 'staff:1');
    grading.correct(second.registrations[0]!, { kind: 'cancel', reason: '违纪取消成绩' }, 'staff:1');
    expect(reExam.check(candidateId, 'N1', clock.now()).map((v) => v.rule)).toEqual(['max-reexams-used']);
  });
});
