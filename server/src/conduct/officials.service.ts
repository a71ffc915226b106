import type { KeyObject } from 'node:crypto';
import { EventsRepo, INSTITUTION_CHAIN } from '../audit/events.repo';
import { hashPassword, verifyPassword } from '../auth/passwords';
import type { Db } from '../db/open';
import { StaffRepo, type StaffRecord } from '../people/staff.repo';
import type { Clock } from '../shared/clock';
import { AppError } from '../shared/errors';
import {
  createDemoRegulator,
  grantHash,
  grantSignatureValid,
  signGrant,
  signedGrant,
  type SignedGrant,
} from './grants';

type GrantRow = { grant_json: string; signature: string };
const YEAR_MS = 365 * 24 * 3600_000;

/** Installs regulator-signed grants and checks them at login (scheme: grants.ts, README "Officials' accounts"). */
export class OfficialsService {
  private readonly staff: StaffRepo;
  private readonly events: EventsRepo;

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private regulatorKey: KeyObject | null,
  ) {
    this.staff = new StaffRepo(db);
    this.events = new EventsRepo(db);
  }

  get hasRegulatorKey(): boolean {
    return this.regulatorKey !== null;
  }

  private latest(username: string): SignedGrant | null {
    const row = this.db
      .prepare<[string], GrantRow>(
        'SELECT grant_json, signature FROM official_grants WHERE username = ? ORDER BY issued_at DESC LIMIT 1',
      )
      .get(username);
    if (!row) return null;
    const parsed = signedGrant.safeParse({ grant: JSON.parse(row.grant_json) as unknown, signature: row.signature });
    return parsed.success ? parsed.data : null;
  }

  /** Verifies and applies a grant: creates, re-passwords or disables the official's login, with an event. */
  install(input: unknown, actor: string): { username: string; action: string; staffId: number } {
    const parsed = signedGrant.safeParse(input);
    if (!parsed.success) throw new AppError('invalid-grant', '授权文件格式不正确 / malformed grant', 400);
    const g = parsed.data;
    if (!this.regulatorKey)
      throw new AppError('no-regulator-key', '未配置监管部门公钥 / no regulator public key configured', 409);
    if (!grantSignatureValid(g, this.regulatorKey))
      throw new AppError('grant-signature-invalid', '授权签名无效 / grant not signed by the regulator', 403);
    if (g.grant.expiresAt <= this.clock.now()) throw new AppError('grant-expired', '授权已过期 / grant expired', 409);
    const prev = this.latest(g.grant.username);
    // Monotonic: replaying an older grant (e.g. one from before a disable) is refused.
    if (prev && prev.grant.issuedAt >= g.grant.issuedAt)
      throw new AppError('grant-superseded', '已有更新的授权 / a newer grant is installed', 409);
    const existing = this.staff.byUsername(g.grant.username);
    if (existing && !isOfficialOnly(existing))
      throw new AppError('username-taken', '该用户名属于机构工作人员 / username belongs to institution staff', 409);
    if (!existing && g.grant.action !== 'create')
      throw new AppError('grant-no-account', '账号不存在 / no such official', 409);
    const now = this.clock.now();
    const staffId = this.db.transaction(() => {
      this.db
        .prepare(
          'INSERT INTO official_grants (username, issued_at, grant_json, signature, installed_at) VALUES (?, ?, ?, ?, ?)',
        )
        .run(g.grant.username, g.grant.issuedAt, JSON.stringify(g.grant), g.signature, now);
      const disabled = g.grant.action === 'disable' ? 1 : 0;
      let id: number;
      if (existing) {
        this.db
          .prepare(
            'UPDATE staff SET name = ?, password_hash = ?, password_salt = ?, disabled = ?, must_change_password = 0 WHERE id = ?',
          )
          .run(g.grant.name, g.grant.passwordHash, g.grant.passwordSalt, disabled, existing.id);
        id = existing.id;
      } else {
        id = this.staff.insert({
          username: g.grant.username,
          name: g.grant.name,
          roles: ['official'],
          passwordHash: g.grant.passwordHash,
          passwordSalt: g.grant.passwordSalt,
          mustChangePassword: false,
          disabled: false,
          createdAt: now,
        });
      }
      this.events.append({
        chain: INSTITUTION_CHAIN,
        at: now,
        actor,
        type: 'official.grant-installed',
        payload: {
          staffId: id,
          username: g.grant.username,
          action: g.grant.action,
          issuedAt: g.grant.issuedAt,
          grantHash: grantHash(g),
        },
      });
      return id;
    })();
    return { username: g.grant.username, action: g.grant.action, staffId };
  }

  /**
   * At every login of an account with role `official`: the newest stored grant must verify with the
   * regulator key, be unexpired and not a disable, match the row, and the password must match the grant.
   */
  loginAllowed(user: StaffRecord, password: string): boolean {
    const g = this.validGrantFor(user);
    return g !== null && verifyPassword(password, { hash: g.grant.passwordHash, salt: g.grant.passwordSalt });
  }

  /** For officials' write routes: a token alone (the JWT secret sits on the institution's disk) is not enough. */
  isGrantedNow(staffId: number): boolean {
    const user = this.staff.byId(staffId);
    return !!user && this.validGrantFor(user) !== null;
  }

  private validGrantFor(user: StaffRecord): SignedGrant | null {
    if (!this.regulatorKey || !isOfficialOnly(user) || user.disabled) return null;
    const g = this.latest(user.username);
    if (!g || !grantSignatureValid(g, this.regulatorKey)) return null;
    if (g.grant.action === 'disable' || g.grant.expiresAt <= this.clock.now()) return null;
    if (g.grant.username !== user.username || g.grant.name !== user.name) return null;
    if (g.grant.passwordHash !== user.passwordHash || g.grant.passwordSalt !== user.passwordSalt) return null;
    return g;
  }

  /** DEMO ONLY: makes a demo regulator key (unless one is configured) and installs the demo officials. */
  installDemoOfficials(people: { username: string; name: string; password: string }[], dataDir: string | null): void {
    const demo = createDemoRegulator(dataDir);
    const privatePem = demo.privatePem;
    this.regulatorKey = demo.publicKey;
    const now = this.clock.now();
    for (const p of people) {
      const { hash, salt } = hashPassword(p.password);
      const g = signGrant(
        {
          v: 1,
          kind: 'exam-center.official-grant',
          action: 'create',
          username: p.username,
          name: p.name,
          passwordHash: hash,
          passwordSalt: salt,
          issuedAt: now,
          expiresAt: now + 5 * YEAR_MS,
        },
        privatePem,
      );
      this.install(g, 'system:demo');
    }
  }
}

const isOfficialOnly = (u: StaffRecord): boolean => u.roles.length === 1 && u.roles[0] === 'official';
