import express, { Router } from 'express';
import { parse, requireStaff, staffOf } from '../http/middleware';
import { linkSettingsInput, staleListExceptionInput } from '../protocol';
import { AppError } from '../shared/errors';
import { parseBundleFile } from '../shared/link-signing';
import type { LinkExchanger } from './link-exchange';
import type { LinkService } from './link.service';

/**
 * A bundle from the regulator carries grants and the whole ban list: more than the API's usual 256 kB. Only an
 * admin's upload gets the larger limit: the role is checked before the body is read.
 */
export const linkBundleBody = [requireStaff('admin'), express.json({ limit: '50mb' })];

/** The centre's regulator-link routes (issue 14): status for every screen, the admin page's actions. */
export function linkRoutes(link: LinkService, exchanger: LinkExchanger): Router {
  const r = Router();
  const anyStaff = requireStaff();
  const admin = requireStaff('admin');

  // Every staff and official screen shows the stale-list warning from this.
  r.get('/link/status', anyStaff, (_req, res) => {
    res.json(link.status());
  });
  r.post('/link/sync', admin, async (_req, res, next) => {
    try {
      res.json(await exchanger.syncNow());
    } catch (err) {
      next(err);
    }
  });
  r.get('/link/bundle', admin, (_req, res) => {
    const bundle = link.exportBundle();
    const name = `${bundle.bundle.from}-to-regulator-${bundle.bundle.createdAt}.bundle.json`;
    res.setHeader('content-disposition', `attachment; filename="${name}"`);
    res.json(bundle);
  });
  r.post('/link/bundle', admin, (req, res) => {
    let signed;
    try {
      signed = parseBundleFile(JSON.stringify(req.body));
    } catch (err) {
      throw new AppError('invalid-bundle', (err as Error).message, 400);
    }
    res.json(link.importBundle(signed));
  });
  r.get('/link/log', requireStaff('admin', 'official'), (_req, res) => {
    res.json(link.log());
  });
  r.put('/link/settings', admin, (req, res) => {
    res.json(link.setMaxAgeDays(parse(linkSettingsInput, req.body).banListMaxAgeDays));
  });
  r.post('/link/stale-exception', requireStaff('admin', 'chief_examiner'), (req, res) => {
    res.status(201).json(link.recordStaleException(parse(staleListExceptionInput, req.body), staffOf(res)));
  });
  // Officials see every exception (issue 14); staff see them on the session too.
  r.get('/link/stale-exceptions', anyStaff, (req, res) => {
    const id = req.query.sessionId === undefined ? undefined : Number(req.query.sessionId);
    if (id !== undefined && !(Number.isInteger(id) && id > 0))
      throw new AppError('invalid-input', 'sessionId: a positive integer');
    res.json(link.staleExceptions(id));
  });
  return r;
}
