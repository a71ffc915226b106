import { createPublicKey } from 'node:crypto';
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { EventsRepo, INSTITUTION_CHAIN } from '../audit/events.repo';
import { AuthService } from '../auth/auth.service';
import { LoginThrottle } from '../auth/login-throttle';
import { hashPassword } from '../auth/passwords';
import { TokenService } from '../auth/tokens';
import { migrate } from '../db/migrate';
import { openDatabase } from '../db/open';
import { ManualClock } from '../shared/clock';
import { generateRegulatorKeys, signGrant, type GrantBody } from './grants';
import { OfficialsService } from './officials.service';

const DAY = 24 * 3600_000;

function setup() {
  const db = openDatabase(':memory:');
  migrate(db);
  const clock = new ManualClock();
  const regulator = generateRegulatorKeys();
  const officials = new OfficialsService(db, clock, createPublicKey(regulator.publicPem));
  const auth = new AuthService(db, clock, new TokenService(randomBytes(32)), new LoginThrottle(clock), 60);
  auth.officialGate = (u, p) => officials.loginAllowed(u, p);
  const grant = (over: Partial<GrantBody> & { password?: string } = {}, key = regulator.privatePem) => {
    const { password = 'pw-official-1', ...rest } = over;
    const { hash, salt } = hashPassword(password);
    const body: GrantBody = {
      v: 1,
      kind: 'exam-center.official-grant',
      action: 'create',
      username: 'zhao',
      name: '赵敏',
      passwordHash: hash,
      passwordSalt: salt,
      issuedAt: clock.now(),
      expiresAt: clock.now() + 365 * DAY,
      ...rest,
    };
    return signGrant(body, key);
  };
  const login = (password = 'pw-official-1') => auth.loginStaff({ username: 'zhao', password }, '10.0.0.1');
  return { db, clock, officials, auth, grant, login };
}

describe('officials accounts by regulator grant', () => {
  it('creates an official only from a grant signed by the regulator, and logs an event', () => {
    const { db, officials, grant, login } = setup();
    const forged = grant({}, generateRegulatorKeys().privatePem);
    expect(() => officials.install(forged, 'staff:1')).toThrow(/signed by the regulator/);
    const tampered = grant();
    tampered.grant.name = '假冒';
    expect(() => officials.install(tampered, 'staff:1')).toThrow(/signed by the regulator/);
    officials.install(grant(), 'staff:1');
    expect(login().user.roles).toEqual(['official']);
    const ev = new EventsRepo(db).list(INSTITUTION_CHAIN).find((e) => e.type === 'official.grant-installed');
    expect(ev?.payload).toMatchObject({ username: 'zhao', action: 'create' });
  });

  it('refuses institution-side creation, password change and database edits of an official', () => {
    const { db, officials, auth, grant, login, clock } = setup();
    expect(() =>
      auth.createStaff(
        { username: 'fake', name: '假', roles: ['official'], password: 'x', mustChangePassword: false },
        'staff:1',
      ),
    ).toThrow(/regulator grant/);
    expect(() =>
      auth.createStaff(
        { username: 'boss', name: '甲', roles: ['admin', 'official'], password: 'x', mustChangePassword: false },
        'staff:1',
      ),
    ).toThrow(/regulator grant/);
    officials.install(grant(), 'staff:1');
    const id = login().user.id;
    expect(() => auth.changePassword(id, 'pw-official-1', 'another-pass-2')).toThrow(/regulator grant|监管部门授权/);
    // An admin with database access re-hashes the password: the grant no longer matches, login refused.
    const other = hashPassword('chosen-by-admin');
    db.prepare('UPDATE staff SET password_hash = ?, password_salt = ? WHERE id = ?').run(other.hash, other.salt, id);
    expect(() => login('chosen-by-admin')).toThrow(/用户名或密码错误/);
    expect(() => login()).toThrow(/用户名或密码错误/);
    // ... or inserts a staff row with role official: no grant, no login, no official writes.
    const row = hashPassword('pw');
    db.prepare(
      `INSERT INTO staff (username, name, roles, password_hash, password_salt, created_at) VALUES ('rogue', 'R', '["official"]', ?, ?, ?)`,
    ).run(row.hash, row.salt, clock.now());
    expect(() => auth.loginStaff({ username: 'rogue', password: 'pw' }, '10.0.0.1')).toThrow(/用户名或密码错误/);
    const rogueId = db.prepare("SELECT id FROM staff WHERE username = 'rogue'").pluck().get() as number;
    expect(officials.isGrantedNow(rogueId)).toBe(false);
  });

  it('changes the password and disables only by newer grants; an older grant cannot be replayed', () => {
    const { officials, grant, login, clock } = setup();
    const first = grant();
    officials.install(first, 'staff:1');
    clock.advance(DAY);
    officials.install(grant({ action: 'update', password: 'pw-official-2' }), 'staff:1');
    expect(() => login()).toThrow();
    expect(login('pw-official-2').user.username).toBe('zhao');
    clock.advance(DAY);
    officials.install(grant({ action: 'disable', password: 'pw-official-2' }), 'staff:1');
    expect(() => login('pw-official-2')).toThrow();
    expect(() => officials.install(first, 'staff:1')).toThrow(/newer grant/);
  });

  it('stops an official at the grant expiry', () => {
    const { officials, grant, login, clock } = setup();
    officials.install(grant({ expiresAt: clock.now() + DAY }), 'staff:1');
    expect(login().user.username).toBe('zhao');
    clock.advance(2 * DAY);
    expect(() => login()).toThrow();
  });

  it('refuses every official without a configured regulator key', () => {
    const { db, clock, grant } = setup();
    const none = new OfficialsService(db, clock, null);
    expect(() => none.install(grant(), 'staff:1')).toThrow(/regulator public key/);
  });
});
