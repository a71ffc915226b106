import express from 'express';
import helmet from 'helmet';
import { existsSync } from 'node:fs';
import { createServer, type Server as HttpServer } from 'node:http';
import { resolve } from 'node:path';
import { faviconRoute } from '../http/favicon';
import { errorHandler } from '../http/middleware';
import { listRoutes } from '../http/route-list';
import { AppError } from '../shared/errors';
import { VERSION } from '../version';
import { AccountsService } from './accounts.service';
import { BansRepo } from './bans.repo';
import { BansService } from './bans.service';
import { CentresService } from './centres.service';
import { regulatorIntakeRoutes, registerIntakeHandlers } from './intake/intake.routes';
import { missingArchiveCount } from './intake/view.service';
import { regulatorLinkRoutes } from './link.routes';
import { RegulatorLink } from './link.service';
import { regulatorAdminRoutes } from './regulator-admin.routes';
import { regulatorActorOf, regulatorAuthenticate, RegulatorTokens, requireAccount } from './regulator-auth';
import type { RegulatorDeps } from './regulator-deps';
import { StaleExceptionsRepo } from './stale-exceptions.repo';

// The built client (vite): the console is its regulator.html entry. Same folder as the centre's (server/src/app.ts).
const CLIENT_DIST = resolve(import.meta.dirname, '../../../dist/client');

export type RegulatorApp = {
  http: HttpServer;
  routes(): { method: string; path: string }[];
  services: { link: RegulatorLink; accounts: AccountsService; centres: CentresService; bans: BansService };
  close(): Promise<void>;
};

/** Assembles the regulator server (issue 14): no logic here, only wiring. main/CLI/tests give it its deps. */
export function createRegulatorApp(deps: RegulatorDeps & { clientDir?: string }): RegulatorApp {
  const { db, clock, logger, keys } = deps;
  const link = new RegulatorLink(db, clock, keys.signer, new BansRepo(db));
  const tokens = new RegulatorTokens(deps.jwtSecret);
  const accounts = new AccountsService(db, clock, tokens, deps.config.tokenMinutes, keys.privatePem, link);
  const bans = new BansService(db, clock, link);
  const centres = new CentresService(db, clock, link, bans, accounts.repo, (centreId) =>
    missingArchiveCount(db, centreId, clock.now(), deps.config.missingArchiveDays),
  );

  const reader = requireAccount('regulator_admin', 'official');
  const intakeDeps = {
    db,
    clock,
    regDataDir: deps.config.dataDir,
    encPrivatePem: keys.encPrivatePem,
    missingArchiveDays: deps.config.missingArchiveDays,
    requireReader: reader,
    actorOf: regulatorActorOf,
  };
  link.handlers.on('centre.key-changed', (ctx) => centres.onKeyChanged(ctx));
  registerIntakeHandlers(link.handlers, intakeDeps);
  // Kept for officials even while the intake does not handle it (H3 may register its own first).
  if (!link.handlers.has('stale-list.exception')) {
    const stale = new StaleExceptionsRepo(db);
    link.handlers.on('stale-list.exception', (ctx) => stale.insert(ctx.centre.id, ctx.body, ctx.receivedAt, ctx.via));
  }

  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', false);
  app.use(
    helmet({
      strictTransportSecurity: false,
      contentSecurityPolicy: {
        directives: { 'upgrade-insecure-requests': null, 'img-src': ["'self'", 'data:'], 'connect-src': ["'self'"] },
      },
    }),
  );
  app.use(
    '/api',
    regulatorAuthenticate(tokens, (p) => accounts.standing(p)),
  );
  // Before the usual JSON parser: archives make link bodies large (their own limit in link.routes.ts).
  app.use('/api', regulatorLinkRoutes(link));
  app.use('/api', express.json({ limit: '256kb' }));
  app.get('/api/health', (_req, res) => {
    res.json({ ok: true, version: VERSION, role: 'regulator', fingerprint: keys.fingerprint });
  });
  app.use('/api', regulatorAdminRoutes({ accounts, centres, bans }));
  app.use('/api', regulatorIntakeRoutes(intakeDeps));
  app.use('/api', (_req, _res, next) => next(new AppError('not-found', 'no such API route', 404)));

  app.get('/favicon.ico', faviconRoute());
  const clientDir = deps.clientDir ?? CLIENT_DIST;
  if (existsSync(resolve(clientDir, 'regulator.html'))) {
    app.use(express.static(clientDir, { index: false, maxAge: '1h' }));
    app.get(['/', '/*rest'], (_req, res) => {
      res.sendFile(resolve(clientDir, 'regulator.html'));
    });
  }
  app.use(errorHandler(logger));
  const http = createServer(app);

  return {
    http,
    routes: () => listRoutes(app),
    services: { link, accounts, centres, bans },
    async close() {
      if (http.listening) await new Promise<void>((r) => http.close(() => r()));
    },
  };
}
