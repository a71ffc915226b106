import type { ErrorRequestHandler, NextFunction, Request, RequestHandler, Response } from 'express';
import type { z } from 'zod';
import type { TokenService, Principal } from '../auth/tokens';
import type { Role } from '../protocol';
import { AppError, forbidden, unauthorized } from '../shared/errors';
import type { Logger } from '../shared/logger';

type StaffPrincipal = Extract<Principal, { kind: 'staff' }>;
type CandidatePrincipal = Extract<Principal, { kind: 'candidate' }>;

export function bearerToken(header: string | undefined): string | null {
  if (!header) return null;
  const m = /^Bearer\s+(\S+)$/i.exec(header);
  return m ? (m[1] as string) : null;
}

/**
 * Reads the bearer token when present; routes decide with requireStaff / requireCandidate. A staff token is
 * also checked against the account on every request (`standing`, auth/staff-standing.ts): disabled, barred, a
 * role or password change since it was issued → `token-revoked` (issue 13, hole 12).
 */
export function authenticate(tokens: TokenService, standing?: { check(p: StaffPrincipal): void }): RequestHandler {
  return (req, res, next) => {
    const token = bearerToken(req.headers.authorization);
    if (token) {
      const principal = tokens.verify(token);
      if (principal.kind === 'staff') standing?.check(principal);
      res.locals.principal = principal;
    }
    next();
  };
}

export function requireStaff(...roles: Role[]): RequestHandler {
  return staffGate(roles, false);
}

/** For the password change itself: allowed while a one-time password is still in use. */
export const requireStaffAllowingPasswordChange = (): RequestHandler => staffGate([], true);

function staffGate(roles: Role[], allowPendingPasswordChange: boolean): RequestHandler {
  return (_req, res, next) => {
    const p = res.locals.principal as Principal | undefined;
    if (!p) throw unauthorized();
    if (p.kind !== 'staff') throw forbidden('staff only');
    if (p.mcp && !allowPendingPasswordChange) throw new AppError('password-change-required', '请先修改一次性密码', 403);
    if (roles.length && !p.roles.some((r) => roles.includes(r))) throw forbidden(`requires role: ${roles.join(' | ')}`);
    next();
  };
}

export function requireCandidate(): RequestHandler {
  return (_req, res, next) => {
    const p = res.locals.principal as Principal | undefined;
    if (!p) throw unauthorized();
    if (p.kind !== 'candidate') throw forbidden('candidates only');
    next();
  };
}

export const staffOf = (res: Response) => res.locals.principal as StaffPrincipal;
export const candidateOf = (res: Response) => res.locals.principal as CandidatePrincipal;
export const actorOf = (res: Response): string => {
  const p = res.locals.principal as Principal | undefined;
  if (!p) return 'anonymous';
  return p.kind === 'staff' ? `staff:${p.staffId}` : `candidate:${p.registrationId}`;
};

/** Parses input with a zod schema; failures name each field and problem. */
export function parse<S extends z.ZodType>(schema: S, input: unknown): z.infer<S> {
  const result = schema.safeParse(input);
  if (!result.success) {
    const problems = result.error.issues.map((i) => ({ field: i.path.join('.') || '(body)', message: i.message }));
    throw new AppError('invalid-input', problems.map((p) => `${p.field}: ${p.message}`).join('; '), 400, { problems });
  }
  return result.data;
}

export const idParam = (req: Request, name = 'id'): number => {
  const n = Number(req.params[name]);
  if (!Number.isSafeInteger(n) || n <= 0) throw new AppError('invalid-input', `${name}: must be a positive integer`);
  return n;
};

/** Maps errors to `{ error: { code, message } }`; raw exception text never reaches a client. */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (err: unknown, req: Request, res: Response, _next: NextFunction) => {
    if (err instanceof AppError) {
      res.status(err.status).json({ error: { code: err.code, message: err.message, details: err.details } });
      return;
    }
    const e = err as { type?: string; status?: number };
    if (e.type === 'entity.too.large') {
      res.status(413).json({ error: { code: 'payload-too-large', message: 'request body too large' } });
      return;
    }
    if (e.type === 'entity.parse.failed') {
      res.status(400).json({ error: { code: 'invalid-json', message: 'request body is not valid JSON' } });
      return;
    }
    logger.error({ err, path: req.path }, 'unhandled error');
    res.status(500).json({ error: { code: 'internal', message: 'internal error' } });
  };
}
