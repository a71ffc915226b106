import type { App } from '../../server/src/app';
import type { Db } from '../../server/src/db/open';
import { BankService } from '../../server/src/bank/bank.service';
import { CandidatesRepo } from '../../server/src/people/candidates.repo';
import { idNumberCheckDigit } from '../../server/src/people/id-number';
import { defaultSessionSettings, type SessionSettings } from '../../server/src/sessions/session-settings';
import type { Clock } from '../../server/src/shared/clock';

export type LoadCredentials = {
  sessionId: number;
  candidates: { admissionNo: string; idNumber: string; seatNo: number }[];
};

/** A fictitious but valid 身份证号 for simulated candidate i. */
export function simulatedIdNumber(i: number): string {
  const first17 = `110105${1970 + (i % 30)}${String((i % 12) + 1).padStart(2, '0')}${String((i % 28) + 1).padStart(2, '0')}${String(i % 1000).padStart(3, '0')}`;
  return first17 + idNumberCheckDigit(first17);
}

/**
 * A running N1 session with n registered candidates, sealed, opened by two custodians and started:
 * what the load simulator and the fault tests sit. Needs the demo data (staff, banks, blueprints).
 */
export function createLoadSession(
  app: App,
  db: Db,
  clock: Clock,
  n: number,
  settings: Partial<SessionSettings> = {},
): LoadCredentials {
  const { sessions, papers } = app.services;
  const now = clock.now();
  const bankVersion = new BankService(db, clock).repo.latestVersion('N1', 'exam');
  const blueprintId = db
    .prepare("SELECT id FROM blueprints WHERE category = 'N1' ORDER BY id DESC")
    .pluck()
    .get() as number;
  if (!bankVersion || !blueprintId) throw new Error('load session needs the demo N1 bank and blueprint');
  const candidates = new CandidatesRepo(db);
  const tag = String(now).slice(-6);
  const created = db.transaction(() => {
    const roomId = sessions.repo.insertRoom(`负载测试考场 ${tag}-${n}`, n + 10);
    const sessionId = sessions.repo.insertSession(
      {
        code: `LOAD-${tag}-${n}`,
        name: `负载测试 ${n} 人`,
        category: 'N1',
        blueprintId,
        bankVersionId: bankVersion.id,
        roomId,
        scheduledStart: now,
        durationMinutes: 60,
        state: 'draft',
        settings: { ...defaultSessionSettings(), minSubmitMinutes: 0, requireWorkstation: false, ...settings },
      },
      now,
    );
    const list = Array.from({ length: n }, (_, i) => {
      const idNumber = simulatedIdNumber(Number(tag) * 10 + i);
      const candidateId = candidates.insert(
        { name: `考生${i + 1}`, idNumber, employer: null, trainingOrg: null, photo: null },
        now,
      );
      const admissionNo = `L${tag}${String(i + 1).padStart(5, '0')}`;
      sessions.repo.insertRegistration(sessionId, candidateId, admissionNo, i + 1, now);
      return { admissionNo, idNumber, seatNo: i + 1 };
    });
    return { sessionId, candidates: list };
  })();
  const staffId = (u: string) => db.prepare('SELECT id FROM staff WHERE username = ?').pluck().get(u) as number;
  // Two proctors per room (domain.md; the integrity rules refuse to open with fewer).
  for (const u of ['proctor1', 'proctor2'])
    app.services.people.assignments.assign(created.sessionId, staffId(u), 'proctor', 'system:load');
  sessions.transition(created.sessionId, 'scheduled', 'system:load');
  const sealed = papers.sealSession(created.sessionId, [staffId('chief'), staffId('official')], 'system:load');
  // A load centre runs without a regulator: its admin records the stale-list exception officials see (issue 14).
  if (app.services.link.status().banList.stale)
    app.services.link.recordStaleException(
      { sessionId: created.sessionId, reason: '负载测试：本机未连接监管部门' },
      { staffId: staffId('admin'), roles: ['admin'] },
    );
  papers.openSession(
    created.sessionId,
    { codes: sealed.codes.map((c) => ({ staffId: c.staffId, code: c.code })) },
    `staff:${staffId('chief')}`,
  );
  papers.startSession(created.sessionId, `staff:${staffId('chief')}`);
  return created;
}
