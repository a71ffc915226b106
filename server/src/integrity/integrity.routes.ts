import { Router } from 'express';
import { actorOf, idParam, parse, requireStaff } from '../http/middleware';
import { integrityExceptionInput } from '../protocol';
import type { IntegrityService } from './integrity.service';

/** Officials see, for any session, every check that ran with its inputs and outcome (read-only). */
export function integrityRoutes(integrity: IntegrityService): Router {
  const r = Router();
  const viewers = requireStaff('official', 'chief_examiner', 'admin');
  const admin = requireStaff('admin');

  r.get('/sessions/:id/integrity', viewers, (req, res) => {
    res.json(integrity.view(idParam(req)));
  });
  r.post('/sessions/:id/integrity/exceptions', admin, (req, res) => {
    res
      .status(201)
      .json(integrity.recordException(idParam(req), parse(integrityExceptionInput, req.body), actorOf(res)));
  });
  r.get('/integrity/settings', viewers, (_req, res) => {
    res.json(integrity.settings());
  });
  r.put('/integrity/settings', admin, (req, res) => {
    res.json(integrity.updateSettings(req.body, actorOf(res)));
  });
  return r;
}

/** Officials' one write here: confirming an exception (mounted before the officials' read-only guard). */
export function integrityOfficialWrites(integrity: IntegrityService): Router {
  const r = Router();
  r.post('/sessions/:id/integrity/exceptions/:exceptionId/confirm', requireStaff('official'), (req, res) => {
    res.json(integrity.confirmException(idParam(req), idParam(req, 'exceptionId'), actorOf(res)));
  });
  return r;
}
