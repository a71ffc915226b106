import { describe, expect, it } from 'vitest';
import { AppError } from '../shared/errors';
import { SessionsService } from '../sessions/sessions.service';
import { addTransitionGuard } from '../sessions/transition-guards';
import { peopleFixture } from '../people/test-fixture';
import { addDays } from './dates';
import { integrityOpenGuard } from './integrity-guard';

const refusal = (fn: () => unknown): AppError => {
  try {
    fn();
  } catch (err) {
    if (err instanceof AppError) return err;
    throw err;
  }
  throw new Error('expected a refusal');
};

describe('integrity enforcement', () => {
  it('refuses an assignment naming rule, people and record, and records the refused run', () => {
    const f = peopleFixture();
    const sessionId = f.newSession();
    const c = f.candidate('孙立伟');
    f.people.registrations.register(sessionId, { candidateId: c.id }, 'test');
    const relative = f.staff('p3', {
      declare: {
        relationships: [{ kind: 'relative', personIdNumber: c.idNumber, personName: c.name, orgId: null, note: null }],
        engagements: [],
      },
    });
    const err = refusal(() => f.people.assignments.assign(sessionId, relative, 'proctor', 'staff:1'));
    expect(err.code).toBe('recusal-conflict');
    expect(err.message).toContain('员工p3');
    expect(err.message).toContain('孙立伟');
    const details = err.details as { runId: number; findings: { records: { type: string }[] }[] };
    expect(details.findings[0]!.records[0]!.type).toBe('relationship');
    const runs = f.integrity.view(sessionId).runs;
    expect(runs[0]).toMatchObject({ id: details.runId, purpose: 'assign', outcome: 'violation' });
    expect(runs[0]!.checks.find((x) => x.rule === 'recusal')?.outcome).toBe('violation');
    expect(f.people.assignments.repo.list(sessionId)).toEqual([]);
  });

  it('refuses staff without a signed declaration, or with an expired certificate', () => {
    const f = peopleFixture();
    const sessionId = f.newSession();
    expect(
      refusal(() => f.people.assignments.assign(sessionId, f.staff('nodecl', { declare: null }), 'proctor', 't')).code,
    ).toBe('declaration-missing');
    const expired = f.staff('old', { cert: { validFrom: '2020-01-01', validTo: addDays(f.today, -1) } });
    expect(refusal(() => f.people.assignments.assign(sessionId, expired, 'proctor', 't')).code).toBe(
      'qualification-expired',
    );
  });

  it('insider: a same-employer exception waives the finding only once an official confirms it; never one for a relative or a ban', () => {
    const f = peopleFixture();
    const sessionId = f.newSession();
    const town = f.org('小镇化工厂');
    const c = f.candidate('李明', { employerOrgId: town });
    f.people.registrations.register(sessionId, { candidateId: c.id }, 'test');
    const colleague = f.staff('col', { employerOrgId: town });
    expect(refusal(() => f.people.assignments.assign(sessionId, colleague, 'proctor', 't')).code).toBe(
      'recusal-conflict',
    );
    expect(
      refusal(() =>
        f.integrity.recordException(
          sessionId,
          {
            code: 'staff-banned',
            reason: 'conduct',
            staffId: colleague,
            candidateId: null,
            justification: '人手不足，无法回避',
            approver: '主任',
            documentRef: null,
          },
          'staff:1',
        ),
      ).code,
    ).toBe('exception-not-allowed');
    const x = f.integrity.recordException(
      sessionId,
      {
        code: 'recusal-conflict',
        reason: 'same-employer',
        staffId: colleague,
        candidateId: c.id,
        justification: '本镇仅此一家企业，另有一名监考来自外单位',
        approver: '中心主任 王建国',
        documentRef: '济特考〔2026〕3号',
      },
      'staff:1',
    );
    // insider: one admin's record alone waives nothing; the supervising official's confirmation does.
    expect(refusal(() => f.people.assignments.assign(sessionId, colleague, 'proctor', 't')).code).toBe(
      'recusal-conflict',
    );
    expect(f.integrity.view(sessionId).exceptions[0]).toMatchObject({ confirmedBy: null, confirmedAt: null });
    f.integrity.confirmException(sessionId, x.id, 'staff:99');
    expect(refusal(() => f.integrity.confirmException(sessionId, x.id, 'staff:99')).code).toBe(
      'exception-already-confirmed',
    );
    expect(() => f.db.prepare('DELETE FROM integrity_exceptions WHERE id = ?').run(x.id)).toThrow(/append-only/);
    f.people.assignments.assign(sessionId, colleague, 'proctor', 't');
    const view = f.integrity.view(sessionId);
    expect(view.exceptions.map((e) => e.id)).toEqual([x.id]);
    expect(view.runs[0]).toMatchObject({ purpose: 'assign', outcome: 'exception' });
    const events = f.db
      .prepare('SELECT type FROM events WHERE chain = ? ORDER BY seq')
      .pluck()
      .all(`session:${sessionId}`);
    expect(events).toContain('integrity.exception-recorded');
    expect(events).toContain('integrity.exception-confirmed');
  });

  it('re-checks every rule on opening and refuses when a ban was recorded in between', () => {
    const f = peopleFixture();
    addTransitionGuard(f.db, integrityOpenGuard(f.integrity));
    const sessions = new SessionsService(f.db, f.clock);
    const sessionId = f.newSession('sealed');
    const [a, b] = [f.staff('a'), f.staff('b')];
    f.people.assignments.assign(sessionId, a, 'proctor', 't');
    f.people.assignments.assign(sessionId, b, 'proctor', 't');
    f.people.records.recordDisciplinary(
      b,
      {
        kind: 'conduct',
        decisionDate: f.today,
        authority: '市局',
        documentNo: '济市监〔2026〕1号',
        summary: '行风问题',
      },
      'staff:1',
    );
    const err = refusal(() => sessions.transition(sessionId, 'open', 'staff:9'));
    expect(err.code).toBe('staff-banned');
    expect(sessions.get(sessionId).state).toBe('sealed');
    const run = f.integrity.view(sessionId).runs[0]!;
    expect(run).toMatchObject({ purpose: 'open', outcome: 'violation', actor: 'staff:9' });
    expect(run.checks.map((c) => c.rule)).toContain('staffing');
  });

  it('records a refused opening even when the transition runs inside a caller transaction', async () => {
    const f = peopleFixture();
    addTransitionGuard(f.db, integrityOpenGuard(f.integrity));
    const sessions = new SessionsService(f.db, f.clock);
    const sessionId = f.newSession('sealed');
    expect(refusal(() => f.db.transaction(() => sessions.transition(sessionId, 'open', 't'))()).code).toBe(
      'understaffed',
    );
    await new Promise((r) => setImmediate(r));
    expect(f.integrity.view(sessionId).runs[0]).toMatchObject({ purpose: 'open', outcome: 'violation' });
  });

  it('opens when all rules pass and records the passing run', () => {
    const f = peopleFixture();
    addTransitionGuard(f.db, integrityOpenGuard(f.integrity));
    const sessions = new SessionsService(f.db, f.clock);
    const sessionId = f.newSession('sealed');
    for (const u of ['a', 'b']) f.people.assignments.assign(sessionId, f.staff(u), 'proctor', 't');
    sessions.transition(sessionId, 'open', 't');
    expect(sessions.get(sessionId).state).toBe('open');
    expect(f.integrity.view(sessionId).runs[0]).toMatchObject({ purpose: 'open', outcome: 'pass' });
  });

  it('checks seal custodians: bans and recusal, not certificates', () => {
    const f = peopleFixture();
    const sessionId = f.newSession();
    const c = f.candidate('周海燕');
    f.people.registrations.register(sessionId, { candidateId: c.id }, 'test');
    const clean = f.staff('admin1', { roles: ['admin'], cert: null });
    const relative = f.staff('rel', {
      declare: {
        relationships: [{ kind: 'relative', personIdNumber: c.idNumber, personName: c.name, orgId: null, note: null }],
        engagements: [],
      },
    });
    expect(f.integrity.checkCustodians(sessionId, [clean], f.clock.now())).toEqual([]);
    const found = f.integrity.checkCustodians(sessionId, [clean, relative], f.today);
    expect(found.map((x) => [x.staffId, x.code])).toEqual([[relative, 'recusal-conflict']]);
    expect(f.integrity.view(sessionId).runs.map((r) => r.purpose)).toEqual(['custodians', 'custodians', 'register']);
  });

  it('stores settings validated, and an unknown key is refused', () => {
    const f = peopleFixture();
    expect(
      f.integrity.updateSettings({ ...f.integrity.settings(), proctorsPerRoom: 3 }, 'staff:1').proctorsPerRoom,
    ).toBe(3);
    expect(f.integrity.settings().proctorsPerRoom).toBe(3);
    expect(() => f.integrity.updateSettings({ proctorsPerRoom: 0 }, 'staff:1')).toThrow(AppError);
    expect(() => f.integrity.updateSettings({ nonsense: 1 }, 'staff:1')).toThrow(AppError);
  });

  it('keeps check records append-only', () => {
    const f = peopleFixture();
    const sessionId = f.newSession();
    f.people.assignments.assign(sessionId, f.staff('a'), 'proctor', 't');
    expect(() => f.db.prepare('DELETE FROM integrity_runs').run()).toThrow(/append-only/);
    expect(() => f.db.prepare("UPDATE integrity_checks SET outcome = 'pass'").run()).toThrow(/append-only/);
  });
});
