import express, { Router } from 'express';
import { parse } from '../http/middleware';
import { centreCode } from '../protocol/regulator';
import type { LinkLogPage } from '../protocol/regulator-admin';
import { AppError } from '../shared/errors';
import { parseBundleFile } from '../shared/link-signing';
import type { RegulatorLink } from './link.service';
import { requireAccount } from './regulator-auth';

/** Archives travel inside messages (base64): the link and bundle routes take bodies up to this size. */
export const LINK_BODY_LIMIT = '200mb';

/**
 * POST /api/link/exchange is signed (no token: the request's signature by the centre's pinned key is its
 * credential); the bundle and log routes are for the console.
 */
export function regulatorLinkRoutes(link: RegulatorLink): Router {
  const r = Router();
  const big = express.json({ limit: LINK_BODY_LIMIT });
  const admin = requireAccount('regulator_admin');

  r.post('/link/exchange', big, (req, res) => {
    res.json(link.exchange(req.body));
  });
  r.post('/link/bundle', admin, big, (req, res) => {
    let signed;
    try {
      signed = parseBundleFile(JSON.stringify(req.body));
    } catch (err) {
      throw new AppError('bad-bundle', (err as Error).message);
    }
    res.json(link.importBundle(signed));
  });
  r.get('/centres/:code/bundle', admin, (req, res) => {
    const code = parse(centreCode, req.params.code);
    const bundle = link.exportBundle(code);
    res.setHeader('Content-Disposition', `attachment; filename="${code}-${bundle.bundle.createdAt}.bundle.json"`);
    res.json(bundle);
  });
  r.get('/link/log', requireAccount('regulator_admin', 'official'), (req, res) => {
    const limit = Math.min(Math.max(Number(req.query.limit ?? 200) || 200, 1), 1000);
    const centre = typeof req.query.centre === 'string' && req.query.centre ? req.query.centre : undefined;
    const page: LinkLogPage = { rows: link.log.page(limit, centre), chainValid: link.log.chainValid() };
    res.json(page);
  });
  return r;
}
