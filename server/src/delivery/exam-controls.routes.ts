import { Router } from 'express';
import { actorOf, idParam, parse, requireStaff } from '../http/middleware';
import { controlReasonRequest, enrolWorkstationRequest, extendRequest, seatMoveRequest } from '../protocol';
import type { SessionDuty } from '../sessions/session-duty';
import { AppError } from '../shared/errors';
import type { ExamControls } from './exam-controls.service';
import type { Workstations } from './workstations';

/** Live exam controls: only staff on duty in the session (SessionDuty, issue 13), never by role alone. */
export function examControlRoutes(controls: ExamControls, workstations: Workstations, duty: SessionDuty): Router {
  const r = Router();
  const examStaff = requireStaff('proctor', 'chief_examiner', 'admin');
  const chief = requireStaff('chief_examiner', 'admin');
  const onSession = duty.onSession('any');
  const onCandidate = duty.onRegistration('any');

  r.post('/sessions/:id/pause', examStaff, onSession, (req, res) => {
    controls.pauseSession(idParam(req), parse(controlReasonRequest, req.body).reason, actorOf(res));
    res.json({ ok: true });
  });
  r.post('/sessions/:id/resume', examStaff, onSession, (req, res) => {
    controls.resumeSession(idParam(req), parse(controlReasonRequest, req.body).reason, actorOf(res));
    res.json({ ok: true });
  });
  r.post('/sessions/:id/close', chief, duty.onSession('chief'), (req, res) => {
    controls.closeSession(idParam(req), parse(controlReasonRequest, req.body).reason, actorOf(res));
    res.json({ ok: true });
  });
  r.post('/registrations/:id/pause', examStaff, onCandidate, (req, res) => {
    controls.pauseCandidate(idParam(req), parse(controlReasonRequest, req.body).reason, actorOf(res));
    res.json({ ok: true });
  });
  r.post('/registrations/:id/resume', examStaff, onCandidate, (req, res) => {
    controls.resumeCandidate(idParam(req), parse(controlReasonRequest, req.body).reason, actorOf(res));
    res.json({ ok: true });
  });
  r.post('/registrations/:id/extend', examStaff, onCandidate, (req, res) => {
    const body = parse(extendRequest, req.body);
    const result = controls.extend(idParam(req), body.minutes, body.reason, actorOf(res));
    res.status(result.applied ? 200 : 202).json(result);
  });
  r.get('/sessions/:id/extensions', examStaff, onSession, (req, res) => {
    res.json({ extensions: controls.pendingExtensions(idParam(req)) });
  });
  r.post('/extensions/:id/confirm', examStaff, (req, res) => {
    const request = controls.pendingExtension(idParam(req));
    duty.check(res, request.sessionId, 'any', request.registrationId);
    res.json(controls.confirmExtension(request.id, actorOf(res)));
  });
  r.post('/registrations/:id/seat-move', examStaff, onCandidate, (req, res) => {
    const body = parse(seatMoveRequest, req.body);
    controls.seatMove(idParam(req), body.toSeat, body.reason, actorOf(res));
    res.json({ ok: true });
  });
  r.post('/registrations/:id/collect', examStaff, onCandidate, (req, res) => {
    controls.collect(idParam(req), parse(controlReasonRequest, req.body).reason, actorOf(res));
    res.json({ ok: true });
  });
  r.post('/rooms/:id/workstations', examStaff, duty.onRoom(), (req, res) => {
    const body = parse(enrolWorkstationRequest, req.body);
    const roomId = idParam(req);
    // Issue 13: a proctor must not enrol their own laptop at an absent candidate's seat during the exam and log
    // in as them — nor at a spare seat, then move the candidate there. While the exam is on in the room, a seat
    // is enrolled only by the session's chief examiner (checked against the candidate seated there); PCs,
    // spare seats included, are otherwise set up before the exam.
    const live = workstations.liveSeat(roomId, body.seatNo);
    if (live) {
      try {
        duty.check(res, live.sessionId, 'chief', live.registrationId);
      } catch {
        throw new AppError(
          'room-in-exam',
          `本考场正在考试：考试期间只有本场主考可以登记考位电脑 / while the exam is on, only the session's chief examiner may enrol a workstation here`,
          409,
          { seatNo: body.seatNo, sessionId: live.sessionId },
        );
      }
    }
    const enrolled = workstations.enrol(roomId, body.seatNo, body.label ?? null, actorOf(res));
    res.json({ ...enrolled, roomId, seatNo: body.seatNo });
  });
  return r;
}
