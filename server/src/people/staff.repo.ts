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
};

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

  insert(s: Omit<StaffRecord, 'id'>): number {
    const info = this.db
      .prepare(
        `INSERT INTO staff (username, name, roles, password_hash, password_salt, must_change_password, disabled, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
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
      );
    return Number(info.lastInsertRowid);
  }

  setPassword(id: number, hash: string, salt: string, mustChange: boolean): void {
    this.db
      .prepare('UPDATE staff SET password_hash = ?, password_salt = ?, must_change_password = ? WHERE id = ?')
      .run(hash, salt, mustChange ? 1 : 0, id);
  }
}
