import jwt from 'jsonwebtoken';
import { candidateTokenClaims, staffTokenClaims, type CandidateTokenClaims, type StaffTokenClaims } from '../protocol';
import { unauthorized } from '../shared/errors';

const ISSUER = 'exam-center';

export type Principal =
  | ({ kind: 'staff'; staffId: number } & Omit<StaffTokenClaims, 'kind' | 'sub'>)
  | ({ kind: 'candidate'; registrationId: number } & Omit<CandidateTokenClaims, 'kind' | 'sub'>);

export class TokenService {
  constructor(private readonly secret: Buffer) {}

  signStaff(claims: Omit<StaffTokenClaims, 'kind'>, ttlSeconds: number): { token: string; expiresAt: number } {
    return this.sign({ ...claims, kind: 'staff' }, ttlSeconds);
  }

  signCandidate(claims: Omit<CandidateTokenClaims, 'kind'>, ttlSeconds: number): { token: string; expiresAt: number } {
    return this.sign({ ...claims, kind: 'candidate' }, ttlSeconds);
  }

  private sign(claims: object, ttlSeconds: number) {
    const token = jwt.sign(claims, this.secret, { algorithm: 'HS256', expiresIn: ttlSeconds, issuer: ISSUER });
    const decoded = jwt.decode(token) as { exp: number };
    return { token, expiresAt: decoded.exp * 1000 };
  }

  /** Verifies signature (HS256 only: 'none' and other algorithms are refused), expiry and claim shape. */
  verify(token: string): Principal {
    let payload: unknown;
    try {
      payload = jwt.verify(token, this.secret, { algorithms: ['HS256'], issuer: ISSUER });
    } catch (err) {
      const expired = err instanceof jwt.TokenExpiredError;
      throw unauthorized(expired ? 'token expired: log in again' : 'invalid token');
    }
    const kind = (payload as { kind?: unknown }).kind;
    if (kind === 'staff') {
      const c = staffTokenClaims.safeParse(payload);
      if (c.success)
        return {
          kind: 'staff',
          staffId: Number(c.data.sub),
          roles: c.data.roles,
          name: c.data.name,
          mcp: c.data.mcp ?? false,
          tv: c.data.tv ?? 0,
        };
    } else if (kind === 'candidate') {
      const c = candidateTokenClaims.safeParse(payload);
      if (c.success)
        return {
          kind: 'candidate',
          registrationId: Number(c.data.sub),
          sessionId: c.data.sessionId,
          seatNo: c.data.seatNo,
          ...(c.data.ws !== undefined ? { ws: c.data.ws } : {}),
        };
    }
    throw unauthorized('invalid token');
  }
}
