import type { Db } from '../db/open';
import { BankRepo } from '../bank/bank.repo';
import { BlueprintsRepo } from '../bank/blueprints.repo';
import { EventsRepo, sessionChain } from '../audit/events.repo';
import type { CandidateQuestion } from '../protocol';
import type { Clock } from '../shared/clock';
import { AppError, notFound } from '../shared/errors';
import { seededRandom } from '../shared/random';
import { drawPaper, type Paper } from './draw';
import { PapersRepo } from './papers.repo';

/** Strips everything a candidate must not see (answers, item hashes, knowledge points). */
export function toCandidateQuestions(paper: Paper): CandidateQuestion[] {
  return paper.questions.map((q) => ({ position: q.position, type: q.type, stem: q.stem, options: q.options }));
}

export class PapersService {
  readonly repo: PapersRepo;
  private readonly bank: BankRepo;
  private readonly blueprints: BlueprintsRepo;
  private readonly events: EventsRepo;

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
  ) {
    this.repo = new PapersRepo(db);
    this.bank = new BankRepo(db);
    this.blueprints = new BlueprintsRepo(db);
    this.events = new EventsRepo(db);
  }

  /** Draws one paper per registration of the session (一人一卷) from the session's bank version. */
  drawForSession(sessionId: number, seed: string, actor: string): { drawn: number } {
    const session = this.db
      .prepare<[number], { blueprint_id: number; bank_version_id: number }>(
        'SELECT blueprint_id, bank_version_id FROM sessions WHERE id = ?',
      )
      .get(sessionId);
    if (!session) throw notFound('session');
    const blueprint = this.blueprints.get(session.blueprint_id);
    if (!blueprint) throw notFound('blueprint');
    const version = this.bank.version(session.bank_version_id);
    if (version?.pool !== 'exam') throw new AppError('not-exam-pool', 'papers may only be drawn from an exam-pool version');
    const items = this.bank.itemsOfVersion(version.id);
    const registrations = this.db
      .prepare<[number], { id: number }>('SELECT id FROM registrations WHERE session_id = ? ORDER BY id')
      .all(sessionId);
    return this.db.transaction(() => {
      if (this.repo.countForSession(sessionId) > 0)
        throw new AppError('papers-already-drawn', 'papers for this session are already drawn', 409);
      for (const r of registrations) {
        const paper = drawPaper(blueprint.body, items, seededRandom(`${seed}:${r.id}`));
        this.repo.save(r.id, paper, this.clock.now());
      }
      this.events.append({
        chain: sessionChain(sessionId),
        at: this.clock.now(),
        actor,
        type: 'papers.drawn',
        payload: { count: registrations.length, bankVersionId: version.id, blueprintId: blueprint.id },
      });
      return { drawn: registrations.length };
    })();
  }

  paperFor(registrationId: number): { paper: Paper; hash: string } {
    const found = this.repo.get(registrationId);
    if (!found) throw new AppError('paper-not-available', 'no paper for this registration', 409);
    return found;
  }
}
