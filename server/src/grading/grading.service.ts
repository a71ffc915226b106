import type { Db } from '../db/open';
import { EventsRepo, sessionChain } from '../audit/events.repo';
import { BlueprintsRepo } from '../bank/blueprints.repo';
import { DeliveryRepo } from '../delivery/delivery.repo';
import { PapersService } from '../papers/papers.service';
import { SessionsRepo } from '../sessions/sessions.repo';
import { canonicalJson, sha256Hex } from '../shared/canonical-json';
import type { Clock } from '../shared/clock';
import { notFound } from '../shared/errors';
import { ResultsRepo, type ResultRecord } from './results.repo';
import { GRADER_VERSION, scorePaper } from './score';

export class GradingService {
  readonly results: ResultsRepo;
  private readonly delivery: DeliveryRepo;
  private readonly sessions: SessionsRepo;
  private readonly blueprints: BlueprintsRepo;
  private readonly events: EventsRepo;

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly papers: PapersService,
  ) {
    this.results = new ResultsRepo(db);
    this.delivery = new DeliveryRepo(db);
    this.sessions = new SessionsRepo(db);
    this.blueprints = new BlueprintsRepo(db);
    this.events = new EventsRepo(db);
  }

  /** Grades a submitted attempt from its own paper's key; call inside the submitting transaction. */
  gradeRegistration(registrationId: number, actor: string): ResultRecord {
    const existing = this.results.get(registrationId);
    if (existing) return existing;
    const registration = this.sessions.registration(registrationId);
    if (!registration) throw notFound('registration');
    const session = this.sessions.get(registration.sessionId);
    if (!session) throw notFound('session');
    const blueprint = this.blueprints.get(session.blueprintId);
    if (!blueprint) throw notFound('blueprint');
    const { paper, hash: paperHash } = this.papers.paperFor(registrationId);
    const answers = this.delivery.answers(registrationId);
    const scored = scorePaper(
      paper,
      new Map(answers.map((a) => [a.position, a.choice])),
      blueprint.body.multiScoring,
    );
    const result: ResultRecord = {
      registrationId,
      score: scored.score,
      maxScore: scored.maxScore,
      passed: scored.score >= blueprint.body.passMark,
      correctCount: scored.correctCount,
      paperHash,
      answersHash: sha256Hex(canonicalJson(answers.map((a) => ({ position: a.position, choice: a.choice })))),
      graderVersion: GRADER_VERSION,
      gradedAt: this.clock.now(),
    };
    this.results.insert(result);
    this.events.append({
      chain: sessionChain(session.id),
      at: result.gradedAt,
      actor,
      type: 'result.recorded',
      payload: {
        registrationId,
        score: result.score,
        passed: result.passed,
        paperHash,
        answersHash: result.answersHash,
        graderVersion: GRADER_VERSION,
      },
    });
    return result;
  }

  passMarkFor(sessionId: number): number {
    const session = this.sessions.get(sessionId);
    const blueprint = session && this.blueprints.get(session.blueprintId);
    return blueprint?.body.passMark ?? 70;
  }
}
