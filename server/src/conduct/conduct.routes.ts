import express, { Router, type RequestHandler } from 'express';
import { z } from 'zod';
import { actorOf, candidateOf, idParam, parse, requireCandidate, requireStaff, staffOf } from '../http/middleware';
import { caseInput, closeReportInput, inspectionInput, ledgerStepInput, reportInput, surveyInput } from '../protocol';
import { dayOf } from '../integrity/dates';
import { AppError, forbidden } from '../shared/errors';
import type { Clock } from '../shared/clock';
import { ledgerWorkbook, type ConductReports } from './conduct-reports';
import { MAX_EVIDENCE_BYTES, MAX_REPORTS_PER_REGISTRATION, type ConductService } from './conduct.service';
import type { OfficialsService } from './officials.service';

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
const statsQuery = z.object({ from: day, to: day }).strict();
const yearQuery = z.object({ year: z.coerce.number().int().min(2000).max(2100) }).strict();
const ledgerQuery = z.object({ format: z.enum(['json', 'xlsx']).default('json') }).strict();
const evidenceQuery = z.object({ name: z.string().min(1).max(200) }).strict();

/** Officials' writes must also hold a live regulator grant: a token alone can be minted from the JWT secret on disk. */
function requireGrantedOfficial(officials: OfficialsService): RequestHandler[] {
  return [
    requireStaff('official'),
    (_req, res, next) => {
      if (!officials.isGrantedNow(staffOf(res).staffId))
        throw forbidden('监管账号未获有效授权 / no valid regulator grant');
      next();
    },
  ];
}

/**
 * The only writes officials make (inspections, cases, verification). Mounted before the officials' read-only
 * guard (app.ts) because that guard refuses every other write by an official; institution staff are refused here.
 */
export function conductOfficialRoutes(conduct: ConductService, officials: OfficialsService): Router {
  const r = Router();
  const official = requireGrantedOfficial(officials);
  r.post('/conduct/inspections', ...official, (req, res) => {
    res.status(201).json(conduct.recordInspection(parse(inspectionInput, req.body), actorOf(res)));
  });
  r.post('/conduct/reports/:id/case', ...official, (req, res) => {
    res.status(201).json(conduct.openCase(idParam(req), parse(caseInput, req.body), actorOf(res)));
  });
  r.post('/conduct/reports/:id/close', ...official, (req, res) => {
    res.json(conduct.closeReport(idParam(req), parse(closeReportInput, req.body).outcome, actorOf(res)));
  });
  r.post('/conduct/ledger/:id/verify', ...official, (req, res) => {
    res.json(
      conduct.transition(idParam(req), 'verify', 'official', parse(ledgerStepInput, req.body).note, actorOf(res)),
    );
  });
  r.post('/conduct/ledger/:id/reject', ...official, (req, res) => {
    res.json(
      conduct.transition(idParam(req), 'reject', 'official', parse(ledgerStepInput, req.body).note, actorOf(res)),
    );
  });
  return r;
}

/** Candidates' survey and reports, the institution's ledger responses, and everyone's reading. */
export function conductRoutes(
  conduct: ConductService,
  reports: ConductReports,
  officials: OfficialsService,
  clock: Clock,
): Router {
  const r = Router();
  const candidate = requireCandidate();
  const readers = requireStaff('admin', 'chief_examiner', 'official');
  // Institution side of the ledger: the admin and the chief examiner answer for the institution.
  const institution = requireStaff('admin', 'chief_examiner');
  // Reports and the summary: officials holding a live grant only (a forged token does not read them either).
  const officialsOnly = requireGrantedOfficial(officials);

  r.get('/candidate/conduct', candidate, (_req, res) => {
    const id = candidateOf(res).registrationId;
    res.json({ surveyAnswered: !!conduct.repo.surveyOf(id), maxReports: MAX_REPORTS_PER_REGISTRATION });
  });
  r.post('/candidate/conduct/survey', candidate, (req, res) => {
    res.status(201).json(conduct.submitSurvey(candidateOf(res).registrationId, parse(surveyInput, req.body)));
  });
  r.post('/candidate/conduct/report', candidate, (req, res) => {
    res.status(201).json(conduct.fileReport(candidateOf(res).registrationId, parse(reportInput, req.body)));
  });

  // Reports are readable by officials only — never by institution staff (issue 10).
  r.get('/conduct/reports', ...officialsOnly, (_req, res) => {
    res.json({ reports: conduct.reports() });
  });
  r.get('/conduct/inspections', readers, (_req, res) => {
    res.json({ inspections: conduct.repo.inspections() });
  });
  r.get('/conduct/ledger', readers, async (req, res) => {
    const q = parse(ledgerQuery, req.query);
    const entries = conduct.ledger();
    if (q.format === 'xlsx') {
      res.setHeader('content-type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
      res.setHeader('content-disposition', `attachment; filename="ledger-${dayOf(clock.now())}.xlsx"`);
      res.send(await ledgerWorkbook(entries));
      return;
    }
    res.json({ entries, today: dayOf(clock.now()) });
  });
  r.get('/conduct/ledger/:id', readers, (req, res) => {
    res.json(conduct.entry(idParam(req)));
  });
  r.get('/conduct/ledger/:id/evidence/:evidenceId', readers, (req, res) => {
    const file = conduct.repo.evidenceFile(idParam(req), idParam(req, 'evidenceId'));
    if (!file) throw new AppError('not-found', 'evidence not found', 404);
    res.setHeader('content-type', file.mime);
    res.setHeader('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(file.filename)}`);
    res.setHeader('x-content-type-options', 'nosniff');
    res.send(file.content);
  });
  r.post('/conduct/ledger/:id/respond', institution, (req, res) => {
    res.json(
      conduct.transition(idParam(req), 'respond', 'institution', parse(ledgerStepInput, req.body).note, actorOf(res)),
    );
  });
  r.post('/conduct/ledger/:id/rectified', institution, (req, res) => {
    res.json(
      conduct.transition(idParam(req), 'rectified', 'institution', parse(ledgerStepInput, req.body).note, actorOf(res)),
    );
  });
  r.post(
    '/conduct/ledger/:id/evidence',
    institution,
    express.raw({ type: () => true, limit: MAX_EVIDENCE_BYTES }),
    (req, res) => {
      const { name } = parse(evidenceQuery, req.query);
      const content = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      const mime = String(req.headers['content-type'] ?? '')
        .split(';')[0]!
        .trim();
      res.status(201).json(conduct.addEvidence(idParam(req), { filename: name, mime, content }, actorOf(res)));
    },
  );

  r.get('/conduct/surveys/stats', readers, (req, res) => {
    const q = parse(statsQuery, req.query);
    // Free text stays with officials: staff see averages only.
    res.json(reports.surveyStats(q.from, q.to, staffOf(res).roles.includes('official')));
  });
  r.get('/conduct/summary', ...officialsOnly, (req, res) => {
    res.json(reports.summary(parse(yearQuery, req.query).year));
  });

  // An admin installs a regulator-signed grant (create / new password / disable an official); the signature decides.
  r.post('/officials/grants', requireStaff('admin'), (req, res) => {
    res.status(201).json(officials.install(req.body, actorOf(res)));
  });
  return r;
}
