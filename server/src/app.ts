import express from 'express';
import helmet from 'helmet';
import { createServer, type Server as HttpServer } from 'node:http';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { Server as SocketServer } from 'socket.io';
import { faviconRoute } from './http/favicon';
import { DEFAULT_TIME_ZONE, type Config } from './config';
import type { Db } from './db/open';
import { authRoutes } from './auth/auth.routes';
import { bankRoutes, practiceRoutes } from './bank/bank.routes';
import { AuthService } from './auth/auth.service';
import { LoginThrottle } from './auth/login-throttle';
import { TokenService, type Principal } from './auth/tokens';
import { guardStaffSocket } from './auth/staff-standing';
import { candidateRoutes } from './delivery/candidate.routes';
import { lateAnswerRoutes } from './delivery/late-answers.routes';
import { registerCandidateSocket, registrationRoom, sessionCandidatesRoom } from './delivery/delivery.socket';
import { examControlRoutes } from './delivery/exam-controls.routes';
import { ExamControls } from './delivery/exam-controls.service';
import { Workstations } from './delivery/workstations';
import { planningRoutes } from './sessions/planning.routes';
import { PlanningService } from './sessions/planning.service';
import { beat, HEARTBEAT_MS } from './delivery/outage';
import { DeliveryService, type DeliveryNotifier } from './delivery/delivery.service';
import { GradingService } from './grading/grading.service';
import { gradingRoutes } from './grading/grading.routes';
import { AnalysisService } from './grading/analysis.service';
import { ReportsService } from './grading/reports.service';
import { ReExamService } from './grading/reexam.service';
import { authenticate, errorHandler } from './http/middleware';
import { listRoutes } from './http/route-list';
import { refuseUnknownEvents } from './http/socket-handler';
import { sameOriginOnly, socketHandshake } from './http/socket-auth';
import { PapersService } from './papers/papers.service';
import { custodianRoutes, papersRoutes } from './papers/papers.routes';
import type { CustodianCheck } from './papers/custodians';
import { ephemeralInstitutionKey, type InstitutionKey } from './shared/institution-key';
import { randomBytes } from 'node:crypto';
import { sessionsRoutes } from './sessions/sessions.routes';
import { registerStaffSocket, sessionWatchRoom } from './sessions/sessions.socket';
import { SessionsService } from './sessions/sessions.service';
import { SessionDuty } from './sessions/session-duty';
import type { Clock } from './shared/clock';
import { AppError } from './shared/errors';
import type { Logger } from './shared/logger';
import { VERSION } from './version';
import { AnomalyService } from './audit/anomaly.service';
import { ArchiveService } from './audit/archive.service';
import { auditRoutes, officialGuard } from './audit/audit.routes';
import { AuditService } from './audit/audit.service';
import { addAfterTransition } from './audit/transition-hooks';
import { INSTITUTION_CHAIN, sessionChain } from './audit/events.repo';
import { proctoringRoutes } from './proctoring/proctoring.routes';
import { integrityOpenGuard } from './integrity/integrity-guard';
import { integrityOfficialWrites } from './integrity/integrity.routes';
import { IntegrityService } from './integrity/integrity.service';
import { basicCustodianCheck, combineChecks } from './papers/custodians';
import { createPeopleModule, peopleModuleRoutes, type PeopleModule } from './people/people-services';
import { addTransitionGuard } from './sessions/transition-guards';
import { ProctoringService } from './proctoring/proctoring.service';
import { createConductModule, type ConductModule } from './conduct/conduct-module';
import { loadRegulatorEncryptionKey } from './conduct/grants';
import { createLinkModule, type LinkModule } from './link/link-module';
import { linkBundleBody } from './link/link.routes';

export const CLIENT_DIST = resolve(import.meta.dirname, '../../dist/client');

export type AppDeps = {
  // dataDir: where evidence and archives are written (main.ts passes the whole config); none in tests.
  config: Pick<Config, 'staffTokenMinutes'> & Partial<Pick<Config, 'dataDir' | 'recordingsDir' | 'timeZone' | 'link'>>;
  db: Db;
  clock: Clock;
  logger: Logger;
  jwtSecret: Buffer;
  clientDir?: string;
  /**
   * Institution signing key and the server key that wraps opened paper keys, both from <data>/keys
   * (main.ts). Without them (tests) the app uses in-memory keys: seals then do not survive a restart.
   */
  keys?: { institution: InstitutionKey; paperWrapKey: Buffer };
  /** Custodian eligibility beyond the basic check (the integrity rules plug in here). */
  custodianCheck?: CustodianCheck;
};

export type App = {
  http: HttpServer;
  /** The keys in use, for seeding demo data through separately clocked services (demo/past-session.ts). */
  keys: { institution: InstitutionKey; paperWrapKey: Buffer };
  io: SocketServer;
  /** Every REST route (for the security tests that try each one). */
  routes(): { method: string; path: string }[];
  services: {
    auth: AuthService;
    sessions: SessionsService;
    papers: PapersService;
    delivery: DeliveryService;
    grading: GradingService;
    people: PeopleModule;
    reExam: ReExamService;
    controls: ExamControls;
    workstations: Workstations;
    proctoring: ProctoringService;
    audit: AuditService;
    archives: ArchiveService;
    anomalies: AnomalyService;
    conduct: ConductModule;
    link: LinkModule['service'];
    /** Sends to the regulator soon (the demo calls it once the link is set up at start). */
    linkExchanger: LinkModule['exchanger'];
  };
  close(): Promise<void>;
};

/** Wires every domain into one HTTP server with REST under /api and socket.io on the same port. */
export function createApp(deps: AppDeps): App {
  const { db, clock, logger } = deps;
  const tokens = new TokenService(deps.jwtSecret);
  // The socket server is created after express (below); the services' notifier reaches it through this.
  const live: { io?: SocketServer } = {};
  const notifier: DeliveryNotifier = {
    candidateChanged: (sessionId, registrationId) =>
      live.io?.to(sessionWatchRoom(sessionId)).emit('session:changed', { sessionId, registrationId }),
    submitted: (registrationId, info) => live.io?.to(registrationRoom(registrationId)).emit('exam:submitted', info),
    timeChanged: (sessionId, registrationId) =>
      live.io
        ?.to(registrationId === null ? sessionCandidatesRoom(sessionId) : registrationRoom(registrationId))
        .emit('exam:resync'),
    seatMoved: (registrationId) => {
      const seatNo = sessions.repo.registration(registrationId)?.seatNo ?? 0;
      live.io?.to(registrationRoom(registrationId)).emit('exam:seat-moved', { toSeat: seatNo });
      // The old seat's sockets must not keep answering: the candidate logs in again at the new seat.
      live.io?.in(registrationRoom(registrationId)).disconnectSockets(true);
    },
  };

  const sessions = new SessionsService(db, clock);
  const institutionKey = deps.keys?.institution ?? ephemeralInstitutionKey();
  const paperWrapKey = deps.keys?.paperWrapKey ?? randomBytes(32);
  // Integrity rules re-checked on opening (design.md, Session states); guards are per database (issue 5).
  const integrity = new IntegrityService(db, clock, logger);
  const removeIntegrityGuard = addTransitionGuard(db, integrityOpenGuard(integrity));
  const papers = new PapersService(db, clock, {
    institutionKey,
    wrapKey: paperWrapKey,
    // Seal custodians must pass the integrity rules too (bans, 回避, 考培分离: issue 5).
    custodianCheck:
      deps.custodianCheck ??
      combineChecks(basicCustodianCheck(db), (id, staffIds, at) => integrity.checkCustodians(id, staffIds, at)),
  });
  const grading = new GradingService(db, clock, papers);
  const reExam = new ReExamService(db);
  const dataDir = deps.config.dataDir ?? null;
  const proctoring = new ProctoringService(
    db,
    clock,
    sessions,
    dataDir,
    {
      seatChanged: (sessionId, registrationId) =>
        live.io?.to(sessionWatchRoom(sessionId)).emit('session:changed', { sessionId, registrationId }),
      message: (registrationIds, message) => {
        for (const id of registrationIds) live.io?.to(registrationRoom(id)).emit('proctor:message', message);
      },
    },
    undefined,
    // Room video is attached only from here, never from the data folder (issue 13, hole 1).
    deps.config.recordingsDir ?? null,
  );
  // 人证核验 (domain.md): a candidate whose identity check failed, or whose seat is locked, cannot start.
  const delivery = new DeliveryService(db, clock, papers, grading, notifier, (registrationId) =>
    proctoring.mayStart(registrationId)
      ? null
      : '人证核验未通过，请联系监考老师 / identity check failed: call the proctor',
  );
  const workstations = new Workstations(db, clock, deps.jwtSecret);
  const controls = new ExamControls(db, clock, sessions, delivery, notifier);
  // Every session-scoped staff action: on duty in that session, staff rules re-run (issue 13, hole 10).
  const duty = new SessionDuty(db, integrity);
  // Seat binding beyond login (issue 13, hole 13): a candidate token opens the exam only from its workstation.
  const checkCandidateDevice = (p: Extract<Principal, { kind: 'candidate' }>, workstationToken: unknown): void => {
    const seatNo = sessions.repo.registration(p.registrationId)?.seatNo ?? p.seatNo;
    const ws = typeof workstationToken === 'string' ? workstationToken : undefined;
    workstations.checkDevice(sessions.get(p.sessionId), seatNo, p.ws, ws);
  };
  const audit = new AuditService(db, clock, institutionKey);
  // Every session transition signs the session chain's head with the institution key (issue 7).
  const removeHeadSigning = addAfterTransition(db, (sessionId, to) => {
    audit.signHead(sessionChain(sessionId), `session.transition:${to}`);
    audit.signHead(INSTITUTION_CHAIN, `session:${sessionId}.transition:${to}`);
  });
  const paperOf = (registrationId: number) => papers.paperFor(registrationId);
  const archives = new ArchiveService(db, clock, {
    key: institutionKey,
    dataDir,
    sessions,
    audit,
    proctoring: proctoring.repo,
    paperOf,
    // Read at each archive, so a key installed (or made by the demo) after start is used (issue 13).
    regulatorKey: () => loadRegulatorEncryptionKey(dataDir),
  });
  const anomalies = new AnomalyService(db, sessions, proctoring.repo, paperOf);
  const auth = new AuthService(
    db,
    clock,
    tokens,
    new LoginThrottle(clock),
    deps.config.staffTokenMinutes,
    (sessionId, seatNo, token) => workstations.checkSeat(sessions.get(sessionId), seatNo, token),
  );
  const people = createPeopleModule(db, clock, auth, integrity);
  // Conduct supervision and officials' regulator-signed accounts (issue 10).
  const conduct = createConductModule(db, clock, dataDir, auth, (id) => anomalies.report(id).anomalies.length);
  // The regulator link (issue 14): ban list binding, stale-list guard, notices and archives to the regulator.
  const link = createLinkModule(db, clock, { institutionKey, dataDir, logger, config: deps.config.link });

  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', false);
  app.use(
    helmet({
      // A LAN server over plain HTTP: no HSTS and no upgrade of requests to https.
      strictTransportSecurity: false,
      contentSecurityPolicy: {
        directives: {
          'upgrade-insecure-requests': null,
          'img-src': ["'self'", 'data:', 'blob:'],
          'media-src': ["'self'", 'blob:'],
          'connect-src': ["'self'"],
        },
      },
    }),
  );
  // A regulator bundle outgrows the usual limit: an admin's upload only (issue 14).
  app.use('/api/link/bundle', authenticate(tokens, auth.standing), ...linkBundleBody);
  app.use('/api', express.json({ limit: '256kb' }));
  app.use('/api', authenticate(tokens, auth.standing));
  // The exam's candidate routes are bound to the seat's workstation (issue 13). Conduct surveys and reports
  // are not: a candidate may report staff from their own phone, away from the proctors' eyes.
  app.use('/api/candidate', (req, res, next) => {
    const p = res.locals.principal as Principal | undefined;
    if (p?.kind === 'candidate' && !req.path.startsWith('/conduct'))
      checkCandidateDevice(p, req.headers['x-workstation-token']);
    next();
  });
  app.use('/api', integrityOfficialWrites(integrity)); // an official confirms an integrity exception (issue 13)
  app.use('/api', conduct.officialWrites); // officials' only writes (inspections, cases, verification), before the read-only guard
  // Custodians' own codes at opening, the supervising official's included (issue 13, hole 4).
  app.use(
    '/api',
    custodianRoutes(papers, (id, password, ip) => auth.reauthenticate(id, password, ip)),
  );
  app.use('/api', officialGuard(audit));
  app.get('/api/health', (_req, res) => {
    // The client formats every date and time in the centre's zone (client/src/time-format.ts).
    res.json({ ok: true, version: VERSION, timeZone: deps.config.timeZone ?? DEFAULT_TIME_ZONE });
  });
  app.use('/api', authRoutes(auth, delivery));
  app.use('/api', sessionsRoutes(sessions, duty));
  app.use(
    '/api',
    gradingRoutes(grading, new ReportsService(db, clock, grading), new AnalysisService(db, grading), reExam, duty),
  );
  app.use('/api', papersRoutes(papers, duty));
  app.use('/api', candidateRoutes(delivery), lateAnswerRoutes(db, duty));
  app.use('/api', examControlRoutes(controls, workstations, duty));
  app.use('/api', planningRoutes(new PlanningService(db, clock), sessions, duty));
  app.use('/api', bankRoutes(db, clock, logger), practiceRoutes(db, clock));
  app.use('/api', proctoringRoutes(proctoring, duty), auditRoutes(audit, archives, anomalies, duty));
  app.use('/api', peopleModuleRoutes(people));
  app.use('/api', conduct.routes);
  app.use('/api', link.routes);
  app.use('/api', (_req, _res, next) => next(new AppError('not-found', 'no such API route', 404)));

  app.get('/favicon.ico', faviconRoute());
  const clientDir = deps.clientDir ?? CLIENT_DIST;
  if (existsSync(clientDir)) {
    app.use(express.static(clientDir, { index: 'index.html', maxAge: '1h' }));
    app.get(['/staff', '/staff/*rest', '/official', '/official/*rest'], (_req, res) => {
      res.sendFile(resolve(clientDir, 'staff.html'));
    });
  }
  app.use(errorHandler(logger));

  // socket.io attaches after express so that it, not express, answers /socket.io/ requests.
  const http = createServer(app);
  const io = new SocketServer(http, { maxHttpBufferSize: 64 * 1024, allowRequest: sameOriginOnly });

  live.io = io;
  io.use(
    socketHandshake({
      tokens,
      checkStaff: (p) => auth.standing.check(p),
      seatOf: (registrationId) => sessions.repo.registration(registrationId)?.seatNo,
      checkCandidateDevice,
    }),
  );
  io.on('connection', (socket) => {
    const p = socket.data.principal as Principal;
    refuseUnknownEvents(socket);
    if (p.kind === 'candidate') {
      proctoring.connected(p.registrationId);
      socket.on('disconnect', () => proctoring.disconnected(p.registrationId));
    }
    if (p.kind === 'candidate')
      registerCandidateSocket(
        socket,
        p.registrationId,
        p.sessionId,
        delivery,
        () => controls.endSeatMovePause(p.sessionId, p.registrationId),
        logger,
        () => checkCandidateDevice(p, (socket.handshake.auth as { workstationToken?: unknown }).workstationToken),
      );
    else {
      const staff = p as Extract<Principal, { kind: 'staff' }>;
      guardStaffSocket(socket, () => auth.standing.check(staff));
      registerStaffSocket(socket, sessions, logger, (id) => duty.requireReader(staff, id));
    }
  });

  const sweep = setInterval(() => {
    try {
      delivery.sweep();
    } catch (err) {
      logger.error({ err }, 'auto-submit sweep failed');
    }
  }, 1000);
  sweep.unref();
  beat(db, clock);
  const heartbeat = setInterval(() => {
    try {
      beat(db, clock);
    } catch (err) {
      logger.error({ err }, 'heartbeat failed');
    }
  }, HEARTBEAT_MS);
  heartbeat.unref();

  return {
    http,
    io,
    routes: () => listRoutes(app),
    keys: { institution: institutionKey, paperWrapKey },
    services: {
      auth,
      sessions,
      papers,
      delivery,
      grading,
      people,
      reExam,
      controls,
      workstations,
      proctoring,
      audit,
      archives,
      anomalies,
      conduct,
      link: link.service,
      linkExchanger: link.exchanger,
    },
    async close() {
      await link.close();
      removeIntegrityGuard();
      removeHeadSigning();
      clearInterval(sweep);
      clearInterval(heartbeat);
      await io.close();
      proctoring.flushPresence(); // the disconnects of the sockets io.close() just ended
      if (http.listening) await new Promise<void>((r) => http.close(() => r()));
    },
  };
}
