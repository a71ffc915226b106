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
import { randomBytes } from 'node:crypto';
import { DEMO_CANDIDATES, DEMO_STAFF } from './demo-people';

export const QUESTION_BANK_DIR = resolve(import.meta.dirname, '../../../question-bank');

export type DemoInfo = {
  sessionId: number;
  candidates: { name: string; admissionNo: string; idNumber: string; seatNo: number }[];
  staff: typeof DEMO_STAFF;
};

/** Loads every shipped bank file and blueprint in question-bank/ (a real installation imports its own). */
export function loadShippedBanks(db: Db, clock: Clock, dir = QUESTION_BANK_DIR): { blueprints: Map<string, number> } {
  const bank = new BankService(db, clock);
  const banksDir = join(dir, 'banks');
  for (const file of readdirSync(banksDir).filter((f) => f.endsWith('.json')).sort()) {
    const parsed = readBankFile(join(banksDir, file));
    if (parsed.problems.length)
      throw new Error(`${file}: ${parsed.problems.map((p) => `${p.where} ${p.field}: ${p.message}`).join('; ')}`);
    bank.createVersion({ ...parsed, source: `question-bank/banks/${file}`, actor: 'system:demo' });
  }
  const blueprints = new Map<string, number>();
  const repo = new BlueprintsRepo(db);
  const bpDir = join(dir, 'blueprints');
  if (existsSync(bpDir)) {
    for (const file of readdirSync(bpDir).filter((f) => f.endsWith('.json')).sort()) {
      const body = blueprintSchema.parse(JSON.parse(readFileSync(join(bpDir, file), 'utf8')));
      blueprints.set(body.category, repo.insert(body, 'system:demo', clock.now()).id);
    }
  }
  return { blueprints };
}

/**
 * A demo exam centre: staff for every role, the shipped banks, and today's N1 session with five
 * registered candidates, papers drawn and the session running so a new user can sit it at once.
 */
export function seedDemo(app: App, db: Db, clock: Clock): DemoInfo {
  const { services } = app;
  for (const s of DEMO_STAFF) services.auth.createStaff({ ...s, mustChangePassword: false }, 'system:demo');
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
        // Demo only: admission stays open for a week and submission is allowed at once, so the demo can be
        // sat whenever it is tried. Real sessions use the defaults (30 min late admission, 30 min minimum).
        settings: { ...defaultSessionSettings(), lateAdmissionMinutes: 7 * 24 * 60, minSubmitMinutes: 0 },
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
  services.sessions.transition(demo.sessionId, 'scheduled', 'system:demo');
  services.papers.drawForSession(demo.sessionId, randomBytes(32).toString('hex'), 'system:demo');
  for (const to of ['sealed', 'open', 'running'] as const) services.sessions.transition(demo.sessionId, to, 'system:demo');
  return { ...demo, staff: DEMO_STAFF };
}
