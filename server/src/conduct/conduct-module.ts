import type { Router } from 'express';
import type { AuthService } from '../auth/auth.service';
import type { Db } from '../db/open';
import type { Clock } from '../shared/clock';
import { ConductReports } from './conduct-reports';
import { conductOfficialRoutes, conductRoutes } from './conduct.routes';
import { ConductService } from './conduct.service';
import { loadRegulatorPublicKey } from './grants';
import { OfficialsService } from './officials.service';

export type ConductModule = {
  service: ConductService;
  reports: ConductReports;
  officials: OfficialsService;
  dataDir: string | null;
  officialWrites: Router;
  routes: Router;
};

/** Wires conduct supervision (issue 10) and hooks the regulator-grant check into staff login. */
export function createConductModule(
  db: Db,
  clock: Clock,
  dataDir: string | null,
  auth: AuthService,
  anomalyCount: (sessionId: number) => number,
): ConductModule {
  const service = new ConductService(db, clock);
  const officials = new OfficialsService(db, clock, loadRegulatorPublicKey(dataDir));
  auth.officialGate = (user, password) => officials.loginAllowed(user, password);
  const reports = new ConductReports(service, clock, anomalyCount);
  return {
    service,
    reports,
    officials,
    dataDir,
    officialWrites: conductOfficialRoutes(service, officials),
    routes: conductRoutes(service, reports, officials, clock),
  };
}
