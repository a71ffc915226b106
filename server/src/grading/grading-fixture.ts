// Test and benchmark support (not used by the server): a closed session with drawn papers and submitted answers.
import { BankService } from '../bank/bank.service';
import { BlueprintsRepo } from '../bank/blueprints.repo';
import { migrate } from '../db/migrate';
import { openDatabase, type Db } from '../db/open';
import { loadShippedBanks } from '../demo/seed';
import { DeliveryRepo } from '../delivery/delivery.repo';
import { drawPrepared, preparePool, type Paper } from '../papers/draw';
import { CandidatesRepo } from '../people/candidates.repo';
import { defaultSessionSettings, type SessionSettings } from '../sessions/session-settings';
import type { SessionState } from '../sessions/session-states';
import { SessionsRepo } from '../sessions/sessions.repo';
import type { Clock } from '../shared/clock';
import { seededRandom } from '../shared/random';
import type { PaperSource } from './grading.service';

export type GradingFixture = {
  db: Db;
  papers: Map<number, { paper: Paper; hash: string }>;
  source: PaperSource;
  sessionIds: number[];
  registrations: number[];
  blueprintId: number;
  bankVersionId: number;
  addSession(opts: {
    candidates: number;
    seed: string;
    state?: SessionState;
    settings?: Partial<SessionSettings>;
    start?: number;
    orgs?: string[];
    candidateIds?: number[];
  }): { sessionId: number; registrations: number[] };
};

/** Loads the shipped N1 bank and blueprint into a fresh database and returns a builder of sessions. */
export function gradingFixture(clock: Clock, file = ':memory:'): GradingFixture {
  const db = openDatabase(file);
  migrate(db);
  const { blueprints } = loadShippedBanks(db, clock);
  const blueprintId = blueprints.get('N1');
  const bankVersion = new BankService(db, clock).repo.latestVersion('N1', 'exam');
  const blueprint = blueprintId && new BlueprintsRepo(db).get(blueprintId);
  if (!blueprintId || !bankVersion || !blueprint) throw new Error('question-bank/ lacks the N1 exam bank or blueprint');
  const pool = preparePool(blueprint.body, new BankService(db, clock).repo.itemsOfVersion(bankVersion.id));
  const sessions = new SessionsRepo(db);
  const candidates = new CandidatesRepo(db);
  const delivery = new DeliveryRepo(db);
  const papers = new Map<number, { paper: Paper; hash: string }>();
  const fixture: GradingFixture = {
    db,
    papers,
    source: {
      paperFor(registrationId) {
        const p = papers.get(registrationId);
        if (!p) throw new Error(`no paper for ${registrationId}`);
        return p;
      },
    },
    sessionIds: [],
    registrations: [],
    blueprintId,
    bankVersionId: bankVersion.id,
    addSession(opts) {
      const now = clock.now();
      const n = fixture.sessionIds.length + 1;
      return db.transaction(() => {
        const roomId = sessions.insertRoom(`考场 ${n}`, Math.max(1, opts.candidates));
        const sessionId = sessions.insertSession(
          {
            code: `N1-TEST-${n}`,
            name: `N1 测试场次 ${n}`,
            category: 'N1',
            blueprintId,
            bankVersionId: bankVersion.id,
            roomId,
            scheduledStart: opts.start ?? now,
            durationMinutes: 60,
            state: opts.state ?? 'closed',
            settings: { ...defaultSessionSettings(), ...opts.settings },
          },
          now,
        );
        const random = seededRandom(`${opts.seed}:answers`);
        const registrations: number[] = [];
        for (let i = 0; i < opts.candidates; i++) {
          const candidateId =
            opts.candidateIds?.[i] ??
            candidates.insert(
              {
                name: `考生${n}-${i + 1}`,
                idNumber: `TEST${String(n).padStart(3, '0')}${String(i).padStart(6, '0')}`,
                employer: null,
                trainingOrg: opts.orgs ? (opts.orgs[i % opts.orgs.length] ?? null) : null,
                photo: null,
              },
              now,
            );
          const registrationId = sessions.insertRegistration(
            sessionId,
            candidateId,
            `${sessionId}-${String(i + 1).padStart(4, '0')}`,
            i + 1,
            now,
          );
          const paper = drawPrepared(pool, seededRandom(`${opts.seed}:${registrationId}`));
          papers.set(registrationId, { paper, hash: `paper-${opts.seed}-${registrationId}` });
          delivery.startAttempt(registrationId, now);
          // a candidate of ability a answers each question right with probability a, else a wrong option or blank
          const ability = 0.4 + random.int(56) / 100;
          let seq = 0;
          for (const q of paper.questions) {
            const roll = random.int(100) / 100;
            let choice: number[];
            if (roll < ability) choice = q.answer;
            else if (roll > 0.98) continue;
            else {
              const wrong = q.options.map((_, k) => k).filter((k) => !(q.answer.length === 1 && q.answer[0] === k));
              choice = [wrong[random.int(wrong.length)] as number];
            }
            delivery.saveAnswer(registrationId, q.position, choice, ++seq, now);
          }
          delivery.markSubmitted(registrationId, now, 'candidate');
          registrations.push(registrationId);
        }
        fixture.sessionIds.push(sessionId);
        fixture.registrations.push(...registrations);
        return { sessionId, registrations };
      })();
    },
  };
  return fixture;
}
