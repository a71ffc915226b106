import { Router } from 'express';
import { actorOf, candidateOf, idParam, parse, requireCandidate, requireStaff } from '../http/middleware';
import {
  attachVideoRequest,
  candidateSnapshotRequest,
  identityCheckRequest,
  incidentRequest,
  proctorMessageRequest,
} from '../protocol';
import type { SessionDuty } from '../sessions/session-duty';
import { AppError } from '../shared/errors';
import type { ProctoringService } from './proctoring.service';

/**
 * Proctor console and candidate snapshot routes; officials may read, never write (issue 7). Every write is
 * made by staff on duty in that session (SessionDuty, issue 13), against the candidate it concerns; every
 * read needs that duty too, or the admin or official role (SessionDuty.requireReader).
 */
export function proctoringRoutes(proctoring: ProctoringService, duty: SessionDuty): Router {
  const r = Router();
  const viewers = requireStaff('admin', 'chief_examiner', 'proctor', 'official');
  const proctors = requireStaff('admin', 'chief_examiner', 'proctor');

  r.post('/candidate/snapshot', requireCandidate(), (req, res) => {
    res.json(proctoring.recordSnapshot(candidateOf(res).registrationId, parse(candidateSnapshotRequest, req.body)));
  });

  r.get('/proctoring/sessions/:id/seats', viewers, duty.readsSession(), (req, res) => {
    res.json(proctoring.grid(idParam(req)));
  });
  r.get('/proctoring/registrations/:rid/identity', viewers, duty.readsRegistration('rid'), (req, res) => {
    res.json(proctoring.identityView(idParam(req, 'rid')));
  });
  r.post('/proctoring/registrations/:rid/identity', proctors, duty.onRegistration('any', 'rid'), (req, res) => {
    const body = parse(identityCheckRequest, req.body);
    // A locked seat (3 failed checks) is unlocked by the chief examiner, not by the proctor who checks: one
    // person alone must not both fail and wave through the same candidate (domain.md, exam-room practice).
    if (body.outcome === 'override')
      duty.check(res, duty.sessionOfRegistration(idParam(req, 'rid')), 'chief', idParam(req, 'rid'));
    res.json(proctoring.checkIdentity(idParam(req, 'rid'), body.outcome, body.note, actorOf(res), body.idCard));
  });
  r.get('/evidence/:id', viewers, (req, res) => {
    const { record, path } = proctoring.evidenceFile(idParam(req));
    duty.checkReader(res, record.sessionId);
    if (!path)
      throw new AppError(
        'no-image',
        record.camera === 'none' ? '考生端无摄像头 / no camera was available' : 'image file not stored',
        404,
      );
    res.type(record.mime ?? 'application/octet-stream').sendFile(path);
  });

  r.get('/proctoring/sessions/:id/incidents', viewers, duty.readsSession(), (req, res) => {
    res.json({ incidents: proctoring.repo.incidents(idParam(req)) });
  });
  r.post('/proctoring/sessions/:id/incidents', proctors, duty.onSession('any'), (req, res) => {
    const body = parse(incidentRequest, req.body);
    if (body.registrationId) duty.check(res, idParam(req), 'any', body.registrationId);
    res.status(201).json(proctoring.reportIncident(idParam(req), body, actorOf(res)));
  });

  r.post('/proctoring/sessions/:id/messages', proctors, duty.onSession('any'), (req, res) => {
    const body = parse(proctorMessageRequest, req.body);
    res.json(proctoring.sendMessage(idParam(req), null, body.kind, body.text, actorOf(res)));
  });
  r.post('/proctoring/sessions/:id/registrations/:rid/messages', proctors, duty.onSession('any'), (req, res) => {
    const body = parse(proctorMessageRequest, req.body);
    duty.check(res, idParam(req), 'any', idParam(req, 'rid'));
    res.json(proctoring.sendMessage(idParam(req), idParam(req, 'rid'), body.kind, body.text, actorOf(res)));
  });

  r.get('/sessions/:id/videos', viewers, duty.readsSession(), (req, res) => {
    res.json({ videos: proctoring.repo.videos(idParam(req)) });
  });
  r.post('/sessions/:id/videos', requireStaff('admin', 'chief_examiner'), duty.onSession('chief'), async (req, res) => {
    const body = parse(attachVideoRequest, req.body);
    res.status(201).json(await proctoring.attachVideo(idParam(req), body, actorOf(res)));
  });
  return r;
}
