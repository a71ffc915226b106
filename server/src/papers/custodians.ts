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

/** Who chose a custodian's current password, as the independence rules see it. */
function passwordHand(s: StaffRecord): 'self' | 'regulator' | string {
  // An official's password is bound to the regulator's grant and re-checked against it at every login
  // (conduct/grants.ts): nobody at the institution chose it, whatever the row says.
  if (s.roles.includes('official')) return 'regulator';
  if (s.passwordSetBy === 'self') return 'self';
  return s.passwordSetBy ?? 'unknown';
}

const ownHand = (hand: string) => hand === 'self' || hand === 'regulator';

/**
 * The two custodians must be two people the rules can tell apart (issue 13, hole 4), so that nobody can hold
 * both codes by logging in twice:
 * - never the operator who seals (who chose the custodians and could otherwise collect a code);
 * - never an account whose current password the operator, or the other custodian, set (they know it);
 * - never two accounts whose current passwords the same hand set since each person last set their own (one
 *   admin who created or reset both knows both); a password of unknown origin counts as such a hand;
 * - where the session asks for it (`custodianFromOutside`), one of them from outside the institution: an
 *   official, whose account only the regulator's grant makes.
 * Checked at sealing and again at opening (with the seal's recorded operator).
 */
export function independenceViolations(
  custodians: readonly [StaffRecord, StaffRecord],
  operator: string,
  requireOutside: boolean,
): CustodianViolation[] {
  const out: CustodianViolation[] = [];
  const [a, b] = custodians;
  const operatorIsStaff = operator.startsWith('staff:');
  for (const [x, other] of [
    [a, b],
    [b, a],
  ] as const) {
    const hand = passwordHand(x);
    if (operator === `staff:${x.id}`)
      out.push({ staffId: x.id, code: 'custodian-is-operator', message: `${x.name} 是封卷操作人，不能同时保管开卷码` });
    else if (operatorIsStaff && hand === operator)
      out.push({
        staffId: x.id,
        code: 'custodian-password-known',
        message: `${x.name} 的当前密码由封卷操作人设置（本人尚未自行修改），不能保管开卷码`,
      });
    if (hand === `staff:${other.id}`)
      out.push({
        staffId: x.id,
        code: 'custodians-not-independent',
        message: `${x.name} 的当前密码由另一位保管人 ${other.name} 设置，两人不能同时保管开卷码`,
      });
  }
  const [ha, hb] = [passwordHand(a), passwordHand(b)];
  if (!ownHand(ha) && !ownHand(hb) && (ha === hb || ha === 'unknown' || hb === 'unknown'))
    out.push({
      staffId: b.id,
      code: 'custodians-not-independent',
      message:
        `${a.name} 与 ${b.name} 的当前密码由同一人设置（或来源不明），须至少一人先自行修改密码` +
        ' / both passwords were set by the same hand since each last set their own',
    });
  if (requireOutside && !a.roles.includes('official') && !b.roles.includes('official'))
    out.push({
      staffId: b.id,
      code: 'custodian-outside-required',
      message:
        '本场次要求一位保管人来自机构之外（监管人员） / this session needs one custodian from outside the institution',
    });
  return out;
}
