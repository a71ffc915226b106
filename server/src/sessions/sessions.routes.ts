import { Router } from 'express';
import { idParam, requireStaff } from '../http/middleware';
import type { SessionsService } from './sessions.service';

export function sessionsRoutes(sessions: SessionsService): Router {
  const r = Router();
  const viewers = requireStaff('admin', 'chief_examiner', 'proctor', 'official');
  r.get('/sessions', viewers, (_req, res) => {
    res.json({ sessions: sessions.list() });
  });
  r.get('/rooms', viewers, (_req, res) => {
    res.json({ rooms: sessions.repo.rooms() });
  });
  r.get('/sessions/:id', viewers, (req, res) => {
    res.json(sessions.detail(idParam(req)));
  });
  return r;
}
