import type { IncomingMessage } from 'node:http';
import type { Socket } from 'socket.io';
import type { Principal, TokenService } from '../auth/tokens';
import { AppError } from '../shared/errors';

type StaffPrincipal = Extract<Principal, { kind: 'staff' }>;
type CandidatePrincipal = Extract<Principal, { kind: 'candidate' }>;

/** CORS stays closed: only pages served by this server may open a socket (WebSocket ignores CORS). */
export function sameOriginOnly(req: IncomingMessage, callback: (err: string | null, success: boolean) => void): void {
  const origin = req.headers.origin;
  callback(null, !origin || sameHost(origin, req.headers.host));
}

/**
 * The socket handshake: a valid token; a staff account still standing (issue 13, hole 12); a candidate's token
 * still for their seat (after a seat move the old seat's token no longer opens the exam) and from the
 * workstation it was issued at (hole 13). The refusal's code is the connect error's message.
 */
export function socketHandshake(deps: {
  tokens: TokenService;
  checkStaff: (p: StaffPrincipal) => void;
  seatOf: (registrationId: number) => number | undefined;
  checkCandidateDevice: (p: CandidatePrincipal, workstationToken: unknown) => void;
}): (socket: Socket, next: (err?: Error) => void) => void {
  return (socket, next) => {
    const auth = socket.handshake.auth as { token?: unknown; workstationToken?: unknown };
    if (typeof auth.token !== 'string') return next(new Error('unauthorized'));
    try {
      const principal = deps.tokens.verify(auth.token);
      if (principal.kind === 'staff') deps.checkStaff(principal);
      else {
        if (deps.seatOf(principal.registrationId) !== principal.seatNo) return next(new Error('seat-moved'));
        const refused = refusalCode(() => deps.checkCandidateDevice(principal, auth.workstationToken));
        if (refused) return next(new Error(refused));
      }
      socket.data.principal = principal;
      next();
    } catch (err) {
      next(new Error(err instanceof AppError && err.code === 'token-revoked' ? err.code : 'unauthorized'));
    }
  };
}

function refusalCode(check: () => void): string | null {
  try {
    check();
    return null;
  } catch (err) {
    if (err instanceof AppError) return err.code;
    throw err;
  }
}

function sameHost(origin: string, host: string | undefined): boolean {
  try {
    return new URL(origin).host === host;
  } catch {
    return false;
  }
}
