import type { Db } from '../db/open';
import { EventsRepo, sessionChain } from '../audit/events.repo';
import { runAfterTransition } from '../audit/transition-hooks';
import { BlueprintsRepo } from '../bank/blueprints.repo';
import { blueprintQuestionCount } from '../bank/blueprint';
import type { SessionDetail, SessionSummary } from '../protocol';
import type { Clock } from '../shared/clock';
import { notFound } from '../shared/errors';
import { assertTransition, canTransition, type SessionState } from './session-states';
import { runTransitionGuards } from './transition-guards';
import { SessionsRepo, summaryOf, type SessionRecord } from './sessions.repo';

export class SessionsService {
  readonly repo: SessionsRepo;
  private readonly events: EventsRepo;
  private readonly blueprints: BlueprintsRepo;

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
  ) {
    this.repo = new SessionsRepo(db);
    this.events = new EventsRepo(db);
    this.blueprints = new BlueprintsRepo(db);
  }

  get(id: number): SessionRecord {
    const s = this.repo.get(id);
    if (!s) throw notFound('session', { sessionId: id });
    return s;
  }

  list(): SessionSummary[] {
    return this.repo.list();
  }

  detail(id: number): SessionDetail {
    const s = this.get(id);
    const blueprint = this.blueprints.get(s.blueprintId);
    const questionCount = blueprint ? blueprintQuestionCount(blueprint.body) : 0;
    const roster = this.repo.roster(id, questionCount);
    return {
      ...summaryOf(s),
      registered: roster.length,
      submitted: roster.filter((r) => r.status === 'submitted').length,
      roster,
    };
  }

  /** One transition: checks it is allowed, changes state and appends its event in one transaction. */
  transition(id: number, to: SessionState, actor: string, reason?: string): SessionRecord {
    // Guards (e.g. integrity re-check on opening) run before the state change, so a refusal's own record
    // commits even though the transition does not; better-sqlite3 is synchronous, nothing runs in between.
    const current = this.get(id);
    if (canTransition(current.state, to)) runTransitionGuards(this.db, current, to, actor, this.clock.now());
    return this.db.transaction(() => {
      const s = this.get(id);
      assertTransition(s.state, to);
      const now = this.clock.now();
      this.repo.setState(id, to, now);
      this.events.append({
        chain: sessionChain(id),
        at: now,
        actor,
        type: 'session.transition',
        payload: { from: s.state, to, ...(reason ? { reason } : {}) },
      });
      runAfterTransition(this.db, id, to, actor);
      return { ...s, state: to };
    })();
  }
}
