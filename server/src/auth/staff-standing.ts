import type { Db } from '../db/open';
import { dayOf } from '../integrity/dates';
import { IntegrityRepo } from '../integrity/integrity.repo';
import type { DisciplineKind } from '../integrity/rules/facts';
import { staffBanOn } from '../integrity/rules/staff-rules';
import { LinkRepo } from '../link/link.repo';
import { StaffProfilesRepo } from '../people/staff-profiles.repo';
import { StaffRepo } from '../people/staff.repo';
import type { Role } from '../protocol';
import type { Clock } from '../shared/clock';
import { AppError } from '../shared/errors';
import type { Principal } from './tokens';

type StaffPrincipal = Extract<Principal, { kind: 'staff' }>;

export const tokenRevoked = () =>
  new AppError(
    'token-revoked',
    '账号已变更（停用、处分、角色或密码），请重新登录 / account changed: log in again',
    401,
  );

const sameRoles = (a: readonly Role[], b: readonly Role[]) =>
  a.length === b.length && a.every((r) => b.includes(r)) && b.every((r) => a.includes(r));

/**
 * Whether a person may act as staff right now (issue 13, holes 11 and 12). Checked at login and on every
 * staff request and socket event, against the database rather than the token: a token says what was true when
 * it was issued, and disabling an account, a ban, a role change or a password change must end it at once.
 * No cache: two indexed lookups per request (the settings are read only for a person with records), which is
 * small beside what a staff request does anyway; candidates' tokens, the hot path, are not checked here.
 */
export class StaffStanding {
  private readonly staff: StaffRepo;
  private readonly profiles: StaffProfilesRepo;
  private readonly integrity: IntegrityRepo;
  private readonly link: LinkRepo;

  constructor(
    db: Db,
    private readonly clock: Clock,
  ) {
    this.link = new LinkRepo(db);
    this.staff = new StaffRepo(db);
    this.profiles = new StaffProfilesRepo(db);
    this.integrity = new IntegrityRepo(db);
  }

  /**
   * The record that bars this person from staff work today, if any. [notice §二(三)] 因行风问题受到纪律处分的
   * 考试工作人员不得再从事考试工作: a barred person has no staff login at all, not only no assignment. Officials are
   * the regulator's people: a record the institution enters against one must not lock its supervisor out.
   */
  barredBy(staffId: number, roles: readonly Role[]): { recordId: number; documentNo: string } | null {
    if (roles.includes('official')) return null;
    const records: { id: number; kind: DisciplineKind; decisionDate: string; documentNo: string }[] =
      this.profiles.activeDisciplinary([staffId]);
    // The regulator's province-wide list binds the same way (issue 14), matched by the person's ID number.
    if (this.link.hasBanList()) {
      const idNumber = this.profiles.get(staffId)?.idNumber;
      if (idNumber)
        records.push(
          ...this.link
            .provinceBans({ idNumbers: [idNumber] })
            .persons.map((r) => ({ id: r.id, kind: r.reason, decisionDate: r.decisionDate, documentNo: r.documentNo })),
        );
    }
    if (records.length === 0) return null;
    const today = dayOf(this.clock.now());
    const settings = this.integrity.settings();
    const r = records.find((x) => staffBanOn(x, today, settings).applies);
    return r ? { recordId: r.id, documentNo: r.documentNo } : null;
  }

  /** Throws `token-revoked` unless the token still matches the account: version, roles, enabled, not barred. */
  check(p: StaffPrincipal): void {
    const state = this.staff.tokenState(p.staffId);
    if (!state || state.disabled || state.tokenVersion !== (p.tv ?? 0) || !sameRoles(state.roles, p.roles))
      throw tokenRevoked();
    if (this.barredBy(p.staffId, state.roles)) throw tokenRevoked();
  }
}

/**
 * Every event on a staff socket re-checks the account: a socket opened before the account changed is answered
 * `token-revoked` and closed, so a disabled or barred person's open console stops within one event.
 */
export function guardStaffSocket(
  socket: {
    use(fn: (packet: unknown[], next: (err?: Error) => void) => void): unknown;
    disconnect(close?: boolean): unknown;
  },
  check: () => void,
): void {
  socket.use((packet, next) => {
    try {
      check();
      next();
    } catch (err) {
      const ack = packet.at(-1);
      const e = err instanceof AppError ? err : tokenRevoked();
      if (typeof ack === 'function') ack({ ok: false, error: { code: e.code, message: e.message } });
      socket.disconnect(true);
    }
  });
}
