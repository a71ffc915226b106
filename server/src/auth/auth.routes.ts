import { Router } from 'express';
import { candidateLoginRequest, changePasswordRequest, staffLoginRequest } from '../protocol';
import { parse, requireStaffAllowingPasswordChange, staffOf } from '../http/middleware';
import type { AuthService } from './auth.service';
import type { DeliveryService } from '../delivery/delivery.service';

export function authRoutes(auth: AuthService, delivery: DeliveryService): Router {
  const r = Router();
  r.post('/auth/login', (req, res) => {
    res.json(auth.loginStaff(parse(staffLoginRequest, req.body), req.ip ?? 'unknown'));
  });
  r.post('/auth/candidate', (req, res) => {
    const result = auth.loginCandidate(parse(candidateLoginRequest, req.body), req.ip ?? 'unknown');
    delivery.recordLogin(result.registrationId, req.ip ?? 'unknown');
    res.json(result);
  });
  r.post('/auth/password', requireStaffAllowingPasswordChange(), (req, res) => {
    const body = parse(changePasswordRequest, req.body);
    auth.changePassword(staffOf(res).staffId, body.currentPassword, body.newPassword);
    res.json({ ok: true });
  });
  r.get('/auth/me', requireStaffAllowingPasswordChange(), (_req, res) => {
    const p = staffOf(res);
    res.json({ id: p.staffId, name: p.name, roles: p.roles });
  });
  return r;
}
