import type { Db } from '../db/open';
import type { RegulatorRole } from '../protocol/regulator-admin';
import type { SignedGrant } from '../protocol/official-grant';

export type AccountRecord = {
  id: number;
  username: string;
  name: string;
  role: RegulatorRole;
  passwordHash: string;
  passwordSalt: string;
  mustChangePassword: boolean;
  disabled: boolean;
  tokenVersion: number;
  createdAt: number;
};
type Row = {
  id: number;
  username: string;
  name: string;
  role: RegulatorRole;
  password_hash: string;
  password_salt: string;
  must_change_password: number;
  disabled: number;
  token_version: number;
  created_at: number;
};
const toRecord = (r: Row): AccountRecord => ({
  id: r.id,
  username: r.username,
  name: r.name,
  role: r.role,
  passwordHash: r.password_hash,
  passwordSalt: r.password_salt,
  mustChangePassword: r.must_change_password === 1,
  disabled: r.disabled === 1,
  tokenVersion: r.token_version,
  createdAt: r.created_at,
});

export type GrantRecord = { accountId: number; signed: SignedGrant; issuedAt: number; expiresAt: number };

export class AccountsRepo {
  constructor(private readonly db: Db) {}

  byUsername(username: string): AccountRecord | null {
    const r = this.db.prepare('SELECT * FROM reg_accounts WHERE username = ?').get(username) as Row | undefined;
    return r ? toRecord(r) : null;
  }
  byId(id: number): AccountRecord | null {
    const r = this.db.prepare('SELECT * FROM reg_accounts WHERE id = ?').get(id) as Row | undefined;
    return r ? toRecord(r) : null;
  }
  list(role?: RegulatorRole): AccountRecord[] {
    const rows = (
      role
        ? this.db.prepare('SELECT * FROM reg_accounts WHERE role = ? ORDER BY username').all(role)
        : this.db.prepare('SELECT * FROM reg_accounts ORDER BY username').all()
    ) as Row[];
    return rows.map(toRecord);
  }
  count(): number {
    return (this.db.prepare('SELECT COUNT(*) AS n FROM reg_accounts').get() as { n: number }).n;
  }
  insert(a: {
    username: string;
    name: string;
    role: RegulatorRole;
    passwordHash: string;
    passwordSalt: string;
    mustChangePassword: boolean;
    at: number;
    by: string;
  }): number {
    return Number(
      this.db
        .prepare(
          `INSERT INTO reg_accounts (username, name, role, password_hash, password_salt, must_change_password,
             created_at, created_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(a.username, a.name, a.role, a.passwordHash, a.passwordSalt, a.mustChangePassword ? 1 : 0, a.at, a.by)
        .lastInsertRowid,
    );
  }
  update(id: number, a: { name: string; passwordHash: string; passwordSalt: string; disabled: boolean }): void {
    this.db
      .prepare(
        `UPDATE reg_accounts SET name = ?, password_hash = ?, password_salt = ?, disabled = ?,
           must_change_password = 0, token_version = token_version + 1 WHERE id = ?`,
      )
      .run(a.name, a.passwordHash, a.passwordSalt, a.disabled ? 1 : 0, id);
  }
  insertGrant(accountId: number, g: SignedGrant, by: string): void {
    this.db
      .prepare(
        `INSERT INTO reg_grants (account_id, action, signed_grant_json, issued_at, expires_at, issued_by)
         VALUES (?, ?, ?, ?, ?, ?)`,
      )
      .run(accountId, g.grant.action, JSON.stringify(g), g.grant.issuedAt, g.grant.expiresAt, by);
  }
  latestGrant(accountId: number): SignedGrant | null {
    const r = this.db
      .prepare('SELECT signed_grant_json AS j FROM reg_grants WHERE account_id = ? ORDER BY id DESC LIMIT 1')
      .get(accountId) as { j: string } | undefined;
    return r ? (JSON.parse(r.j) as SignedGrant) : null;
  }
  /** The newest grant of every official: what a newly registered centre is sent. */
  currentGrants(): SignedGrant[] {
    const rows = this.db
      .prepare(
        `SELECT g.signed_grant_json AS j FROM reg_grants g
         WHERE g.id = (SELECT MAX(id) FROM reg_grants WHERE account_id = g.account_id) ORDER BY g.id`,
      )
      .all() as { j: string }[];
    return rows.map((r) => JSON.parse(r.j) as SignedGrant);
  }
}
