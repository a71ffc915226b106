import type { Socket } from 'socket.io';
import { z } from 'zod';
import { handle } from '../http/socket-handler';
import type { StaffClientToServer, StaffServerToClient } from '../protocol';
import type { Logger } from '../shared/logger';
import type { SessionsService } from './sessions.service';

export const sessionWatchRoom = (sessionId: number) => `watch:${sessionId}`;

/**
 * Staff and officials watch a session: they are told when a candidate's status changes. `mayWatch` throws
 * unless the socket's owner may read that session live (SessionDuty.requireReader: on duty in it, admin or
 * official) — a proctor of another room must not follow this one's seats (issue 13).
 */
export function registerStaffSocket(
  socket: Socket<StaffClientToServer, StaffServerToClient>,
  sessions: SessionsService,
  logger: Logger,
  mayWatch: (sessionId: number) => void,
): void {
  socket.on(
    'session:watch',
    handle(logger, z.object({ sessionId: z.number().int().positive() }).strict(), ({ sessionId }) => {
      sessions.get(sessionId);
      mayWatch(sessionId);
      void socket.join(sessionWatchRoom(sessionId));
      return { sessionId };
    }),
  );
}
