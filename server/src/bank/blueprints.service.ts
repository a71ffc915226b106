import type { Db } from '../db/open';
import { EventsRepo, INSTITUTION_CHAIN } from '../audit/events.repo';
import type { BlueprintCheck, BlueprintView } from '../protocol';
import type { Clock } from '../shared/clock';
import { AppError, notFound } from '../shared/errors';
import { TSG_CATEGORIES } from './bank-format';
import { BankRepo } from './bank.repo';
import { blueprintQuestionCount, blueprintSchema, type Blueprint } from './blueprint';
import { blueprintShortfalls } from './blueprint-check';
import { BlueprintsRepo, type StoredBlueprint } from './blueprints.repo';

export const blueprintView = (b: StoredBlueprint): BlueprintView => ({
  id: b.id,
  category: b.body.category,
  name: b.body.name,
  fingerprint: b.fingerprint,
  createdBy: b.createdBy ?? '',
  createdAt: b.createdAt,
  retiredAt: b.retiredAt ?? null,
  durationMinutes: b.body.durationMinutes,
  passMark: b.body.passMark,
  questionCount: blueprintQuestionCount(b.body),
  body: b.body,
});

/** 组卷规则: stored as immutable rows (a change is a new one), checked against bank versions. */
export class BlueprintsService {
  readonly repo: BlueprintsRepo;
  private readonly bank: BankRepo;
  private readonly events: EventsRepo;

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
  ) {
    this.repo = new BlueprintsRepo(db);
    this.bank = new BankRepo(db);
    this.events = new EventsRepo(db);
  }

  create(input: unknown, actor: string): StoredBlueprint {
    const parsed = blueprintSchema.safeParse(input);
    if (!parsed.success) {
      const problems = parsed.error.issues.map((i) => ({
        field: i.path.join('.') || '(blueprint)',
        message: i.message,
      }));
      throw new AppError('blueprint-invalid', problems.map((p) => `${p.field}: ${p.message}`).join('; '), 400, {
        problems,
      });
    }
    const body: Blueprint = parsed.data;
    return this.db.transaction(() => {
      const name = this.bank.categoryName(body.category) ?? TSG_CATEGORIES[body.category];
      if (!name) throw new AppError('unknown-category', `作业项目 ${body.category} 尚无题库，请先导入题库`, 409);
      this.bank.upsertCategory(body.category, name, body.category === 'A');
      const previous = this.repo.current(body.category);
      const stored = this.repo.insert(body, actor, this.clock.now());
      this.events.append({
        chain: INSTITUTION_CHAIN,
        at: this.clock.now(),
        actor,
        type: 'bank.blueprint-created',
        payload: {
          blueprintId: stored.id,
          category: body.category,
          fingerprint: stored.fingerprint,
          previousId: previous?.id ?? null,
        },
      });
      return stored;
    })();
  }

  retire(id: number, actor: string): void {
    this.db.transaction(() => {
      const b = this.repo.get(id);
      if (!b) throw notFound('blueprint', { blueprintId: id });
      if (!this.repo.retire(id, actor, this.clock.now()))
        throw new AppError('blueprint-retired', '此组卷规则已停用', 409);
      this.events.append({
        chain: INSTITUTION_CHAIN,
        at: this.clock.now(),
        actor,
        type: 'bank.blueprint-retired',
        payload: {
          blueprintId: id,
          category: b.body.category,
          fingerprint: b.fingerprint,
        },
      });
    })();
  }

  /** Can this version's pool give `papers` disjoint papers under the blueprint? Says exactly why not. */
  check(blueprintId: number, versionId: number, papers = 1): BlueprintCheck {
    const b = this.repo.get(blueprintId);
    if (!b) throw notFound('blueprint', { blueprintId });
    const v = this.bank.version(versionId);
    if (!v) throw notFound('bank version', { versionId });
    const shortfalls = blueprintShortfalls(b.body, this.bank.itemsOfVersion(versionId), papers);
    if (v.pool !== 'exam')
      shortfalls.unshift(`version #${v.id} is a practice pool: papers are drawn from the exam pool only`);
    if (v.category !== b.body.category)
      shortfalls.unshift(`blueprint is for ${b.body.category}, version #${v.id} is for ${v.category}`);
    return {
      blueprintId,
      versionId,
      papers,
      satisfiable: shortfalls.length === 0,
      shortfalls: [...new Set(shortfalls)],
    };
  }
}
