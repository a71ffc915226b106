import type { Db } from '../db/open';
import { EventsRepo, INSTITUTION_CHAIN } from '../audit/events.repo';
import { verifyPassword } from '../auth/passwords';
import type { DeclarationInput, DeclarationView } from '../protocol';
import type { Clock } from '../shared/clock';
import { canonicalJson, sha256Hex } from '../shared/canonical-json';
import { AppError, notFound } from '../shared/errors';
import { DeclarationsRepo } from './declarations.repo';
import { OrganisationsRepo } from './organisations.repo';
import { StaffRepo } from './staff.repo';

/** The text each staff member signs off (回避 and 考培分离, notice §二(三)). */
export const DECLARATION_STATEMENT =
  '本人承诺：以上所填亲属、同单位、培训及其他利害关系和培训任职情况真实完整；与考生存在上述关系时主动回避，' +
  '不参与其所在场次的监考、考评及试卷保管；情况变化时及时更新声明。' +
  ' / I declare the relationships and training engagements above truthfully and completely, will recuse myself ' +
  'from any session of a candidate so related, and will update this declaration when anything changes.';

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
