import { Router, type RequestHandler } from 'express';
import { actorOf, idParam, parse, requireStaff, staffOf } from '../http/middleware';
import { openRequest, resealRequest, sealRequest } from '../protocol';
import { forbidden } from '../shared/errors';
import type { PapersService } from './papers.service';

/** Officials are read-only (notice: regulators supervise, they do not run exams): refused even with another role. */
const notOfficial: RequestHandler = (_req, res, next) => {
  if (staffOf(res).roles.includes('official')) throw forbidden('officials are read-only');
  next();
};

export function papersRoutes(papers: PapersService): Router {
  const r = Router();
  const viewers = requireStaff('admin', 'chief_examiner', 'proctor', 'bank_keeper', 'official');
  const operators = [requireStaff('admin', 'chief_examiner'), notOfficial];

  // Any staff member or official may read the institution key's fingerprint to compare it on paper.
  r.get('/institution/key', viewers, (_req, res) => {
    res.json(papers.institutionKeyInfo());
  });
  r.get('/papers/custodians', ...operators, (_req, res) => {
    res.json({ custodians: papers.custodianOptions() });
  });
  r.get('/sessions/:id/seal', requireStaff('admin', 'chief_examiner', 'proctor', 'official'), (req, res) => {
    res.json(papers.status(idParam(req)));
  });
  // The codes go to the handover, never into the response: the operator sees neither (two-person rule).
  r.post('/sessions/:id/seal', ...operators, async (req, res) => {
    const body = parse(sealRequest, req.body);
    res.json(papers.handover.hold(await papers.sealSessionAsync(idParam(req), body.custodians, actorOf(res))));
  });
  r.post('/sessions/:id/reseal', ...operators, async (req, res) => {
    const body = parse(resealRequest, req.body);
    res.json(
      papers.handover.hold(await papers.resealSession(idParam(req), body.custodians, body.reason, actorOf(res))),
    );
  });
  r.get('/sessions/:id/seal/handover', requireStaff('admin', 'chief_examiner', 'proctor', 'official'), (req, res) => {
    res.json({ handover: papers.handover.status(idParam(req)) });
  });
  // Each custodian — staff or the supervising official — collects their own code with their own login, once.
  r.get('/sessions/:id/seal/my-code', viewers, (req, res) => {
    res.set('cache-control', 'no-store');
    res.json(papers.handover.collect(idParam(req), staffOf(res).staffId, actorOf(res)));
  });
  r.post('/sessions/:id/open', ...operators, (req, res) => {
    res.json(papers.openSession(idParam(req), parse(openRequest, req.body), actorOf(res)));
  });
  // open → running. Lives here until a sessions control router exists: it is the step right after opening.
  r.post('/sessions/:id/start', ...operators, (req, res) => {
    res.json(papers.startSession(idParam(req), actorOf(res)));
  });
  return r;
}
