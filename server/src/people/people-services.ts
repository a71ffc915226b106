import { Router } from 'express';
import type { Db } from '../db/open';
import type { AuthService } from '../auth/auth.service';
import { integrityRoutes } from '../integrity/integrity.routes';
import type { IntegrityService } from '../integrity/integrity.service';
import type { Clock } from '../shared/clock';
import { AssignmentsService } from './assignments.service';
import { DeclarationsService } from './declarations.service';
import { ImportService } from './import.service';
import { peopleRoutes } from './people.routes';
import { RecordsService } from './records.service';
import { StaffAccountsService } from './staff-accounts.service';
import { RegistrationsService } from './registrations.service';
import { RegistryService } from './registry.service';
import { sessionPeopleRoutes } from './session-people.routes';

export type PeopleModule = {
  integrity: IntegrityService;
  registry: RegistryService;
  records: RecordsService;
  declarations: DeclarationsService;
  assignments: AssignmentsService;
  registrations: RegistrationsService;
  imports: ImportService;
  accounts: StaffAccountsService;
};

/** Assembles the people and integrity services (issue 5) for app.ts. */
export function createPeopleModule(db: Db, clock: Clock, auth: AuthService, integrity: IntegrityService): PeopleModule {
  const registrations = new RegistrationsService(db, clock, integrity);
  return {
    integrity,
    registry: new RegistryService(db, clock, auth),
    records: new RecordsService(db, clock),
    declarations: new DeclarationsService(db, clock),
    assignments: new AssignmentsService(db, clock, integrity),
    registrations,
    imports: new ImportService(db, clock, auth, registrations),
    accounts: new StaffAccountsService(db, clock),
  };
}

export function peopleModuleRoutes(m: PeopleModule): Router {
  return Router().use(peopleRoutes(m), sessionPeopleRoutes(m), integrityRoutes(m.integrity));
}
