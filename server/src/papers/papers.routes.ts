import { Router, type RequestHandler } from 'express';
import { actorOf, idParam, parse, requireStaff, staffOf } from '../http/middleware';
import { openCodeRequest, resealRequest, sealRequest } from '../protocol';
import { forbidden } from '../shared/errors';
import type { SessionDuty } from '../sessions/session-duty';
import { CUSTODIAN_ROLES } from './custodians';
import type { PapersService } from './papers.service';

/** Officials are read-only (notice: regulators supervise, they do not run exams): refused even with another role. */
const notOfficial: RequestHandler = (_req, res, next) => {
  if (staffOf(res).roles.includes('official')) throw forbidden('officials are read-only');
  next();
};

export function papersRoutes(papers: PapersService, duty: SessionDuty): Router {
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
  // Who has entered their code and when (issue 13, hole 4). There is no route taking both codes at once: each
  // custodian enters their own (custodianRoutes below).
  r.get('/sessions/:id/open/status', requireStaff('admin', 'chief_examiner', 'proctor', 'official'), (req, res) => {
    res.json(papers.openingCodes.status(idParam(req)));
  });
  // open → running. Lives here until a sessions control router exists: it is the step right after opening.
  // Only the session's own chief examiner starts it (issue 13: an assignment, not a role, gives the power).
  r.post('/sessions/:id/start', ...operators, duty.onSession('chief'), (req, res) => {
    res.json(papers.startSession(idParam(req), actorOf(res)));
  });
  return r;
}

/**
 * A custodian enters their own code, re-entering their own password on that screen: an open tab of someone
 * else's login is not enough (issue 13, hole 4). Mounted before the officials' read-only guard (app.ts), since
 * the supervising official may hold slot B; this is the only write an official makes to a session.
 */
export function custodianRoutes(
  papers: PapersService,
  reauthenticate: (staffId: number, password: string, ip: string) => unknown,
): Router {
  const r = Router();
  r.post('/sessions/:id/open/code', requireStaff(...CUSTODIAN_ROLES), (req, res) => {
    const body = parse(openCodeRequest, req.body);
    const me = staffOf(res);
    reauthenticate(me.staffId, body.password, req.ip ?? 'unknown');
    res.set('cache-control', 'no-store');
    res.json(papers.openingCodes.enter(idParam(req), me.staffId, body.code, actorOf(res)));
  });
  return r;
}
