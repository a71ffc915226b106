import type { Socket } from 'socket.io';
import { z } from 'zod';
import { handle } from '../http/socket-handler';
import type { StaffClientToServer, StaffServerToClient } from '../protocol';
import type { Logger } from '../shared/logger';
import type { SessionsService } from './sessions.service';

export const sessionWatchRoom = (sessionId: number) => `watch:${sessionId}`;

/** Staff and officials watch a session: they are told when a candidate's status changes. */
export function registerStaffSocket(
  socket: Socket<StaffClientToServer, StaffServerToClient>,
  sessions: SessionsService,
  logger: Logger,
): void {
  socket.on(
    'session:watch',
    handle(logger, z.object({ sessionId: z.number().int().positive() }).strict(), ({ sessionId }) => {
      sessions.get(sessionId);
      void socket.join(sessionWatchRoom(sessionId));
      return { sessionId };
    }),
  );
}
