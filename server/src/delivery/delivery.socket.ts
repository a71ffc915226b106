import type { Socket } from 'socket.io';
import { z } from 'zod';
import { handle } from '../http/socket-handler';
import { answerSaveRequest, examSubmitRequest, type CandidateClientToServer, type CandidateServerToClient } from '../protocol';
import type { Logger } from '../shared/logger';
import type { DeliveryService } from './delivery.service';

const empty = z.union([z.undefined(), z.null(), z.object({}).strict()]);

export const registrationRoom = (registrationId: number) => `reg:${registrationId}`;

/** Candidate socket events; the registration comes from the verified token, never from the payload. */
export function registerCandidateSocket(
  socket: Socket<CandidateClientToServer, CandidateServerToClient>,
  registrationId: number,
  delivery: DeliveryService,
  logger: Logger,
): void {
  void socket.join(registrationRoom(registrationId));
  socket.on('exam:join', handle(logger, empty, () => delivery.snapshot(registrationId)));
  socket.on('exam:start', handle(logger, empty, () => delivery.start(registrationId)));
  socket.on('answer:save', handle(logger, answerSaveRequest, (req) => delivery.saveAnswer(registrationId, req)));
  socket.on(
    'exam:submit',
    handle(logger, examSubmitRequest, () => delivery.submit(registrationId, 'candidate', `candidate:${registrationId}`)),
  );
  socket.on('exam:time', handle(logger, empty, () => delivery.timeSync(registrationId)));
}
