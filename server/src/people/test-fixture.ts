import { randomBytes } from 'node:crypto';
import { AuthService } from '../auth/auth.service';
import { LoginThrottle } from '../auth/login-throttle';
import { TokenService } from '../auth/tokens';
import { migrate } from '../db/migrate';
import { openDatabase } from '../db/open';
import { addYears, dayOf } from '../integrity/dates';
import { IntegrityService } from '../integrity/integrity.service';
import type { Role } from '../protocol';
import { defaultSessionSettings } from '../sessions/session-settings';
import { SessionsRepo } from '../sessions/sessions.repo';
import { ManualClock } from '../shared/clock';
import { idNumberCheckDigit } from './id-number';
import { createPeopleModule } from './people-services';

export const idFrom = (first17: string) => first17 + idNumberCheckDigit(first17);

/**
 * A real in-memory database with one N1 draft session and the people services, for the tests of people/ and
 * integrity/ (not a test itself).
 */
export function peopleFixture(now = Date.UTC(2026, 4, 10, 1, 0)) {
  const db = openDatabase(':memory:');
  migrate(db);
  const clock = new ManualClock(now);
  db.exec(`INSERT INTO categories (code, name) VALUES ('N1', '叉车司机'), ('Q2', '起重机司机');
    INSERT INTO bank_versions (id, category, pool, fingerprint, item_count, source, created_by, created_at)
      VALUES (1, 'N1', 'exam', 'f1', 0, 'test', 'test', 0), (2, 'N1', 'practice', 'f2', 0, 'test', 'test', 0);
    INSERT INTO blueprints (id, category, name, body, fingerprint, created_by, created_at)
      VALUES (1, 'N1', 'N1', '{}', 'b', 'test', 0);`);
  const sessionsRepo = new SessionsRepo(db);
  const roomId = sessionsRepo.insertRoom('第一考场', 30);
  let n = 0;
  const newSession = (state: 'draft' | 'scheduled' | 'sealed' = 'draft') =>
    sessionsRepo.insertSession(
      {
        code: `N1-TEST-${++n}`,
        name: '测试场次',
        category: 'N1',
        blueprintId: 1,
        bankVersionId: 1,
        roomId,
        scheduledStart: clock.now(),
        durationMinutes: 60,
        state,
        settings: defaultSessionSettings(),
      },
      clock.now(),
    );
  const auth = new AuthService(db, clock, new TokenService(randomBytes(32)), new LoginThrottle(clock), 60);
  const integrity = new IntegrityService(db, clock);
  const people = createPeopleModule(db, clock, auth, integrity);
  const today = dayOf(now);
  const institution = people.registry.createOrganisation(
    { name: '测试考试中心', kind: 'exam_institution', creditCode: null },
    'test',
  ).id;
  const org = (name: string, kind: 'training' | 'employer' = 'employer') =>
    people.registry.ensureOrganisation(name, kind, 'test');

  /** A staff member with a profile, a certificate valid around today and (unless told) a signed declaration. */
  const staff = (
    username: string,
    opts: {
      roles?: Role[];
      employerOrgId?: number | null;
      declare?: Parameters<typeof people.declarations.signed>[1] | null;
      cert?: { validFrom: string; validTo: string } | null;
    } = {},
  ): number => {
    const id = auth.createStaff(
      {
        username,
        name: `员工${username}`,
        roles: opts.roles ?? ['proctor'],
        password: 'password-1234',
        mustChangePassword: false,
      },
      'test',
    );
    const cert = opts.cert === undefined ? { validFrom: addYears(today, -1), validTo: addYears(today, 2) } : opts.cert;
    people.registry.updateStaffProfile(
      id,
      {
        idNumber: null,
        employerOrgId: opts.employerOrgId === undefined ? institution : opts.employerOrgId,
        qualification: cert ? { certNo: `KP-${username}`, ...cert } : null,
      },
      'test',
    );
    if (opts.declare !== null)
      people.declarations.signed(id, opts.declare ?? { relationships: [], engagements: [] }, 'test');
    return id;
  };

  let seq = 0;
  const candidate = (name: string, opts: { employerOrgId?: number | null; trainingOrgId?: number | null } = {}) => {
    const idNumber = idFrom(
      `3701021990${String(1 + (seq % 12)).padStart(2, '0')}${String(10 + (seq % 18)).padStart(2, '0')}${String(100 + seq).slice(-3)}`,
    );
    seq++;
    return people.registry.createCandidate(
      {
        name,
        idNumber,
        employerOrgId: opts.employerOrgId ?? null,
        trainingOrgId: opts.trainingOrgId ?? null,
        courseFrom: null,
        courseTo: null,
        appliedCategory: 'N1',
      },
      'test',
    );
  };
  return { db, clock, auth, integrity, people, newSession, institution, org, staff, candidate, today };
}
