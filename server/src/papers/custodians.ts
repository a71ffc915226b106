import type { Db } from '../db/open';
import { StaffRepo, type StaffRecord } from '../people/staff.repo';
import type { Role } from '../protocol';

/** Why a staff member may not hold (or use) a custodian code for a session. */
export type CustodianViolation = { staffId: number; code: string; message: string };

/**
 * Checked at sealing and again at opening (design.md: "open (both custodians, inside the window, rules
 * re-checked)"). The integrity module's `checkCustodians(sessionId, staffIds, date)` plugs in here (see
 * app.ts): staff disciplined for conduct problems may no longer do exam work [notice §二(三)].
 */
export type CustodianCheck = (sessionId: number, staffIds: number[], at: number) => CustodianViolation[];

/**
 * Who may hold a code. A bank keeper (题库管理员) already knows the exam pool, so letting them hold half the
 * key of the papers drawn from it would defeat the separation of duties; an official (监管人员) may hold one,
 * since holding a code changes nothing — the opening itself is done by staff.
 */
export const CUSTODIAN_ROLES: readonly Role[] = ['chief_examiner', 'admin', 'proctor', 'official'];

export const isCustodianEligible = (s: StaffRecord): boolean =>
  !s.disabled && s.roles.some((r) => CUSTODIAN_ROLES.includes(r));

/** The check this module can make by itself: custodians exist, are enabled and have a custodian role. */
export function basicCustodianCheck(db: Db): CustodianCheck {
  const staff = new StaffRepo(db);
  return (_sessionId, staffIds) =>
    staffIds.flatMap((staffId): CustodianViolation[] => {
      const s = staff.byId(staffId);
      if (!s) return [{ staffId, code: 'custodian-unknown', message: `工作人员 #${staffId} 不存在` }];
      if (s.disabled) return [{ staffId, code: 'custodian-disabled', message: `${s.name} 的账号已停用` }];
      if (!isCustodianEligible(s))
        return [{ staffId, code: 'custodian-role', message: `${s.name} 的角色不能保管开卷码（题库管理员不得保管）` }];
      return [];
    });
}

/** Runs every check and returns all violations (the basic one first, then e.g. the integrity rules). */
export const combineChecks =
  (...checks: CustodianCheck[]): CustodianCheck =>
  (sessionId, staffIds, at) =>
    checks.flatMap((c) => c(sessionId, staffIds, at));
