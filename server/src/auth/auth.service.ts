import type { Db } from '../db/open';
import { EventsRepo, INSTITUTION_CHAIN } from '../audit/events.repo';
import { StaffRepo, type StaffRecord } from '../people/staff.repo';
import type {
  CandidateLoginRequest,
  CandidateLoginResponse,
  Role,
  StaffLoginRequest,
  StaffLoginResponse,
} from '../protocol';
import { SessionsRepo } from '../sessions/sessions.repo';
import type { Clock } from '../shared/clock';
import { AppError } from '../shared/errors';
import { ADDRESS_THROTTLE, LoginThrottle } from './login-throttle';
import { hashPassword, verifyPassword } from './passwords';
import { StaffStanding } from './staff-standing';
import type { TokenService } from './tokens';

// A candidate's token lasts the exam day; the exam itself is bounded by the server-side timer.
const CANDIDATE_TOKEN_SECONDS = 12 * 3600;
// Compared against when the account does not exist, so timing does not reveal valid usernames.
const DUMMY_HASH = hashPassword('not-a-real-password');

export class AuthService {
  private readonly staff: StaffRepo;
  private readonly sessions: SessionsRepo;
  private readonly events: EventsRepo;
  /** Whether a person may act as staff now: checked at login and on every staff request (middleware.ts). */
  readonly standing: StaffStanding;
  /** Set by app.ts to the regulator-grant check; until then no official may log in. */
  officialGate: (user: StaffRecord, password: string) => boolean = () => false;

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly tokens: TokenService,
    private readonly throttle: LoginThrottle,
    private readonly staffTokenMinutes: number,
    private readonly checkSeat: (
      sessionId: number,
      seatNo: number,
      workstationToken: string | undefined,
    ) => { workstationId: number } | null = () => null,
    private readonly addressThrottle: LoginThrottle = new LoginThrottle(clock, ADDRESS_THROTTLE),
  ) {
    this.staff = new StaffRepo(db);
    this.sessions = new SessionsRepo(db);
    this.events = new EventsRepo(db);
    this.standing = new StaffStanding(db, clock);
  }

  private throttleFor(key: string): LoginThrottle {
    return key.startsWith('ip:') ? this.addressThrottle : this.throttle;
  }

  private checkThrottle(keys: string[]): void {
    const wait = Math.max(...keys.map((k) => this.throttleFor(k).retryAfter(k)));
    if (wait > 0)
      throw new AppError('too-many-attempts', `登录失败次数过多，请 ${Math.ceil(wait / 60_000)} 分钟后再试`, 429, {
        retryAfterMs: wait,
      });
  }

  /** A success clears the account's count but not the address's: one valid login must not reset a guessing run. */
  private resetAccount(keys: string[]): void {
    keys.filter((k) => !k.startsWith('ip:')).forEach((k) => this.throttle.recordSuccess(k));
  }

  private logFailure(keys: string[], payload: Record<string, unknown>): void {
    keys.forEach((k) => this.throttleFor(k).recordFailure(k));
    this.events.append({
      chain: INSTITUTION_CHAIN,
      at: this.clock.now(),
      actor: 'anonymous',
      type: 'auth.login-failed',
      payload,
    });
  }

  loginStaff(req: StaffLoginRequest, ip: string): StaffLoginResponse {
    const keys = [`staff:${req.username.toLowerCase()}`, `ip:${ip}`];
    this.checkThrottle(keys);
    const user = this.staff.byUsername(req.username);
    const ok = verifyPassword(req.password, user ? { hash: user.passwordHash, salt: user.passwordSalt } : DUMMY_HASH);
    // Officials log in only under a valid regulator-signed grant (conduct/grants.ts, README "Officials' accounts").
    const official = !!user && user.roles.includes('official');
    if (!user || !ok || user.disabled || (official && !this.officialGate(user, req.password))) {
      this.logFailure(keys, { kind: 'staff', username: req.username, ip });
      throw new AppError('bad-credentials', '用户名或密码错误', 401);
    }
    this.resetAccount(keys);
    this.refuseBarred(user, ip);
    this.events.append({
      chain: INSTITUTION_CHAIN,
      at: this.clock.now(),
      actor: `staff:${user.id}`,
      type: 'auth.staff-logged-in',
      payload: { staffId: user.id, username: user.username, ip },
    });
    const { token, expiresAt } = this.tokens.signStaff(
      { sub: String(user.id), roles: user.roles, name: user.name, mcp: user.mustChangePassword, tv: user.tokenVersion },
      this.staffTokenMinutes * 60,
    );
    return {
      token,
      expiresAt,
      user: {
        id: user.id,
        username: user.username,
        name: user.name,
        roles: user.roles,
        mustChangePassword: user.mustChangePassword,
      },
    };
  }

  /**
   * A barred person (disciplinary record in force) gets no staff login, whatever their role; told so plainly
   * (after the password proved who they are) and logged, so the refusal is visible to officials.
   */
  private refuseBarred(user: StaffRecord, ip: string): void {
    const barred = this.standing.barredBy(user.id, user.roles);
    if (!barred) return;
    this.events.append({
      chain: INSTITUTION_CHAIN,
      at: this.clock.now(),
      actor: `staff:${user.id}`,
      type: 'auth.login-refused-barred',
      payload: { staffId: user.id, username: user.username, recordId: barred.recordId, ip },
    });
    throw new AppError(
      'staff-barred',
      `您受纪律处分（${barred.documentNo}），不得从事考试工作 / barred from exam work by a disciplinary record`,
      403,
    );
  }

  /**
   * A fresh password check for an act that must be the person's own, not their open tab's (entering a custodian
   * code): the same throttle, ban and regulator-grant checks as a login. Returns the account.
   */
  reauthenticate(staffId: number, password: string, ip: string): StaffRecord {
    const user = this.staff.byId(staffId);
    const keys = [`staff:${(user?.username ?? String(staffId)).toLowerCase()}`, `ip:${ip}`];
    this.checkThrottle(keys);
    const ok = verifyPassword(password, user ? { hash: user.passwordHash, salt: user.passwordSalt } : DUMMY_HASH);
    const official = !!user && user.roles.includes('official');
    if (!user || !ok || user.disabled || (official && !this.officialGate(user, password))) {
      this.logFailure(keys, { kind: 'staff-reauth', staffId, ip });
      throw new AppError('bad-credentials', '密码错误', 401);
    }
    this.resetAccount(keys);
    this.refuseBarred(user, ip);
    return user;
  }

  /** Binds the token to one registration of one session (准考证号 + 身份证号). */
  loginCandidate(req: CandidateLoginRequest, ip: string): CandidateLoginResponse {
    const keys = [`adm:${req.admissionNo}`, `ip:${ip}`];
    this.checkThrottle(keys);
    const registration = this.sessions.registrationByLogin(req.admissionNo, req.idNumber);
    if (!registration) {
      this.logFailure(keys, { kind: 'candidate', admissionNo: req.admissionNo, ip });
      throw new AppError('bad-credentials', '准考证号或身份证号不正确', 401);
    }
    this.resetAccount(keys);
    const workstation = this.checkSeat(registration.sessionId, registration.seatNo, req.workstationToken);
    const { token, expiresAt } = this.tokens.signCandidate(
      {
        sub: String(registration.id),
        sessionId: registration.sessionId,
        seatNo: registration.seatNo,
        // Bound to the workstation it was issued at (issue 13); checked on the socket and at start.
        ...(workstation ? { ws: workstation.workstationId } : {}),
      },
      CANDIDATE_TOKEN_SECONDS,
    );
    return { token, expiresAt, registrationId: registration.id };
  }

  changePassword(staffId: number, currentPassword: string, newPassword: string): void {
    const user = this.staff.byId(staffId);
    if (user?.roles.includes('official'))
      throw new AppError(
        'official-password-by-grant',
        "监管人员密码由监管部门授权变更 / an official's password changes by regulator grant",
        403,
      );
    if (!user || !verifyPassword(currentPassword, { hash: user.passwordHash, salt: user.passwordSalt }))
      throw new AppError('bad-credentials', '当前密码不正确', 401);
    const next = hashPassword(newPassword);
    this.db.transaction(() => {
      this.staff.setPassword(staffId, next.hash, next.salt, false, 'self', this.clock.now());
      this.events.append({
        chain: INSTITUTION_CHAIN,
        at: this.clock.now(),
        actor: `staff:${staffId}`,
        type: 'staff.password-changed',
        payload: { staffId },
      });
    })();
  }

  createStaff(
    input: { username: string; name: string; roles: Role[]; password: string; mustChangePassword: boolean },
    actor: string,
  ): number {
    // Institution staff can never create an official: those accounts come from regulator grants only.
    if (input.roles.includes('official'))
      throw new AppError(
        'official-needs-grant',
        '监管人员账号须由监管部门授权创建 / officials are created by regulator grant only',
        403,
      );
    const { hash, salt } = hashPassword(input.password);
    return this.db.transaction(() => {
      const id = this.staff.insert({
        username: input.username,
        name: input.name,
        roles: input.roles,
        passwordHash: hash,
        passwordSalt: salt,
        mustChangePassword: input.mustChangePassword,
        disabled: false,
        createdAt: this.clock.now(),
        // Whoever creates the account chose its first password and knows it until the person changes it.
        passwordSetBy: actor,
      });
      this.events.append({
        chain: INSTITUTION_CHAIN,
        at: this.clock.now(),
        actor,
        type: 'staff.created',
        payload: { staffId: id, username: input.username, roles: input.roles },
      });
      return id;
    })();
  }
}
