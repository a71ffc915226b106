import type { Db } from '../db/open';
import { EventsRepo, INSTITUTION_CHAIN } from '../audit/events.repo';
import { generateOneTimePassword, hashPassword } from '../auth/passwords';
import type { Role } from '../protocol';
import type { Clock } from '../shared/clock';
import { AppError, notFound } from '../shared/errors';
import { StaffRepo, type StaffRecord } from './staff.repo';

const officialByGrant = () =>
  new AppError(
    'official-needs-grant',
    '监管人员账号只随监管部门授权变更 / officials change by regulator grant only',
    403,
  );

/**
 * What an admin does to a login: reset its password, disable or enable it, change its roles. Each ends every
 * token of that person at once (the staff table's trigger moves the token version; issue 13, hole 12) and is an
 * institution event. A reset password is the admin's: recorded as set by them until the person sets their own,
 * which the custodian rules read (papers/custodians.ts, hole 4).
 */
export class StaffAccountsService {
  private readonly staff: StaffRepo;
  private readonly events: EventsRepo;

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
  ) {
    this.staff = new StaffRepo(db);
    this.events = new EventsRepo(db);
  }

  private institutionStaff(staffId: number, actor: string): StaffRecord {
    // Not on one's own account: an admin would otherwise give themself a chief examiner's role (and so a
    // custodian's slot and the grading pen), or lock a one-admin institution out. Another admin does it.
    if (actor === `staff:${staffId}`)
      throw new AppError('own-account', '不能在此修改自己的账号：停用、角色和重置密码须由另一名管理员操作', 409);
    const s = this.staff.byId(staffId);
    if (!s) throw notFound('staff', { staffId });
    if (s.roles.includes('official')) throw officialByGrant();
    return s;
  }

  private event(actor: string, type: string, payload: Record<string, unknown>): void {
    this.events.append({ chain: INSTITUTION_CHAIN, at: this.clock.now(), actor, type, payload });
  }

  /** A new one-time password, shown once to the admin; the person must change it at their next login. */
  resetPassword(staffId: number, actor: string): { oneTimePassword: string } {
    this.institutionStaff(staffId, actor);
    const password = generateOneTimePassword();
    const { hash, salt } = hashPassword(password);
    this.db.transaction(() => {
      this.staff.setPassword(staffId, hash, salt, true, actor, this.clock.now());
      this.event(actor, 'staff.password-reset', { staffId });
    })();
    return { oneTimePassword: password };
  }

  setDisabled(staffId: number, disabled: boolean, actor: string): { staffId: number; disabled: boolean } {
    this.institutionStaff(staffId, actor);
    this.db.transaction(() => {
      this.staff.setDisabled(staffId, disabled);
      this.event(actor, disabled ? 'staff.disabled' : 'staff.enabled', { staffId });
    })();
    return { staffId, disabled };
  }

  setRoles(staffId: number, roles: Role[], actor: string): { staffId: number; roles: Role[] } {
    const before = this.institutionStaff(staffId, actor);
    if (roles.includes('official')) throw officialByGrant();
    const unique = [...new Set(roles)];
    this.db.transaction(() => {
      this.staff.setRoles(staffId, unique);
      this.event(actor, 'staff.roles-changed', { staffId, before: before.roles, after: unique });
    })();
    return { staffId, roles: unique };
  }
}
