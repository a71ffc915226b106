import { Router, type RequestHandler, type Response } from 'express';
import type { Principal } from '../auth/tokens';
import { actorOf, idParam, parse, requireStaff, staffOf } from '../http/middleware';
import { eventQuery } from '../protocol';
import type { SessionDuty } from '../sessions/session-duty';
import { AppError, forbidden } from '../shared/errors';
import type { AnomalyService } from './anomaly.service';
import type { ArchiveService } from './archive.service';
import type { AuditService } from './audit.service';
import { eventPage } from './event-page';

const CHAIN = /^(institution|session:\d+)$/;

// An official login is a regulator's, whatever other role it might also carry: it never writes.
const isOfficial = (p: Principal | undefined): p is Extract<Principal, { kind: 'staff' }> =>
  !!p && p.kind === 'staff' && p.roles.includes('official');

/**
 * Officials are read-only everywhere (issue 7): any request other than GET/HEAD from an official login
 * (any role combination containing 'official')
 * is refused before it reaches a route, whatever that route's own role list says. Their GETs are logged
 * ('every page an official opens is logged'); other logins pass through untouched (hot path).
 */
export function officialGuard(audit: AuditService): RequestHandler {
  return (req, res, next) => {
    const p = res.locals.principal as Principal | undefined;
    if (!isOfficial(p)) return next();
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      // Logging in again and changing one's own password are the only writes an official makes.
      if (req.path === '/auth/password' || req.path === '/auth/login') return next();
      throw forbidden('监管人员只读 / officials are read-only');
    }
    audit.recordOfficialView(p.staffId, req.path, req.query as Record<string, unknown>);
    next();
  };
}

export function auditRoutes(
  audit: AuditService,
  archives: ArchiveService,
  anomalies: AnomalyService,
  duty: SessionDuty,
): Router {
  const r = Router();
  const auditors = requireStaff('admin', 'chief_examiner', 'official');
  const chainParam = (raw: unknown): string => {
    const chain = String(raw);
    if (!CHAIN.test(chain)) throw new AppError('invalid-input', 'chain: "institution" or "session:<id>"');
    return chain;
  };

  r.get('/audit/chains', auditors, (_req, res) => {
    res.json({ chains: audit.query.chains(), keyFingerprint: audit.keyFingerprint });
  });
  // A session's chain is that session's record: read like its seats (SessionDuty.requireReader, issue 13).
  const readsChain = (res: Response, chain: string) => {
    const m = /^session:(\d+)$/.exec(chain);
    if (m) duty.checkReader(res, Number(m[1]));
  };
  r.get('/audit/chains/:chain', auditors, (req, res) => {
    const chain = chainParam(req.params.chain);
    readsChain(res, chain);
    res.json(eventPage(audit.query, { chain, ...parse(eventQuery, req.query) }));
  });
  r.get('/audit/verify/:chain', auditors, (req, res) => {
    const chain = chainParam(req.params.chain);
    readsChain(res, chain);
    const { signedHeads, ...rest } = audit.verify(chain);
    res.json({ ...rest, signedHeads: signedHeads.slice(-50) });
  });
  r.get('/audit/sessions/:id/anomalies', auditors, duty.readsSession(), (req, res) => {
    res.json(anomalies.report(idParam(req)));
  });

  r.get('/archives', auditors, (req, res) => {
    const sessionId = req.query.sessionId === undefined ? undefined : Number(req.query.sessionId);
    res.json({ archives: archives.repo.archives(Number.isSafeInteger(sessionId) ? sessionId : undefined) });
  });
  r.get('/archives/:id/download', auditors, (req, res) => {
    const { info, bytes } = archives.download(idParam(req), actorOf(res));
    res.setHeader('content-disposition', `attachment; filename="${info.file.split('/').pop() ?? 'archive.zip'}"`);
    res.type('application/zip').send(Buffer.from(bytes));
  });
  r.get('/archives/:id/verify', auditors, (req, res) => {
    res.json(archives.verifyStored(idParam(req)));
  });
  r.delete('/archives/:id', requireStaff('admin'), (req, res) => {
    archives.delete(idParam(req), actorOf(res));
    res.status(204).end();
  });
  // Archiving fixes what officials verify and closes the session (graded → archived): the admin's step, or the
  // session's own chief examiner's — not any chief examiner's (issue 13).
  r.post('/sessions/:id/archive', requireStaff('admin', 'chief_examiner'), (req, res) => {
    if (!staffOf(res).roles.includes('admin')) duty.check(res, idParam(req), 'chief');
    res.status(201).json(archives.archive(idParam(req), actorOf(res)));
  });
  return r;
}
