import type { Db } from '../db/open';
import { EventsRepo, INSTITUTION_CHAIN } from '../audit/events.repo';
import { verifyPassword } from '../auth/passwords';
import type {
  DeclarationInput,
  DeclarationRemovalReviewInput,
  DeclarationRemovalView,
  DeclarationView,
} from '../protocol';
import type { Clock } from '../shared/clock';
import { canonicalJson, sha256Hex } from '../shared/canonical-json';
import { AppError, notFound } from '../shared/errors';
import { DeclarationsRepo, type NewRemovalReview } from './declarations.repo';
import { OrganisationsRepo } from './organisations.repo';
import { StaffRepo } from './staff.repo';

/** The text each staff member signs off (回避 and 考培分离, notice §二(三)). */
export const DECLARATION_STATEMENT =
  '本人承诺：以上所填亲属、同单位、培训及其他利害关系和培训任职情况真实完整；与考生存在上述关系时主动回避，' +
  '不参与其所在场次的监考、考评及试卷保管；情况变化时及时更新声明。' +
  ' / I declare the relationships and training engagements above truthfully and completely, will recuse myself ' +
  'from any session of a candidate so related, and will update this declaration when anything changes.';

type Relationship = DeclarationView['relationships'][number];
type Engagement = DeclarationView['engagements'][number];

/** What identifies a declared item across versions (row ids are new in every version). */
export const relationshipKey = (r: Pick<Relationship, 'kind' | 'personIdNumber' | 'orgId'>) =>
  `${r.kind}|${(r.personIdNumber ?? '').toUpperCase()}|${r.orgId ?? ''}`;
// Any change of an engagement's dates is a removal of the old one: ending an engagement early is exactly
// how a trainer would slip out of the 考培分离 look-back, so it needs the same review.
export const engagementKey = (e: Pick<Engagement, 'orgId' | 'from' | 'to'>) => `${e.orgId}|${e.from}|${e.to ?? ''}`;

const KIND_ZH: Record<Relationship['kind'], string> = {
  relative: '亲属',
  same_employer: '同单位',
  trained: '培训',
  other_interest: '其他利害关系',
};

export type DeclarationRemoval = DeclarationRemovalView & {
  itemKey: string;
  removedInDeclarationId: number;
  relationship: Relationship | null;
  engagement: Engagement | null;
};

/**
 * Items dropped from a staff member's declaration (issue 13 hole 9): declared in some version, absent from
 * the latest. Only removals of items in force at or after `since` count (the version that last declared
 * them was superseded inside the look-back); each carries its admin review, if any. `versions` oldest first.
 */
export function declarationRemovals(
  versions: readonly DeclarationView[],
  reviews: readonly NewRemovalReview[],
  since: number,
): DeclarationRemoval[] {
  const latest = versions.at(-1);
  if (!latest) return [];
  const out: DeclarationRemoval[] = [];
  const scan = <T extends { id: number }>(
    part: DeclarationRemoval['part'],
    itemsOf: (d: DeclarationView) => T[],
    keyOf: (t: T) => string,
    describe: (t: T) => string,
    wrap: (t: T) => Pick<DeclarationRemoval, 'relationship' | 'engagement'>,
  ) => {
    const inLatest = new Set(itemsOf(latest).map(keyOf));
    const lastSeen = new Map<string, { index: number; item: T }>();
    versions.forEach((d, index) => itemsOf(d).forEach((item) => lastSeen.set(keyOf(item), { index, item })));
    for (const [key, { index, item }] of lastSeen) {
      if (inLatest.has(key)) continue;
      const declaredIn = versions[index] as DeclarationView;
      const removedIn = versions[index + 1] as DeclarationView;
      if (removedIn.signedAt < since) continue;
      const r = reviews.find((x) => x.part === part && x.itemKey === key && x.removedInDeclarationId === removedIn.id);
      out.push({
        staffId: latest.staffId,
        part,
        itemId: item.id,
        itemKey: key,
        summary: describe(item),
        declaredInVersion: declaredIn.version,
        removedInVersion: removedIn.version,
        removedInDeclarationId: removedIn.id,
        removedAt: removedIn.signedAt,
        review: r ? { reason: r.reason, reviewedBy: r.reviewedBy, reviewedAt: r.reviewedAt } : null,
        ...wrap(item),
      });
    }
  };
  scan<Relationship>(
    'relationship',
    (d) => d.relationships,
    relationshipKey,
    (r) =>
      `${KIND_ZH[r.kind]} ${r.personName ?? ''}${r.personIdNumber ? `（${r.personIdNumber}）` : ''}${r.orgName ?? ''}`,
    (r) => ({ relationship: r, engagement: null }),
  );
  scan<Engagement>(
    'engagement',
    (d) => d.engagements,
    engagementKey,
    (e) => `培训任职 ${e.orgName} ${e.from}—${e.to ?? '至今'}`,
    (e) => ({ relationship: null, engagement: e }),
  );
  return out;
}

/**
 * Declarations: versioned, signed off by the staff member (who re-enters their password), never deleted. Only
 * the staff member declares for themselves; nobody else can sign on their behalf.
 */
export class DeclarationsService {
  readonly repo: DeclarationsRepo;
  private readonly staff: StaffRepo;
  private readonly orgs: OrganisationsRepo;
  private readonly events: EventsRepo;

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
  ) {
    this.repo = new DeclarationsRepo(db);
    this.staff = new StaffRepo(db);
    this.orgs = new OrganisationsRepo(db);
    this.events = new EventsRepo(db);
  }

  history(staffId: number): DeclarationView[] {
    if (!this.staff.byId(staffId)) throw notFound('staff', { staffId });
    return this.repo.history(staffId);
  }

  /** Every item ever dropped from the staff member's declaration, reviewed or not (admins and officials). */
  removals(staffId: number): DeclarationRemovalView[] {
    if (!this.staff.byId(staffId)) throw notFound('staff', { staffId });
    return this.removalsOf(staffId).map(
      ({ itemKey: _k, removedInDeclarationId: _d, relationship: _r, engagement: _e, ...view }) => view,
    );
  }

  /** Every staff member's removals, pending first (the admins' review list, read by officials too). */
  allRemovals(): DeclarationRemovalView[] {
    const ids = this.repo.declaredStaffIds();
    const versions = this.repo.allVersionsFor(ids);
    const reviews = this.repo.removalReviewsFor(ids);
    return ids
      .flatMap((id) =>
        declarationRemovals(
          versions.get(id) ?? [],
          reviews.filter((r) => r.staffId === id),
          0,
        ),
      )
      .map(({ itemKey: _k, removedInDeclarationId: _d, relationship: _r, engagement: _e, ...view }) => view)
      .sort((a, b) => Number(a.review !== null) - Number(b.review !== null) || b.removedAt - a.removedAt);
  }

  private removalsOf(staffId: number): DeclarationRemoval[] {
    return declarationRemovals(
      this.repo.allVersionsFor([staffId]).get(staffId) ?? [],
      this.repo.removalReviewsFor([staffId]),
      0,
    );
  }

  /**
   * An admin's review of a removal (issue 13 hole 9): until it, the dropped relationship keeps counting for
   * 回避 / 考培分离. Nobody reviews their own retraction. The review is a chained institution event, which
   * officials read, in the same transaction.
   */
  reviewRemoval(
    staffId: number,
    input: DeclarationRemovalReviewInput,
    reviewer: { staffId: number; actor: string },
  ): DeclarationRemovalView {
    if (reviewer.staffId === staffId) throw new AppError('self-review', '不能审核自己撤回的声明内容', 403);
    return this.db.transaction(() => {
      const removal = this.removalsOf(staffId).find((r) => r.part === input.part && r.itemId === input.itemId);
      if (!removal) throw notFound('declaration removal', { staffId, part: input.part, itemId: input.itemId });
      if (removal.review) throw new AppError('already-reviewed', '该撤回已审核', 409);
      const now = this.clock.now();
      this.repo.insertRemovalReview({
        staffId,
        part: removal.part,
        itemKey: removal.itemKey,
        itemId: removal.itemId,
        removedInDeclarationId: removal.removedInDeclarationId,
        reason: input.reason,
        reviewedBy: reviewer.actor,
        reviewedAt: now,
      });
      this.events.append({
        chain: INSTITUTION_CHAIN,
        at: now,
        actor: reviewer.actor,
        type: 'people.declaration-removal-reviewed',
        payload: {
          staffId,
          part: removal.part,
          itemId: removal.itemId,
          summary: removal.summary,
          declaredInVersion: removal.declaredInVersion,
          removedInVersion: removal.removedInVersion,
          reason: input.reason,
        },
      });
      const { itemKey: _k, removedInDeclarationId: _d, relationship: _r, engagement: _e, ...view } = removal;
      return { ...view, review: { reason: input.reason, reviewedBy: reviewer.actor, reviewedAt: now } };
    })();
  }

  declare(staffId: number, input: DeclarationInput): DeclarationView {
    const me = this.staff.byId(staffId);
    if (!me) throw notFound('staff', { staffId });
    if (!verifyPassword(input.password, { hash: me.passwordHash, salt: me.passwordSalt }))
      throw new AppError('bad-credentials', '密码不正确，声明未签署', 401);
    return this.signed(staffId, input, `staff:${staffId}`);
  }

  /** Stores a signed declaration; `declare` checks the signature, the demo seed calls this directly. */
  signed(staffId: number, input: Omit<DeclarationInput, 'password' | 'confirm'>, actor: string): DeclarationView {
    const orgIds = [
      ...input.relationships.flatMap((r) => (r.orgId ? [r.orgId] : [])),
      ...input.engagements.map((e) => e.orgId),
    ];
    const known = new Set(this.orgs.byIds(orgIds).map((o) => o.id));
    const missing = orgIds.filter((id) => !known.has(id));
    if (missing.length) throw new AppError('invalid-input', `未登记的组织：${[...new Set(missing)].join(', ')}`, 400);
    const body = {
      relationships: input.relationships,
      engagements: input.engagements,
      statement: DECLARATION_STATEMENT,
    };
    return this.db.transaction(() => {
      const now = this.clock.now();
      const bodyHash = sha256Hex(canonicalJson(body));
      const { id, version } = this.repo.insert({
        staffId,
        statement: DECLARATION_STATEMENT,
        bodyHash,
        signedBy: staffId,
        signedAt: now,
        recordedBy: actor,
        relationships: input.relationships,
        engagements: input.engagements,
      });
      this.events.append({
        chain: INSTITUTION_CHAIN,
        at: now,
        actor,
        type: 'people.declaration-signed',
        payload: {
          staffId,
          declarationId: id,
          version,
          bodyHash,
          relationships: input.relationships.length,
          engagements: input.engagements.length,
        },
      });
      return this.repo.history(staffId)[0] as DeclarationView;
    })();
  }
}
