import { Router } from 'express';
import { idParam, parse } from '../http/middleware';
import { centreCode } from '../protocol/regulator';
import {
  banInput,
  liftBanInput,
  officialInput,
  registerCentreInput,
  regulatorLoginRequest,
  regulatorPasswordChange,
} from '../protocol/regulator-admin';
import type { AccountsService } from './accounts.service';
import type { BansService } from './bans.service';
import type { CentresService } from './centres.service';
import { regulatorActorOf, regulatorPrincipalOf, requireAccount } from './regulator-auth';

/** Accounts, officials, centres and bans: thin, zod-parsed; the rules live in the services. */
export function regulatorAdminRoutes(s: {
  accounts: AccountsService;
  centres: CentresService;
  bans: BansService;
}): Router {
  const r = Router();
  const admin = requireAccount('regulator_admin');
  const reader = requireAccount('regulator_admin', 'official');

  r.post('/auth/login', (req, res) => {
    const body = parse(regulatorLoginRequest, req.body);
    res.json(s.accounts.login(body.username, body.password));
  });
  r.get('/auth/me', reader, (_req, res) => {
    res.json(s.accounts.me(regulatorPrincipalOf(res)));
  });

  r.post('/auth/password', reader, (req, res) => {
    const body = parse(regulatorPasswordChange, req.body);
    res.json(s.accounts.changePassword(regulatorPrincipalOf(res), body.currentPassword, body.newPassword));
  });

  r.get('/officials', admin, (_req, res) => {
    res.json(s.accounts.officials());
  });
  r.post('/officials', admin, (req, res) => {
    res.json(s.accounts.saveOfficial(parse(officialInput, req.body), regulatorActorOf(res)));
  });
  r.post('/officials/:username/disable', admin, (req, res) => {
    res.json(s.accounts.disableOfficial(String(req.params.username), regulatorActorOf(res)));
  });

  r.get('/centres', reader, (_req, res) => {
    res.json(s.centres.list());
  });
  r.post('/centres', admin, (req, res) => {
    res.status(201).json(s.centres.register(parse(registerCentreInput, req.body), regulatorActorOf(res)));
  });
  r.get('/centres/:code', reader, (req, res) => {
    res.json(s.centres.detail(parse(centreCode, req.params.code)));
  });

  r.get('/bans', reader, (_req, res) => {
    res.json(s.bans.state());
  });
  r.post('/bans', admin, (req, res) => {
    res.status(201).json(s.bans.add(parse(banInput, req.body), regulatorActorOf(res)));
  });
  r.post('/bans/:id/lift', admin, (req, res) => {
    res.json(s.bans.lift(idParam(req), parse(liftBanInput, req.body), regulatorActorOf(res)));
  });
  return r;
}
