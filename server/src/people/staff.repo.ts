import type { Db } from '../db/open';
import type { Role } from '../protocol';

export type StaffRecord = {
  id: number;
  username: string;
  name: string;
  roles: Role[];
  passwordHash: string;
  passwordSalt: string;
  mustChangePassword: boolean;
  disabled: boolean;
  createdAt: number;
  /** Bumped by the database on every change of password, roles or disabled (migration 0011). */
  tokenVersion: number;
  /**
   * Who chose the current password: 'self', or the actor that set it ('staff:N', 'system:…'); null when not
   * known (the hash changed by a path that did not record it, or an account older than migration 0011).
   */
  passwordSetBy: string | null;
};

/** What inserting a row takes: the database assigns the token version, and the setter is optional. */
export type NewStaff = Omit<StaffRecord, 'id' | 'tokenVersion' | 'passwordSetBy'> & { passwordSetBy?: string | null };

type StaffRow = {
  id: number;
  username: string;
  name: string;
  roles: string;
  password_hash: string;
  password_salt: string;
  must_change_password: number;
  disabled: number;
  created_at: number;
  token_version: number;
  password_set_by: string | null;
  password_set_for: string | null;
};

const toStaff = (r: StaffRow): StaffRecord => ({
  id: r.id,
  username: r.username,
  name: r.name,
  roles: JSON.parse(r.roles) as Role[],
  passwordHash: r.password_hash,
  passwordSalt: r.password_salt,
  mustChangePassword: r.must_change_password === 1,
  disabled: r.disabled === 1,
  createdAt: r.created_at,
  tokenVersion: r.token_version,
  // The record of who set the password holds only for the hash it was written with.
  passwordSetBy: r.password_set_for === r.password_hash ? r.password_set_by : null,
});

export class StaffRepo {
  constructor(private readonly db: Db) {}

  byUsername(username: string): StaffRecord | undefined {
    const row = this.db.prepare<[string], StaffRow>('SELECT * FROM staff WHERE username = ?').get(username);
    return row && toStaff(row);
  }

  byId(id: number): StaffRecord | undefined {
    const row = this.db.prepare<[number], StaffRow>('SELECT * FROM staff WHERE id = ?').get(id);
    return row && toStaff(row);
  }

  list(): StaffRecord[] {
    return this.db.prepare<[], StaffRow>('SELECT * FROM staff ORDER BY id').all().map(toStaff);
  }

  count(): number {
    return (this.db.prepare('SELECT count(*) AS n FROM staff').get() as { n: number }).n;
  }

  insert(s: NewStaff): number {
    const setBy = s.passwordSetBy ?? null;
    const info = this.db
      .prepare(
        `INSERT INTO staff (username, name, roles, password_hash, password_salt, must_change_password, disabled, created_at,
           password_set_by, password_set_for, password_set_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        s.username,
        s.name,
        JSON.stringify(s.roles),
        s.passwordHash,
        s.passwordSalt,
        s.mustChangePassword ? 1 : 0,
        s.disabled ? 1 : 0,
        s.createdAt,
        setBy,
        setBy === null ? null : s.passwordHash,
        setBy === null ? null : s.createdAt,
      );
    return Number(info.lastInsertRowid);
  }

  /** `setBy`: 'self' when the person chose it, else the actor who did (they know it until it is changed). */
  setPassword(id: number, hash: string, salt: string, mustChange: boolean, setBy: string, at: number): void {
    this.db
      .prepare(
        `UPDATE staff SET password_hash = ?, password_salt = ?, must_change_password = ?,
           password_set_by = ?, password_set_for = ?, password_set_at = ? WHERE id = ?`,
      )
      .run(hash, salt, mustChange ? 1 : 0, setBy, hash, at, id);
  }

  setDisabled(id: number, disabled: boolean): void {
    this.db.prepare('UPDATE staff SET disabled = ? WHERE id = ?').run(disabled ? 1 : 0, id);
  }

  setRoles(id: number, roles: Role[]): void {
    this.db.prepare('UPDATE staff SET roles = ? WHERE id = ?').run(JSON.stringify(roles), id);
  }

  /** What a staff token is checked against on every request (auth/staff-tokens.ts). */
  tokenState(id: number): { tokenVersion: number; roles: Role[]; disabled: boolean } | undefined {
    const row = this.db
      .prepare<[number], { token_version: number; roles: string; disabled: number }>(
        'SELECT token_version, roles, disabled FROM staff WHERE id = ?',
      )
      .get(id);
    return (
      row && { tokenVersion: row.token_version, roles: JSON.parse(row.roles) as Role[], disabled: row.disabled === 1 }
    );
  }
}
