import type { RequestHandler, Response } from 'express';
import jwt from 'jsonwebtoken';
import { z } from 'zod';
import { bearerToken } from '../http/middleware';
import { regulatorRole, type RegulatorRole } from '../protocol/regulator-admin';
import { AppError, forbidden, unauthorized } from '../shared/errors';

// Regulator console tokens. Their own issuer and secret (<regdata>/keys/jwt-secret): a centre's token means
// nothing here, and the regulator's nothing at a centre.
const ISSUER = 'exam-center-regulator';
const claims = z.object({
  sub: z.string().regex(/^\d+$/),
  role: regulatorRole,
  username: z.string(),
  name: z.string(),
  tv: z.number().int(),
});

export type RegulatorPrincipal = { accountId: number; role: RegulatorRole; username: string; name: string; tv: number };

export class RegulatorTokens {
  constructor(private readonly secret: Buffer) {}

  sign(p: RegulatorPrincipal, ttlSeconds: number): { token: string; expiresAt: number } {
    const token = jwt.sign(
      { sub: String(p.accountId), role: p.role, username: p.username, name: p.name, tv: p.tv },
      this.secret,
      {
        algorithm: 'HS256',
        expiresIn: ttlSeconds,
        issuer: ISSUER,
      },
    );
    return { token, expiresAt: (jwt.decode(token) as { exp: number }).exp * 1000 };
  }

  verify(token: string): RegulatorPrincipal {
    let payload: unknown;
    try {
      payload = jwt.verify(token, this.secret, { algorithms: ['HS256'], issuer: ISSUER });
    } catch (err) {
      throw unauthorized(err instanceof jwt.TokenExpiredError ? 'token expired: log in again' : 'invalid token');
    }
    const c = claims.safeParse(payload);
    if (!c.success) throw unauthorized('invalid token');
    return {
      accountId: Number(c.data.sub),
      role: c.data.role,
      username: c.data.username,
      name: c.data.name,
      tv: c.data.tv,
    };
  }
}

/**
 * Reads the bearer token when present and checks it against the account on every request: a disabled
 * account, a changed role or password (token_version) ends older tokens at once.
 */
export function regulatorAuthenticate(
  tokens: RegulatorTokens,
  standing: (p: RegulatorPrincipal) => boolean,
): RequestHandler {
  return (req, res, next) => {
    const token = bearerToken(req.headers.authorization);
    if (token) {
      const p = tokens.verify(token);
      if (!standing(p)) throw new AppError('token-revoked', 'this login is no longer valid: log in again', 401);
      res.locals.regulatorPrincipal = p;
    }
    next();
  };
}

/** Gate for console routes; no roles given: any logged-in account (admin or official). */
export function requireAccount(...roles: RegulatorRole[]): RequestHandler {
  return (_req, res, next) => {
    const p = res.locals.regulatorPrincipal as RegulatorPrincipal | undefined;
    if (!p) throw unauthorized();
    if (roles.length && !roles.includes(p.role)) throw forbidden(`requires role: ${roles.join(' | ')}`);
    next();
  };
}

export const regulatorPrincipalOf = (res: Response) => res.locals.regulatorPrincipal as RegulatorPrincipal;
export const regulatorActorOf = (res: Response): string => {
  const p = res.locals.regulatorPrincipal as RegulatorPrincipal | undefined;
  return p ? p.username : 'anonymous';
};
