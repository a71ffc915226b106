import { Router } from 'express';
import { actorOf, idParam, parse, requireStaff } from '../http/middleware';
import { roomInput, sessionPlanInput } from '../protocol';
import type { PlanningService } from './planning.service';
import type { SessionDuty } from './session-duty';
import type { SessionsService } from './sessions.service';

export function planningRoutes(planning: PlanningService, sessions: SessionsService, duty: SessionDuty): Router {
  const r = Router();
  const planners = requireStaff('chief_examiner', 'admin');
  r.get('/planning/options', planners, (_req, res) => {
    res.json(planning.options());
  });
  r.post('/rooms', requireStaff('admin'), (req, res) => {
    const body = parse(roomInput, req.body);
    res.status(201).json({ roomId: planning.createRoom(body.name, body.seatCount, actorOf(res)) });
  });
  r.post('/sessions', planners, (req, res) => {
    res.status(201).json({ sessionId: planning.createSession(parse(sessionPlanInput, req.body), actorOf(res)) });
  });
  r.post('/sessions/:id/seats/allocate', planners, (req, res) => {
    res.json(planning.allocateSeats(idParam(req), actorOf(res)));
  });
  r.post('/sessions/:id/schedule', planners, (req, res) => {
    res.json({ state: sessions.transition(idParam(req), 'scheduled', actorOf(res)).state });
  });
  // Seat plan and admission tickets: printed by exam staff, so no official view of candidates' data here. The
  // admission number with the ID number is the candidate's login: read only by the session's own staff, the
  // admin, or a chief examiner while it is being planned (SessionDuty.requireReader, issue 13).
  r.get(
    '/sessions/:id/tickets',
    requireStaff('chief_examiner', 'admin', 'proctor'),
    duty.readsSession(),
    (req, res) => {
      res.json({ tickets: planning.tickets(idParam(req)) });
    },
  );
  return r;
}
