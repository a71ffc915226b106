import { Router } from 'express';
import { idParam, requireStaff } from '../http/middleware';
import type { SessionDuty } from './session-duty';
import type { SessionsService } from './sessions.service';

export function sessionsRoutes(sessions: SessionsService, duty: SessionDuty): Router {
  const r = Router();
  const viewers = requireStaff('admin', 'chief_examiner', 'proctor', 'official');
  r.get('/sessions', viewers, (_req, res) => {
    res.json({ sessions: sessions.list() });
  });
  r.get('/rooms', viewers, (_req, res) => {
    res.json({ rooms: sessions.repo.rooms() });
  });
  // The roster (names, admission numbers, seats, progress, scores) is for those who may read the session.
  r.get('/sessions/:id', viewers, duty.readsSession(), (req, res) => {
    res.json(sessions.detail(idParam(req)));
  });
  return r;
}
