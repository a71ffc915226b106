import { Router } from 'express';
import { actorOf, idParam, parse, requireStaff } from '../http/middleware';
import { controlReasonRequest, enrolWorkstationRequest, extendRequest, seatMoveRequest } from '../protocol';
import type { ExamControls } from './exam-controls.service';
import type { Workstations } from './workstations';

export function examControlRoutes(controls: ExamControls, workstations: Workstations): Router {
  const r = Router();
  const examStaff = requireStaff('proctor', 'chief_examiner', 'admin');
  const chief = requireStaff('chief_examiner', 'admin');

  r.post('/sessions/:id/pause', examStaff, (req, res) => {
    controls.pauseSession(idParam(req), parse(controlReasonRequest, req.body).reason, actorOf(res));
    res.json({ ok: true });
  });
  r.post('/sessions/:id/resume', examStaff, (req, res) => {
    controls.resumeSession(idParam(req), parse(controlReasonRequest, req.body).reason, actorOf(res));
    res.json({ ok: true });
  });
  r.post('/sessions/:id/close', chief, (req, res) => {
    controls.closeSession(idParam(req), parse(controlReasonRequest, req.body).reason, actorOf(res));
    res.json({ ok: true });
  });
  r.post('/registrations/:id/pause', examStaff, (req, res) => {
    controls.pauseCandidate(idParam(req), parse(controlReasonRequest, req.body).reason, actorOf(res));
    res.json({ ok: true });
  });
  r.post('/registrations/:id/resume', examStaff, (req, res) => {
    controls.resumeCandidate(idParam(req), parse(controlReasonRequest, req.body).reason, actorOf(res));
    res.json({ ok: true });
  });
  r.post('/registrations/:id/extend', examStaff, (req, res) => {
    const body = parse(extendRequest, req.body);
    controls.extend(idParam(req), body.minutes, body.reason, actorOf(res));
    res.json({ ok: true });
  });
  r.post('/registrations/:id/seat-move', examStaff, (req, res) => {
    const body = parse(seatMoveRequest, req.body);
    controls.seatMove(idParam(req), body.toSeat, body.reason, actorOf(res));
    res.json({ ok: true });
  });
  r.post('/registrations/:id/collect', examStaff, (req, res) => {
    controls.collect(idParam(req), parse(controlReasonRequest, req.body).reason, actorOf(res));
    res.json({ ok: true });
  });
  r.post('/rooms/:id/workstations', examStaff, (req, res) => {
    const body = parse(enrolWorkstationRequest, req.body);
    const roomId = idParam(req);
    const enrolled = workstations.enrol(roomId, body.seatNo, body.label ?? null, actorOf(res));
    res.json({ ...enrolled, roomId, seatNo: body.seatNo });
  });
  return r;
}
