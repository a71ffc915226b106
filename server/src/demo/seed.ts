import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Db } from '../db/open';
import type { App } from '../app';
import { blueprintSchema } from '../bank/blueprint';
import { BankService, readBankFile } from '../bank/bank.service';
import { BlueprintsRepo } from '../bank/blueprints.repo';
import { CandidatesRepo } from '../people/candidates.repo';
import { defaultSessionSettings } from '../sessions/session-settings';
import type { Clock } from '../shared/clock';
import { StaffRepo } from '../people/staff.repo';
import { DEMO_CANDIDATES, DEMO_INSTITUTION, DEMO_STAFF } from './demo-people';
import { seedPastSession } from './past-session';
import { seedDemoPeople } from '../people/demo-people-seed';

export const QUESTION_BANK_DIR = resolve(import.meta.dirname, '../../../question-bank');

export type DemoInfo = {
  sessionId: number;
  candidates: { name: string; admissionNo: string; idNumber: string; seatNo: number }[];
  staff: typeof DEMO_STAFF;
  /** The demo session's two custodian codes (开卷码), printed with the demo logins. */
  custodianCodes: { slot: 'A' | 'B'; username: string; name: string; code: string }[];
  /** Yesterday's archived session (demo/past-session.ts). */
  pastSession?: { sessionId: number; archiveFile: string };
};

/** Loads every shipped bank file and blueprint in question-bank/ (a real installation imports its own). */
export function loadShippedBanks(db: Db, clock: Clock, dir = QUESTION_BANK_DIR): { blueprints: Map<string, number> } {
  const bank = new BankService(db, clock);
  const banksDir = join(dir, 'banks');
  for (const file of readdirSync(banksDir)
    .filter((f) => f.endsWith('.json'))
    .sort()) {
    const parsed = readBankFile(join(banksDir, file));
    if (parsed.problems.length)
      throw new Error(`${file}: ${parsed.problems.map((p) => `${p.where} ${p.field}: ${p.message}`).join('; ')}`);
    bank.createVersion({ ...parsed, source: `question-bank/banks/${file}`, actor: 'system:demo' });
  }
  const blueprints = new Map<string, number>();
  const repo = new BlueprintsRepo(db);
  const bpDir = join(dir, 'blueprints');
  if (existsSync(bpDir)) {
    for (const file of readdirSync(bpDir)
      .filter((f) => f.endsWith('.json'))
      .sort()) {
      const body = blueprintSchema.parse(JSON.parse(readFileSync(join(bpDir, file), 'utf8')));
      blueprints.set(body.category, repo.insert(body, 'system:demo', clock.now()).id);
    }
  }
  return { blueprints };
}

/**
 * A demo exam centre: staff for every role, the shipped banks, and today's N1 session with five
 * registered candidates, papers drawn and sealed; the two custodian codes come back in DemoInfo so a new
 * user can open the session (staff console or POST /api/sessions/:id/open) and start it.
 */
export function seedDemo(app: App, db: Db, clock: Clock): DemoInfo {
  const { services } = app;
  db.prepare('INSERT OR IGNORE INTO institution (id, name, created_at) VALUES (1, ?, ?)').run(
    DEMO_INSTITUTION,
    clock.now(),
  );
  for (const s of DEMO_STAFF.filter((x) => !x.roles.includes('official')))
    services.auth.createStaff({ ...s, mustChangePassword: false }, 'system:demo');
  // Officials exist only through regulator grants (issue 10); the demo signs them with a demo-only regulator key.
  services.conduct.officials.installDemoOfficials(
    DEMO_STAFF.filter((x) => x.roles.includes('official')),
    services.conduct.dataDir,
  );
  const { blueprints } = loadShippedBanks(db, clock);
  const blueprintId = blueprints.get('N1');
  const bankVersion = new BankService(db, clock).repo.latestVersion('N1', 'exam');
  if (!blueprintId || !bankVersion) throw new Error('question-bank/ lacks the N1 exam bank or blueprint');

  const now = clock.now();
  const sessionsRepo = services.sessions.repo;
  const candidates = new CandidatesRepo(db);
  const date = new Date(now).toISOString().slice(0, 10).replaceAll('-', '');
  const demo = db.transaction(() => {
    const roomId = sessionsRepo.insertRoom('第一考场（机房 A）', 30);
    const sessionId = sessionsRepo.insertSession(
      {
        code: `N1-${date}-01`,
        name: 'N1 叉车司机 理论考试（演示）',
        category: 'N1',
        blueprintId,
        bankVersionId: bankVersion.id,
        roomId,
        scheduledStart: now,
        durationMinutes: 60,
        state: 'draft',
        // Demo only: admission stays open for a week, submission is allowed at once and any browser may log in
        // (no enrolled workstation), so the demo can be sat whenever and wherever it is tried. Real sessions use
        // the defaults: 30 min late admission, 30 min minimum, login only at the enrolled seat.
        settings: {
          ...defaultSessionSettings(),
          lateAdmissionMinutes: 7 * 24 * 60,
          minSubmitMinutes: 0,
          requireWorkstation: false,
          // Slot B belongs to the supervising official: the institution alone cannot open the demo papers.
          custodianFromOutside: true,
        },
      },
      now,
    );
    const seats = [3, 7, 12, 18, 25];
    const registered = DEMO_CANDIDATES.map((c, i) => {
      const candidateId = candidates.insert({ ...c, photo: null }, now);
      const admissionNo = `${date}${String(i + 1).padStart(3, '0')}`;
      const seatNo = seats[i] as number;
      sessionsRepo.insertRegistration(sessionId, candidateId, admissionNo, seatNo, now);
      return { name: c.name, admissionNo, idNumber: c.idNumber, seatNo };
    });
    return { sessionId, candidates: registered };
  })();
  seedDemoPeople(app, db, clock, demo.sessionId); // organisations, declarations, staff assignment (issue 5)
  services.sessions.transition(demo.sessionId, 'scheduled', 'system:demo');
  // Drawn and sealed at first start (保密管理); the two custodians are the chief examiner and the supervising
  // official, whose codes are printed with the demo logins so a new user can open the session.
  const custodians = ['chief', 'official'].map((u) => new StaffRepo(db).byUsername(u)?.id ?? 0);
  const sealed = services.papers.sealSession(demo.sessionId, custodians, 'system:demo');
  const custodianCodes = sealed.codes.map((c) => ({ slot: c.slot, username: c.username, name: c.name, code: c.code }));
  // A finished, graded and archived session from yesterday for the officials' console (issue 7).
  const past = seedPastSession(app, db, clock);
  return {
    ...demo,
    staff: DEMO_STAFF,
    custodianCodes,
    pastSession: { sessionId: past.sessionId, archiveFile: past.archive.file },
  };
}
