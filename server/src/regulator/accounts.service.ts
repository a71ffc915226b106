import { LoginThrottle } from '../auth/login-throttle';
import { generateOneTimePassword, hashPassword, verifyPassword } from '../auth/passwords';
import { signGrant } from '../conduct/grants';
import type { Db } from '../db/open';
import type {
  OfficialInput,
  OfficialRow,
  OfficialSaved,
  RegulatorAccount,
  RegulatorLoginResponse,
  RegulatorRole,
} from '../protocol/regulator-admin';
import type { GrantBody } from '../protocol/official-grant';
import type { Clock } from '../shared/clock';
import { AppError, notFound, unauthorized } from '../shared/errors';
import { AccountsRepo, type AccountRecord } from './accounts.repo';
import type { RegulatorPrincipal, RegulatorTokens } from './regulator-auth';
import type { RegulatorLink } from './link.service';

/** A grant is valid for a year; the regulator renews it by issuing a new password (or the same person again). */
export const GRANT_VALID_MS = 365 * 24 * 3600_000;
// Every login costs the same scrypt work, whether the account exists or not (no username probing by timing).
const DUMMY = hashPassword('not-a-password');

const accountOf = (a: AccountRecord): RegulatorAccount => ({
  id: a.id,
  username: a.username,
  name: a.name,
  role: a.role,
  mustChangePassword: a.mustChangePassword,
});

/**
 * Regulator accounts (issue 14): admins manage centres, officials, bans; officials read and search. An official's
 * account here and the signed grant every centre installs carry the same password hash, so one person logs in
 * with one password at the regulator and, read-only, on site at any centre.
 */
export class AccountsService {
  readonly repo: AccountsRepo;
  private readonly throttle: LoginThrottle;

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly tokens: RegulatorTokens,
    private readonly tokenMinutes: number,
    private readonly privatePem: string,
    private readonly link: RegulatorLink,
  ) {
    this.repo = new AccountsRepo(db);
    this.throttle = new LoginThrottle(clock);
  }

  login(username: string, password: string): RegulatorLoginResponse {
    const wait = this.throttle.retryAfter(username.toLowerCase());
    if (wait > 0)
      throw new AppError('login-locked', `too many failed logins: try again in ${Math.ceil(wait / 60_000)} min`, 429);
    const a = this.repo.byUsername(username);
    const ok = verifyPassword(password, a ? { hash: a.passwordHash, salt: a.passwordSalt } : DUMMY);
    if (!a || !ok || a.disabled) {
      this.throttle.recordFailure(username.toLowerCase());
      throw new AppError('login-failed', 'wrong username or password', 401);
    }
    this.throttle.recordSuccess(username.toLowerCase());
    const { token, expiresAt } = this.tokens.sign(
      { accountId: a.id, role: a.role, username: a.username, name: a.name, tv: a.tokenVersion },
      this.tokenMinutes * 60,
    );
    return { token, expiresAt, account: accountOf(a) };
  }

  me(p: RegulatorPrincipal): RegulatorAccount {
    const a = this.repo.byId(p.accountId);
    if (!a) throw unauthorized();
    return accountOf(a);
  }

  /** Whether a token still stands for its account (not disabled, same role, no password change since). */
  standing(p: RegulatorPrincipal): boolean {
    const a = this.repo.byId(p.accountId);
    return !!a && !a.disabled && a.role === p.role && a.tokenVersion === p.tv;
  }

  /** `regulator init` and the demo: an admin account; the one-time password is returned to be printed once. */
  createAdmin(username: string, name: string, password: string | null, actor: string): { password: string } {
    if (this.repo.byUsername(username)) throw new AppError('account-exists', `${username} already exists`, 409);
    const pw = password ?? generateOneTimePassword();
    const { hash, salt } = hashPassword(pw);
    this.repo.insert({
      username,
      name,
      role: 'regulator_admin',
      passwordHash: hash,
      passwordSalt: salt,
      mustChangePassword: password === null,
      at: this.clock.now(),
      by: actor,
    });
    return { password: pw };
  }

  /**
   * The account's own new password. Older tokens end (token_version); an official's new password is also issued
   * as a signed grant to every centre, so one person keeps one password everywhere.
   */
  changePassword(p: RegulatorPrincipal, current: string, next: string): RegulatorLoginResponse {
    const a = this.repo.byId(p.accountId);
    if (!a || a.disabled) throw unauthorized();
    if (!verifyPassword(current, { hash: a.passwordHash, salt: a.passwordSalt }))
      throw new AppError('wrong-password', 'the current password is wrong', 403);
    if (current === next) throw new AppError('same-password', 'the new password must differ from the current one');
    const { hash, salt } = hashPassword(next);
    this.db.transaction(() => {
      this.repo.update(a.id, { name: a.name, passwordHash: hash, passwordSalt: salt, disabled: false });
      if (a.role === 'official') this.issueGrant(a.id, 'update', a.username, a.name, hash, salt, a.username);
    })();
    return this.login(a.username, next);
  }

  officials(): OfficialRow[] {
    return this.repo
      .list('official')
      .map((a) => this.officialRow(a))
      .filter((r): r is OfficialRow => r !== null);
  }

  /** Create an official or give one a new password: account row + a signed grant queued to every centre. */
  saveOfficial(input: OfficialInput, actor: string): OfficialSaved {
    const password = input.password ?? generateOneTimePassword();
    const { hash, salt } = hashPassword(password);
    return this.db.transaction(() => {
      const existing = this.repo.byUsername(input.username);
      if (existing && existing.role !== 'official')
        throw new AppError('account-exists', `${input.username} is not an official's account`, 409);
      let id: number;
      if (existing) {
        id = existing.id;
        this.repo.update(id, { name: input.name, passwordHash: hash, passwordSalt: salt, disabled: false });
      } else
        id = this.repo.insert({
          username: input.username,
          name: input.name,
          role: 'official' as RegulatorRole,
          passwordHash: hash,
          passwordSalt: salt,
          mustChangePassword: false,
          at: this.clock.now(),
          by: actor,
        });
      const queuedTo = this.issueGrant(
        id,
        existing ? 'update' : 'create',
        input.username,
        input.name,
        hash,
        salt,
        actor,
      );
      return {
        official: this.officialRow(this.repo.byId(id) as AccountRecord) as OfficialRow,
        oneTimePassword: input.password ? null : password,
        queuedTo,
      };
    })();
  }

  disableOfficial(username: string, actor: string): OfficialSaved {
    return this.db.transaction(() => {
      const a = this.repo.byUsername(username);
      if (!a || a.role !== 'official') throw notFound('official');
      if (a.disabled) throw new AppError('already-disabled', `${username} is already disabled`, 409);
      this.repo.update(a.id, {
        name: a.name,
        passwordHash: a.passwordHash,
        passwordSalt: a.passwordSalt,
        disabled: true,
      });
      const queuedTo = this.issueGrant(a.id, 'disable', a.username, a.name, a.passwordHash, a.passwordSalt, actor);
      return {
        official: this.officialRow(this.repo.byId(a.id) as AccountRecord) as OfficialRow,
        oneTimePassword: null,
        queuedTo,
      };
    })();
  }

  private issueGrant(
    accountId: number,
    action: GrantBody['action'],
    username: string,
    name: string,
    hash: string,
    salt: string,
    actor: string,
  ): number {
    const now = this.clock.now();
    const grant = signGrant(
      {
        v: 1,
        kind: 'exam-center.official-grant',
        action,
        username,
        name,
        passwordHash: hash,
        passwordSalt: salt,
        issuedAt: now,
        expiresAt: now + GRANT_VALID_MS,
      },
      this.privatePem,
    );
    this.repo.insertGrant(accountId, grant, actor);
    return this.link.queueToAll('official.grant', { grant });
  }

  private officialRow(a: AccountRecord): OfficialRow | null {
    const g = this.repo.latestGrant(a.id);
    if (!g) return null;
    return {
      id: a.id,
      username: a.username,
      name: a.name,
      disabled: a.disabled,
      createdAt: a.createdAt,
      lastAction: g.grant.action,
      grantIssuedAt: g.grant.issuedAt,
      grantExpiresAt: g.grant.expiresAt,
    };
  }
}
