import type { Db } from '../db/open';
import { EventsRepo, INSTITUTION_CHAIN } from '../audit/events.repo';
import { IntegrityRepo } from '../integrity/integrity.repo';
import { organisationBanLastDay } from '../integrity/rules/staff-rules';
import type { DisciplinaryInput, DisciplinaryView, DishonestyInput, DishonestyView, RevokeInput } from '../protocol';
import type { Clock } from '../shared/clock';
import { AppError, notFound } from '../shared/errors';
import { OrganisationsRepo } from './organisations.repo';
import { StaffProfilesRepo } from './staff-profiles.repo';
import { StaffRepo } from './staff.repo';

/**
 * Records the institution keeps from regulators' notices (notice §二(三)): staff disciplined for conduct
 * (never again exam work) and organisations with a dishonesty record (not entrusted for 3 years). Records are
 * never deleted; one found wrong is revoked with the authority and document that revoke it, and stays visible
 * to officials as an exception (issue 13, hole 11): one admin with a reason is not enough to lift a ban.
 */
export class RecordsService {
  private readonly profiles: StaffProfilesRepo;
  private readonly orgs: OrganisationsRepo;
  private readonly staff: StaffRepo;
  private readonly events: EventsRepo;
  private readonly integrity: IntegrityRepo;

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
  ) {
    this.profiles = new StaffProfilesRepo(db);
    this.orgs = new OrganisationsRepo(db);
    this.staff = new StaffRepo(db);
    this.events = new EventsRepo(db);
    this.integrity = new IntegrityRepo(db);
  }

  private event(actor: string, type: string, payload: Record<string, unknown>): void {
    this.events.append({ chain: INSTITUTION_CHAIN, at: this.clock.now(), actor, type, payload });
  }

  disciplinary(): DisciplinaryView[] {
    return this.profiles.disciplinaryList().map((r) => ({ ...r, exception: r.revokedAt !== null }));
  }

  dishonesty(): DishonestyView[] {
    const settings = this.integrity.settings();
    return this.orgs.dishonestyList().map((r) => ({
      ...r,
      barredUntil: organisationBanLastDay(r.decisionDate, settings),
      exception: r.revokedAt !== null,
    }));
  }

  recordDisciplinary(staffId: number, input: DisciplinaryInput, actor: string): DisciplinaryView {
    const person = this.staff.byId(staffId);
    if (!person) throw notFound('staff', { staffId });
    // Officials answer to the regulator; a record entered by the institution must not lock its supervisor out.
    if (person.roles.includes('official'))
      throw new AppError('official-not-institution-staff', '监管人员不是本机构工作人员，处分由其所属机关记录', 409);
    return this.db.transaction(() => {
      const id = this.profiles.insertDisciplinary(staffId, input, actor, this.clock.now());
      this.event(actor, 'people.disciplinary-recorded', { recordId: id, staffId, ...input });
      return this.disciplinary().find((r) => r.id === id) as DisciplinaryView;
    })();
  }

  revokeDisciplinary(id: number, input: RevokeInput, actor: string): DisciplinaryView {
    return this.db.transaction(() => {
      const r = this.profiles.disciplinaryById(id);
      if (!r) throw notFound('disciplinary record', { recordId: id });
      if (r.revokedAt !== null) throw new AppError('already-revoked', '该记录已撤销', 409);
      this.profiles.revokeDisciplinary(id, input, actor, this.clock.now());
      this.event(actor, 'people.disciplinary-revoked', {
        recordId: id,
        staffId: r.staffId,
        revokedDocumentNo: r.documentNo,
        reason: input.reason,
        authority: input.authority,
        documentNo: input.documentNo,
        exception: true,
      });
      return this.disciplinary().find((x) => x.id === id) as DisciplinaryView;
    })();
  }

  recordDishonesty(orgId: number, input: DishonestyInput, actor: string): DishonestyView {
    if (!this.orgs.byId(orgId)) throw notFound('organisation', { orgId });
    return this.db.transaction(() => {
      const id = this.orgs.insertDishonesty(orgId, input, actor, this.clock.now());
      this.event(actor, 'people.dishonesty-recorded', { recordId: id, orgId, ...input });
      return this.dishonesty().find((r) => r.id === id) as DishonestyView;
    })();
  }

  revokeDishonesty(id: number, input: RevokeInput, actor: string): DishonestyView {
    return this.db.transaction(() => {
      const r = this.orgs.dishonestyById(id);
      if (!r) throw notFound('dishonesty record', { recordId: id });
      if (r.revokedAt !== null) throw new AppError('already-revoked', '该记录已撤销', 409);
      this.orgs.revokeDishonesty(id, input, actor, this.clock.now());
      this.event(actor, 'people.dishonesty-revoked', {
        recordId: id,
        orgId: r.orgId,
        revokedDocumentNo: r.documentNo,
        reason: input.reason,
        authority: input.authority,
        documentNo: input.documentNo,
        exception: true,
      });
      return this.dishonesty().find((x) => x.id === id) as DishonestyView;
    })();
  }
}
