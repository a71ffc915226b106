import type { Router } from 'express';
import { loadRegulatorPublicKey } from '../conduct/grants';
import type { Db } from '../db/open';
import type { Clock } from '../shared/clock';
import type { InstitutionKey } from '../shared/institution-key';
import type { Logger } from '../shared/logger';
import { LinkExchanger } from './link-exchange';
import { wireLinkHooks } from './link-outgoing';
import { linkRoutes } from './link.routes';
import { LinkService } from './link.service';

export type LinkModule = {
  service: LinkService;
  exchanger: LinkExchanger;
  routes: Router;
  close(): Promise<void>;
};

export type LinkConfig = { regulatorUrl: string | null; centreCode: string | null; intervalS: number };

/** Wires the centre's side of the regulator link (issue 14): service, hooks, exchange loop, routes. */
export function createLinkModule(
  db: Db,
  clock: Clock,
  deps: {
    institutionKey: InstitutionKey;
    dataDir: string | null;
    logger: Logger;
    config?: Partial<LinkConfig>;
  },
): LinkModule {
  const config: LinkConfig = {
    regulatorUrl: deps.config?.regulatorUrl ?? null,
    centreCode: deps.config?.centreCode ?? null,
    intervalS: deps.config?.intervalS ?? 30,
  };
  const holder: { exchanger?: LinkExchanger } = {};
  const service = new LinkService(db, clock, {
    institutionKey: deps.institutionKey,
    regulatorKey: () => loadRegulatorPublicKey(deps.dataDir),
    config,
    onEnqueue: () => holder.exchanger?.kick(),
  });
  const exchanger = new LinkExchanger(service, deps.institutionKey, deps.logger, config.intervalS);
  holder.exchanger = exchanger;
  const removeHooks = wireLinkHooks(db, service, deps.dataDir, deps.logger);
  exchanger.start();
  return {
    service,
    exchanger,
    routes: linkRoutes(service, exchanger),
    async close() {
      removeHooks();
      await exchanger.close();
    },
  };
}
