import { Router } from 'express';
import { actorOf, idParam, parse, requireStaff } from '../http/middleware';
import { assignmentInput, registrationInput } from '../protocol';
import type { AssignmentsService } from './assignments.service';
import type { ImportService } from './import.service';
import { rawUpload, uploadOf } from './people.routes';
import type { RegistrationsService } from './registrations.service';

/** Staff assignment and candidate registration of a session; both run the integrity rules. */
export function sessionPeopleRoutes(s: {
  assignments: AssignmentsService;
  registrations: RegistrationsService;
  imports: ImportService;
}): Router {
  const r = Router();
  const planners = requireStaff('admin', 'chief_examiner');
  // Proctor assignments are kept secret before the exam (domain.md): not shown to proctors.
  const viewers = requireStaff('admin', 'chief_examiner', 'official');

  r.get('/sessions/:id/staff', viewers, (req, res) => {
    res.json(s.assignments.view(idParam(req)));
  });
  r.post('/sessions/:id/staff', planners, (req, res) => {
    const body = parse(assignmentInput, req.body);
    res.status(201).json(s.assignments.assign(idParam(req), body.staffId, body.duty, actorOf(res)));
  });
  r.delete('/sessions/:id/staff/:staffId', planners, (req, res) => {
    s.assignments.unassign(idParam(req), idParam(req, 'staffId'), actorOf(res));
    res.json({ ok: true });
  });

  r.post('/sessions/:id/registrations', planners, (req, res) => {
    res.status(201).json(s.registrations.register(idParam(req), parse(registrationInput, req.body), actorOf(res)));
  });
  r.delete('/sessions/:id/registrations/:registrationId', requireStaff('admin'), (req, res) => {
    s.registrations.unregister(idParam(req), idParam(req, 'registrationId'), actorOf(res));
    res.json({ ok: true });
  });
  r.post('/sessions/:id/registrations/import', requireStaff('admin'), rawUpload, async (req, res) => {
    const u = uploadOf(req);
    res.json(await s.imports.importRoster(idParam(req), u.bytes, u.format, u.dryRun, actorOf(res)));
  });
  return r;
}
