import type { Db } from '../db/open';
import { EventsRepo, INSTITUTION_CHAIN } from '../audit/events.repo';
import { AuthService } from '../auth/auth.service';
import { generateOneTimePassword } from '../auth/passwords';
import { dayOf } from '../integrity/dates';
import { IntegrityRepo } from '../integrity/integrity.repo';
import { organisationBanLastDay, staffBanOn } from '../integrity/rules/staff-rules';
import type {
  CandidateInput,
  CandidateView,
  OrganisationInput,
  OrganisationView,
  StaffCreateInput,
  StaffProfileInput,
  StaffView,
} from '../protocol';
import type { Clock } from '../shared/clock';
import { AppError, notFound } from '../shared/errors';
import { assertCandidateChangeAllowed, lockedFieldChanges } from './candidate-lock';
import { CandidateProfilesRepo, type CandidateProfile } from './candidates.repo';
import { DeclarationsRepo } from './declarations.repo';
import { normaliseOrgName } from './names';
import { OrganisationsRepo } from './organisations.repo';
import { StaffProfilesRepo } from './staff-profiles.repo';
import { StaffRepo } from './staff.repo';

/** The registries: organisations, staff profiles and candidates. Every change is an institution event. */
export class RegistryService {
  readonly orgs: OrganisationsRepo;
  readonly profiles: StaffProfilesRepo;
  readonly candidates: CandidateProfilesRepo;
  private readonly staff: StaffRepo;
  private readonly declarations: DeclarationsRepo;
  private readonly events: EventsRepo;
  private readonly integrity: IntegrityRepo;

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly auth: AuthService,
  ) {
    this.orgs = new OrganisationsRepo(db);
    this.profiles = new StaffProfilesRepo(db);
    this.candidates = new CandidateProfilesRepo(db);
    this.staff = new StaffRepo(db);
    this.declarations = new DeclarationsRepo(db);
    this.events = new EventsRepo(db);
    this.integrity = new IntegrityRepo(db);
  }

  private event(actor: string, type: string, payload: Record<string, unknown>): void {
    this.events.append({ chain: INSTITUTION_CHAIN, at: this.clock.now(), actor, type, payload });
  }

  // ---- organisations ----

  organisations(): OrganisationView[] {
    const today = dayOf(this.clock.now());
    const settings = this.integrity.settings();
    const records = this.orgs.dishonestyList().filter((r) => r.revokedAt === null);
    return this.orgs.list().map((o) => {
      const ends = records
        .filter((r) => r.orgId === o.id && r.decisionDate <= today)
        .map((r) => organisationBanLastDay(r.decisionDate, settings))
        .filter((last) => last >= today)
        .sort();
      return { id: o.id, name: o.name, kind: o.kind, creditCode: o.creditCode, barredUntil: ends.at(-1) ?? null };
    });
  }

  createOrganisation(input: OrganisationInput, actor: string): OrganisationView {
    const name = normaliseOrgName(input.name);
    return this.db.transaction(() => {
      if (this.orgs.byName(name)) throw new AppError('organisation-exists', `组织「${name}」已登记`, 409);
      if (input.kind === 'exam_institution' && this.orgs.institution())
        throw new AppError('institution-exists', '考试机构本身只能登记一个', 409);
      const id = this.orgs.insert({ ...input, name }, this.clock.now());
      this.event(actor, 'people.organisation-created', { orgId: id, name, kind: input.kind });
      return { id, name, kind: input.kind, creditCode: input.creditCode, barredUntil: null };
    })();
  }

  /** Finds an organisation by (normalised) name, creating it with `kind` when new (imports, demo). */
  ensureOrganisation(rawName: string, kind: OrganisationInput['kind'], actor: string): number {
    const name = normaliseOrgName(rawName);
    return this.orgs.byName(name)?.id ?? this.createOrganisation({ name, kind, creditCode: null }, actor).id;
  }

  updateOrganisation(id: number, input: OrganisationInput, actor: string): OrganisationView {
    const name = normaliseOrgName(input.name);
    return this.db.transaction(() => {
      const before = this.orgs.byId(id);
      if (!before) throw notFound('organisation', { orgId: id });
      const clash = this.orgs.byName(name);
      if (clash && clash.id !== id) throw new AppError('organisation-exists', `组织「${name}」已登记`, 409);
      const inst = this.orgs.institution();
      if (input.kind === 'exam_institution' && inst && inst.id !== id)
        throw new AppError('institution-exists', '考试机构本身只能登记一个', 409);
      this.orgs.update(id, { ...input, name }, this.clock.now());
      this.event(actor, 'people.organisation-updated', { orgId: id, before, after: { ...input, name } });
      return this.organisations().find((o) => o.id === id) as OrganisationView;
    })();
  }

  private requireOrg(id: number | null, field: string, kind?: OrganisationInput['kind']): void {
    if (id === null) return;
    const org = this.orgs.byId(id);
    if (!org) throw new AppError('invalid-input', `${field}: 组织 #${id} 未登记`, 400);
    if (kind && org.kind !== kind)
      throw new AppError(
        'invalid-input',
        `${field}: 「${org.name}」不是${kind === 'training' ? '培训机构' : kind}`,
        400,
      );
  }

  // ---- staff ----

  staffList(): StaffView[] {
    const staff = this.staff.list();
    const ids = staff.map((s) => s.id);
    const profiles = new Map(this.profiles.list().map((p) => [p.staffId, p]));
    const orgs = new Map(this.organisations().map((o) => [o.id, o]));
    const declarations = this.declarations.latestFor(ids);
    const records = this.profiles.activeDisciplinary(ids);
    const today = dayOf(this.clock.now());
    const settings = this.integrity.settings();
    return staff.map((s) => {
      const p = profiles.get(s.id);
      const d = declarations.get(s.id);
      return {
        id: s.id,
        username: s.username,
        name: s.name,
        roles: s.roles,
        disabled: s.disabled,
        idNumber: p?.idNumber ?? null,
        employerOrgId: p?.employerOrgId ?? null,
        employerName: p?.employerOrgId ? (orgs.get(p.employerOrgId)?.name ?? null) : null,
        employerBarredUntil: p?.employerOrgId ? (orgs.get(p.employerOrgId)?.barredUntil ?? null) : null,
        qualification: p?.qualification ?? null,
        declaration: d ? { version: d.version, signedAt: d.signedAt } : null,
        bans: records
          .filter((r) => r.staffId === s.id)
          .flatMap((r) => {
            const ban = staffBanOn(r, today, settings);
            return ban.applies
              ? [
                  {
                    recordId: r.id,
                    kind: r.kind,
                    decisionDate: r.decisionDate,
                    documentNo: r.documentNo,
                    until: ban.until,
                  },
                ]
              : [];
          }),
      };
    });
  }

  private checkStaffProfile(staffId: number | null, input: StaffProfileInput): void {
    this.requireOrg(input.employerOrgId, 'employerOrgId');
    if (input.idNumber) {
      const other = this.profiles.byIdNumber(input.idNumber);
      if (other && other.staffId !== staffId)
        throw new AppError('id-number-taken', `身份证号 ${input.idNumber} 已登记给另一位工作人员`, 409);
    }
  }

  updateStaffProfile(staffId: number, input: StaffProfileInput, actor: string): StaffView {
    if (!this.staff.byId(staffId)) throw notFound('staff', { staffId });
    this.checkStaffProfile(staffId, input);
    this.db.transaction(() => {
      const before = this.profiles.get(staffId) ?? null;
      this.profiles.upsert({ staffId, ...input }, this.clock.now());
      this.event(actor, 'people.staff-profile-updated', { staffId, before, after: input });
    })();
    return this.staffList().find((s) => s.id === staffId) as StaffView;
  }

  /** Creates a login with a one-time password (shown once) and the profile, in one transaction. */
  createStaff(input: StaffCreateInput, actor: string): { staff: StaffView; oneTimePassword: string } {
    if (this.staff.byUsername(input.username))
      throw new AppError('username-taken', `用户名 ${input.username} 已存在`, 409);
    this.checkStaffProfile(null, input);
    const password = generateOneTimePassword();
    const id = this.db.transaction(() => {
      const staffId = this.auth.createStaff(
        { username: input.username, name: input.name, roles: input.roles, password, mustChangePassword: true },
        actor,
      );
      this.profiles.upsert(
        { staffId, idNumber: input.idNumber, employerOrgId: input.employerOrgId, qualification: input.qualification },
        this.clock.now(),
      );
      this.event(actor, 'people.staff-profile-updated', { staffId, before: null, after: input });
      return staffId;
    })();
    return { staff: this.staffList().find((s) => s.id === id) as StaffView, oneTimePassword: password };
  }

  // ---- candidates ----

  candidateList(q: string, limit: number, offset: number): { total: number; candidates: CandidateView[] } {
    const { total, rows } = this.candidates.list(q.trim(), limit, offset);
    return { total, candidates: rows };
  }

  candidate(id: number): CandidateProfile {
    const c = this.candidates.get(id);
    if (!c) throw notFound('candidate', { candidateId: id });
    return c;
  }

  private checkCandidate(id: number | null, input: CandidateInput): void {
    this.requireOrg(input.employerOrgId, 'employerOrgId');
    this.requireOrg(input.trainingOrgId, 'trainingOrgId', 'training');
    if (input.appliedCategory) {
      const known = this.db.prepare('SELECT 1 FROM categories WHERE code = ?').get(input.appliedCategory);
      if (!known) throw new AppError('invalid-input', `appliedCategory: 未知作业项目 ${input.appliedCategory}`, 400);
    }
    const other = this.candidates.byIdNumber(input.idNumber);
    if (other && other.id !== id)
      throw new AppError('id-number-taken', `身份证号 ${input.idNumber} 已登记为考生 ${other.name}`, 409, {
        candidateId: other.id,
      });
  }

  createCandidate(input: CandidateInput, actor: string): CandidateProfile {
    this.checkCandidate(null, input);
    const id = this.db.transaction(() => {
      const newId = this.candidates.insert({ ...input, photo: input.photo ?? null }, this.clock.now());
      this.event(actor, 'people.candidate-created', { candidateId: newId, ...withoutPhoto(input) });
      return newId;
    })();
    return this.candidate(id);
  }

  updateCandidate(id: number, input: CandidateInput, actor: string): CandidateProfile {
    const before = this.candidate(id);
    this.checkCandidate(id, input);
    // photo undefined: keep the stored photo (lists never carry it back).
    const photo = input.photo === undefined ? before.photo : input.photo;
    assertCandidateChangeAllowed(
      before.name,
      lockedFieldChanges(before, { ...input, photo }),
      this.candidates.lockingSessions(id),
    );
    this.db.transaction(() => {
      this.candidates.update(id, { ...input, photo }, this.clock.now());
      this.event(actor, 'people.candidate-updated', {
        candidateId: id,
        before: withoutPhoto(before),
        after: withoutPhoto(input),
        photoChanged: photo !== before.photo,
      });
    })();
    return this.candidate(id);
  }
}

function withoutPhoto<T extends { photo?: string | null }>(c: T): Omit<T, 'photo'> {
  const { photo: _photo, ...rest } = c;
  return rest;
}
