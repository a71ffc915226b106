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
import type { TokenService } from './tokens';

// A candidate's token lasts the exam day; the exam itself is bounded by the server-side timer.
const CANDIDATE_TOKEN_SECONDS = 12 * 3600;
// Compared against when the account does not exist, so timing does not reveal valid usernames.
const DUMMY_HASH = hashPassword('not-a-real-password');

export class AuthService {
  private readonly staff: StaffRepo;
  private readonly sessions: SessionsRepo;
  private readonly events: EventsRepo;
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
    ) => void = () => undefined,
    private readonly addressThrottle: LoginThrottle = new LoginThrottle(clock, ADDRESS_THROTTLE),
  ) {
    this.staff = new StaffRepo(db);
    this.sessions = new SessionsRepo(db);
    this.events = new EventsRepo(db);
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
    this.events.append({
      chain: INSTITUTION_CHAIN,
      at: this.clock.now(),
      actor: `staff:${user.id}`,
      type: 'auth.staff-logged-in',
      payload: { staffId: user.id, username: user.username, ip },
    });
    const { token, expiresAt } = this.tokens.signStaff(
      { sub: String(user.id), roles: user.roles, name: user.name, mcp: user.mustChangePassword },
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
    this.checkSeat(registration.sessionId, registration.seatNo, req.workstationToken);
    const { token, expiresAt } = this.tokens.signCandidate(
      { sub: String(registration.id), sessionId: registration.sessionId, seatNo: registration.seatNo },
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
      this.staff.setPassword(staffId, next.hash, next.salt, false);
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
