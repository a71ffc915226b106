import { Router, type RequestHandler, type Response } from 'express';
import { z } from 'zod';
import type { Db } from '../../db/open';
import { idParam, parse } from '../../http/middleware';
import { openCaseInput, passRatesQuery, regulatorSearchQuery } from '../../protocol/regulator-view';
import type { Clock } from '../../shared/clock';
import { AppError } from '../../shared/errors';
import type { LinkHandlers } from '../regulator-deps';
import { intakeArchive, intakeSessionNotice, intakeStaleException } from './intake.service';
import {
  archiveFile,
  archiveReport,
  cases,
  findings,
  missingArchives,
  openCase,
  passRates,
  person,
  search,
  sessionDetail,
} from './view.service';

/** What the intake needs from the regulator app (regulator-app.ts passes these). */
export type IntakeDeps = {
  db: Db;
  clock: Clock;
  /** <regdata>: archives are stored under <regdata>/archives/<centre>/ (none: tests keep no file). */
  regDataDir?: string;
  /** The regulator's X25519 private key (PEM): opens the sealed part of archives so scores are proved. */
  encPrivatePem: string;
  /** REGULATOR_MISSING_ARCHIVE_DAYS (default 3). */
  missingArchiveDays?: number;
  /** Officials and admins: every intake route sits behind it. */
  requireReader: RequestHandler;
  /** Who is acting (for ledger cases): the logged-in account's username. */
  actorOf: (res: Response) => string;
};

export const DEFAULT_MISSING_ARCHIVE_DAYS = 3;
const idNumberParam = z.string().regex(/^\d{17}[\dX]$/, '18-character ID number');
const findingsQuery = z
  .object({
    kind: z
      .enum([
        'overlapping-sessions',
        'staff-and-candidate',
        'staff-and-trainer',
        'barred-appearance',
        'reexam-too-soon',
      ])
      .optional(),
    idNumber: idNumberParam.optional(),
  })
  .strict();
const param = (v: string | string[] | undefined): string => (typeof v === 'string' ? v : '');

/** GET /api/search, /api/people, /api/sessions, /api/archives, /api/findings, /api/cases, /api/pass-rates. */
export function regulatorIntakeRoutes(deps: IntakeDeps): Router {
  const r = Router();
  const { db, clock } = deps;
  const read = deps.requireReader;
  const grace = deps.missingArchiveDays ?? DEFAULT_MISSING_ARCHIVE_DAYS;

  r.get('/search', read, (req, res) => {
    res.json(search(db, parse(regulatorSearchQuery, req.query)));
  });
  r.get('/people/:idNumber', read, (req, res) => {
    res.json(person(db, parse(idNumberParam, req.params.idNumber)));
  });
  r.get('/sessions/:centre/:sessionCode', read, (req, res) => {
    res.json(sessionDetail(db, param(req.params.centre), param(req.params.sessionCode)));
  });
  r.get('/archives/missing', read, (_req, res) => {
    res.json(missingArchives(db, clock.now(), grace));
  });
  r.get('/archives/:id', read, (req, res) => {
    res.json(archiveReport(db, idParam(req)));
  });
  r.get('/archives/:id/download', read, (req, res, next) => {
    const f = archiveFile(db, deps.regDataDir, idParam(req));
    res.download(f.path, f.name, (err) => {
      if (err && !res.headersSent) next(new AppError('archive-not-stored', 'archive file not readable', 404));
    });
  });
  r.get('/findings', read, (req, res) => {
    res.json(findings(db, clock.now(), parse(findingsQuery, req.query)));
  });
  r.post('/findings/:id/case', read, (req, res) => {
    res.json(openCase(db, idParam(req), parse(openCaseInput, req.body), deps.actorOf(res), clock.now()));
  });
  r.get('/cases', read, (_req, res) => {
    res.json(cases(db));
  });
  r.get('/pass-rates', read, (req, res) => {
    res.json(passRates(db, parse(passRatesQuery, req.query).by));
  });
  return r;
}

/** Registers the intake's link handlers; each runs inside the transaction that records the message's seq. */
export function registerIntakeHandlers(link: LinkHandlers, deps: IntakeDeps): void {
  link.on('session.notice', (ctx) => {
    intakeSessionNotice(ctx, ctx.body);
  });
  link.on('archive.submitted', (ctx) => {
    intakeArchive(ctx, ctx.body, { regDataDir: deps.regDataDir, encPrivatePem: deps.encPrivatePem });
  });
  link.on('stale-list.exception', (ctx) => {
    intakeStaleException(ctx, ctx.body);
  });
}

/** For the centres list (H1's CentresService missingArchives hook): sessions past end + grace with no archive. */
export { missingArchiveCount } from './view.service';
