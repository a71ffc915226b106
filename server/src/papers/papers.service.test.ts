import { describe, expect, it } from 'vitest';
import { EventsRepo, sessionChain } from '../audit/events.repo';
import { BankService } from '../bank/bank.service';
import { AppError } from '../shared/errors';
import { createFixture, type Fixture } from './papers.fixture';
import { PapersService, toCandidateQuestions } from './papers.service';
import type { SealResult } from '../protocol';
import { SessionsService } from '../sessions/sessions.service';

const code = (s: SealResult, slot: 'A' | 'B') => s.codes.find((c) => c.slot === slot)!;
const entries = (s: SealResult) => s.codes.map((c) => ({ staffId: c.staffId, code: c.code }));

function sealed(opts: Parameters<typeof createFixture>[0] = {}): Fixture & { seal: SealResult } {
  const f = createFixture(opts);
  const seal = f.papers.sealSession(f.sessionId, [f.staff.chief, f.staff.official], 'staff:1');
  return { ...f, seal };
}

function refusal(fn: () => unknown): AppError {
  try {
    fn();
  } catch (err) {
    if (err instanceof AppError) return err;
    throw err;
  }
  throw new Error('expected a refusal');
}

const eventsOf = (f: Fixture) => new EventsRepo(f.db).list(sessionChain(f.sessionId), 0, 10_000);

describe('sealing', () => {
  it('draws one paper per candidate, seals it, and moves the session to sealed with one event', () => {
    const f = sealed();
    expect(f.seal.paperCount).toBe(f.registrations.length);
    expect(f.seal.codes.map((c) => c.staffId)).toEqual([f.staff.chief, f.staff.official]);
    for (const c of f.seal.codes) expect(c.code).toMatch(/^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
    expect(f.papers.status(f.sessionId).sessionState).toBe('sealed');
    const types = eventsOf(f).map((e) => e.type);
    expect(types).toEqual(['papers.sealed', 'session.transition']);
    // The codes are shown once and never recorded.
    const all = JSON.stringify(eventsOf(f));
    for (const c of f.seal.codes) expect(all).not.toContain(c.code.replaceAll('-', '').slice(0, 15));
  });

  it('refuses the same custodian twice, a bank keeper, and a second seal', () => {
    const f = createFixture();
    expect(refusal(() => f.papers.sealSession(f.sessionId, [f.staff.chief, f.staff.chief], 'staff:1')).code).toBe(
      'custodians-not-distinct',
    );
    expect(refusal(() => f.papers.sealSession(f.sessionId, [f.staff.chief, f.staff.bank], 'staff:1')).code).toBe(
      'custodian-not-eligible',
    );
    f.papers.sealSession(f.sessionId, [f.staff.chief, f.staff.second], 'staff:1');
    expect(refusal(() => f.papers.sealSession(f.sessionId, [f.staff.chief, f.staff.second], 'staff:1')).code).toBe(
      'session-not-scheduled',
    );
  });

  it('insider: papers are not drawn from a bank version whose items the bank keeper has since retired', () => {
    // A chief examiner planned (or keeps) the session on a version that still holds an item withdrawn since —
    // e.g. leaked to a training school. The draw would serve it; sealing must refuse (issue 13).
    const f = createFixture();
    const bank = new BankService(f.db, f.clock);
    bank.retire({
      category: 'N1',
      pool: 'exam',
      itemHashes: [f.items[0]!.contentHash],
      reason: '题目外泄',
      actor: 'staff:5',
    });
    expect(refusal(() => f.papers.sealSession(f.sessionId, [f.staff.chief, f.staff.official], 'staff:1')).code).toBe(
      'bank-items-retired',
    );
  });

  it('voids a seal left behind when the session went back to scheduled, when sealing again', () => {
    const f = sealed();
    new SessionsService(f.db, f.clock).transition(f.sessionId, 'scheduled', 'staff:1', 'plan changed');
    const again = f.papers.sealSession(f.sessionId, [f.staff.chief, f.staff.second], 'staff:1');
    expect(f.papers.status(f.sessionId).seal?.sealUid).toBe(again.sealUid);
    const voided = eventsOf(f).find((e) => e.type === 'papers.seal-voided')!;
    expect(voided.payload.sealUid).toBe(f.seal.sealUid);
  });

  it('refuses to hand out any paper before opening', () => {
    const f = sealed();
    expect(refusal(() => f.papers.paperFor(f.registrations[0]!)).code).toBe('papers-sealed');
  });
});

describe('two-person opening', () => {
  it('opens with both custodians’ codes inside the window, discloses the seed and serves papers', () => {
    const f = sealed();
    const result = f.papers.openSession(f.sessionId, { codes: entries(f.seal) }, 'staff:1');
    expect(result).toMatchObject({ state: 'open', paperCount: f.registrations.length });
    const { paper, hash } = f.papers.paperFor(f.registrations[0]!);
    expect(paper.questions).toHaveLength(100);
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    const opened = eventsOf(f).find((e) => e.type === 'papers.opened')!;
    expect(opened.payload.seed).toMatch(/^[0-9a-f]{64}$/);
    // Candidates see no key, no item hash, no knowledge point.
    for (const q of toCandidateQuestions(paper))
      expect(Object.keys(q).sort()).toEqual(['options', 'position', 'stem', 'type']);
    expect(f.papers.startSession(f.sessionId, 'staff:1').state).toBe('running');
  });

  it('accepts usernames and codes typed in lower case without dashes', () => {
    const f = sealed();
    const codes = [
      { username: 'chief', code: code(f.seal, 'A').code.toLowerCase().replaceAll('-', '') },
      { username: 'official', code: code(f.seal, 'B').code },
    ];
    expect(f.papers.openSession(f.sessionId, { codes }, 'staff:1').state).toBe('open');
  });

  it('resumes after a restart from the wrapped key (a new service, same database and server key)', () => {
    const f = sealed();
    f.papers.openSession(f.sessionId, { codes: entries(f.seal) }, 'staff:1');
    const before = f.papers.paperFor(f.registrations[2]!);
    const restarted = new PapersService(f.db, f.clock, { institutionKey: f.key, wrapKey: f.wrapKey });
    expect(restarted.paperFor(f.registrations[2]!)).toEqual(before);
  });

  const refusals: [
    string,
    (f: Fixture & { seal: SealResult }) => { codes: { staffId?: number; username?: string; code: string }[] },
    string,
  ][] = [
    ['one code', (f) => ({ codes: entries(f.seal).slice(0, 1) }), 'two-codes-required'],
    [
      'two codes from the same person',
      (f) => ({
        codes: [
          { staffId: f.staff.chief, code: code(f.seal, 'A').code },
          { staffId: f.staff.chief, code: code(f.seal, 'B').code },
        ],
      }),
      'custodians-not-distinct',
    ],
    [
      'codes entered by someone who is not a custodian',
      (f) => ({
        codes: [
          { staffId: f.staff.chief, code: code(f.seal, 'A').code },
          { staffId: f.staff.second, code: code(f.seal, 'B').code },
        ],
      }),
      'not-the-custodians',
    ],
    [
      'a mistyped code',
      (f) => {
        const a = code(f.seal, 'A').code;
        const typo = (a[0] === '7' ? '8' : '7') + a.slice(1);
        return {
          codes: [
            { staffId: f.staff.chief, code: typo },
            { staffId: f.staff.official, code: code(f.seal, 'B').code },
          ],
        };
      },
      'code-typo',
    ],
    [
      'the codes swapped between the custodians',
      (f) => ({
        codes: [
          { staffId: f.staff.chief, code: code(f.seal, 'B').code },
          { staffId: f.staff.official, code: code(f.seal, 'A').code },
        ],
      }),
      'codes-swapped',
    ],
  ];
  for (const [what, body, expected] of refusals) {
    it(`refuses ${what} (${expected}) and logs the attempt`, () => {
      const f = sealed();
      expect(refusal(() => f.papers.openSession(f.sessionId, body(f), 'staff:1')).code).toBe(expected);
      const refused = eventsOf(f).filter((e) => e.type === 'papers.open-refused');
      expect(refused.map((e) => e.payload.reason)).toEqual([expected]);
      expect(f.papers.status(f.sessionId).sessionState).toBe('sealed');
    });
  }

  it('refuses well-formed codes of another seal (wrong codes)', () => {
    const f = sealed();
    const other = createFixture();
    const foreign = other.papers.sealSession(other.sessionId, [other.staff.chief, other.staff.official], 'staff:1');
    const codes = [
      { staffId: f.staff.chief, code: code(foreign, 'A').code },
      { staffId: f.staff.official, code: code(foreign, 'B').code },
    ];
    expect(refusal(() => f.papers.openSession(f.sessionId, { codes }, 'staff:1')).code).toBe('codes-rejected');
  });

  it('refuses outside the opening window: too early and after the late-admission limit', () => {
    const f = sealed({ settings: { openWindowBeforeMinutes: 20, lateAdmissionMinutes: 30 } });
    // Scheduled start is 30 min after the fixture's "now": 20 min before it is still 10 min away.
    expect(refusal(() => f.papers.openSession(f.sessionId, { codes: entries(f.seal) }, 'staff:1')).code).toBe(
      'outside-opening-window',
    );
    f.clock.advance(61 * 60_000); // 31 min after the start, 1 min past the admission limit
    expect(refusal(() => f.papers.openSession(f.sessionId, { codes: entries(f.seal) }, 'staff:1')).code).toBe(
      'outside-opening-window',
    );
    f.clock.advance(-40 * 60_000); // 9 min before the start
    expect(f.papers.openSession(f.sessionId, { codes: entries(f.seal) }, 'staff:1').state).toBe('open');
    const reasons = eventsOf(f)
      .filter((e) => e.type === 'papers.open-refused')
      .map((e) => e.payload.reason);
    expect(reasons).toEqual(['outside-opening-window', 'outside-opening-window']);
  });

  it('refuses a custodian barred by the integrity rules at opening time', () => {
    let barred: number | null = null;
    const f = sealed({
      custodianCheck: (_s, ids) =>
        ids
          .filter((id) => id === barred)
          .map((staffId) => ({ staffId, code: 'discipline', message: '受到纪律处分，不得从事考试工作' })),
    });
    barred = f.staff.official;
    const err = refusal(() => f.papers.openSession(f.sessionId, { codes: entries(f.seal) }, 'staff:1'));
    expect(err.code).toBe('custodian-not-eligible');
    expect(err.message).toContain('纪律处分');
  });

  it('reseals after a lost code: the old codes no longer open, the new ones do, all logged', async () => {
    const f = sealed();
    const again = await f.papers.resealSession(
      f.sessionId,
      [f.staff.chief, f.staff.second],
      '保管人遗失开卷码',
      'staff:1',
    );
    expect(again.sealUid).not.toBe(f.seal.sealUid);
    expect(refusal(() => f.papers.openSession(f.sessionId, { codes: entries(f.seal) }, 'staff:1')).code).toBe(
      'not-the-custodians',
    );
    const oldCodesNewPeople = [
      { staffId: f.staff.chief, code: code(f.seal, 'A').code },
      { staffId: f.staff.second, code: code(f.seal, 'B').code },
    ];
    expect(refusal(() => f.papers.openSession(f.sessionId, { codes: oldCodesNewPeople }, 'staff:1')).code).toBe(
      'codes-rejected',
    );
    expect(f.papers.openSession(f.sessionId, { codes: entries(again) }, 'staff:1').state).toBe('open');
    const types = eventsOf(f).map((e) => e.type);
    expect(types).toContain('papers.seal-voided');
    expect(types.filter((t) => t === 'papers.sealed')).toHaveLength(2);
  });

  it('reports progress while sealing asynchronously and refuses a second concurrent seal', async () => {
    const f = createFixture({ candidates: 120 });
    const running = f.papers.sealSessionAsync(f.sessionId, [f.staff.chief, f.staff.second], 'staff:1');
    await expect(
      f.papers.sealSessionAsync(f.sessionId, [f.staff.chief, f.staff.second], 'staff:1'),
    ).rejects.toMatchObject({
      code: 'seal-in-progress',
    });
    await new Promise((r) => setImmediate(r));
    const mid = f.papers.status(f.sessionId).progress!;
    expect(mid.total).toBe(120);
    expect(mid.phase).not.toBe('done');
    await running;
    expect(f.papers.status(f.sessionId).progress).toEqual({ phase: 'done', done: 120, total: 120 });
  });
});
