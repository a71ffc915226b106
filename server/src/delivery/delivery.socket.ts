import type { Socket } from 'socket.io';
import { z } from 'zod';
import { handle } from '../http/socket-handler';
import {
  answerSaveRequest,
  examSubmitRequest,
  proctorSignalRequest,
  type CandidateClientToServer,
  type CandidateServerToClient,
} from '../protocol';
import { AppError } from '../shared/errors';
import type { Logger } from '../shared/logger';
import type { DeliveryService } from './delivery.service';

const empty = z.union([z.undefined(), z.null(), z.object({}).strict()]);

export const registrationRoom = (registrationId: number) => `reg:${registrationId}`;
export const sessionCandidatesRoom = (sessionId: number) => `exam:${sessionId}`;

// Proctor signals are cheap to send; a misbehaving page must not flood the event log.
const SIGNAL_LIMIT = { count: 20, windowMs: 10_000 };

/** Candidate socket events; the registration comes from the verified token, never from the payload. */
export function registerCandidateSocket(
  socket: Socket<CandidateClientToServer, CandidateServerToClient>,
  registrationId: number,
  sessionId: number,
  delivery: DeliveryService,
  onJoin: () => void,
  logger: Logger,
  /** Seat binding (issue 13): throws unless this socket still comes from the candidate's workstation. */
  checkDevice: () => void = () => undefined,
): void {
  void socket.join([registrationRoom(registrationId), sessionCandidatesRoom(sessionId)]);
  let signals: number[] = [];
  socket.on(
    'exam:join',
    handle(logger, empty, () => {
      onJoin();
      return delivery.snapshot(registrationId);
    }),
  );
  socket.on(
    'exam:start',
    handle(logger, empty, () => {
      // Checked again at start: the seat's PC may have been re-enrolled (replaced) since the socket opened.
      checkDevice();
      return delivery.start(registrationId);
    }),
  );
  socket.on(
    'answer:save',
    handle(logger, answerSaveRequest, (req) => delivery.saveAnswer(registrationId, req)),
  );
  socket.on(
    'exam:submit',
    handle(logger, examSubmitRequest, () =>
      delivery.submit(registrationId, 'candidate', `candidate:${registrationId}`),
    ),
  );
  socket.on(
    'exam:time',
    handle(logger, empty, () => delivery.timeSync(registrationId)),
  );
  socket.on(
    'proctor:signal',
    handle(logger, proctorSignalRequest, ({ kind }) => {
      const now = Date.now();
      signals = signals.filter((t) => now - t < SIGNAL_LIMIT.windowMs);
      if (signals.length >= SIGNAL_LIMIT.count) throw new AppError('rate-limited', 'too many signals', 429);
      signals.push(now);
      delivery.recordSignal(registrationId, kind);
      return { logged: true };
    }),
  );
}
