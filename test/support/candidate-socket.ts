import { io, type Socket } from 'socket.io-client';
import type { Ack } from '../../server/src/protocol';

export type CandidateSocket = Socket & { call<T>(event: string, payload?: unknown): Promise<Ack<T>> };

/** A real socket.io client on loopback, as a candidate's browser would open it. */
export async function connectSocket(url: string, token: string, workstationToken?: string): Promise<CandidateSocket> {
  const socket = io(url, {
    // A seat's browser sends its workstation token beside the candidate's (seat binding, issue 13).
    auth: workstationToken ? { token, workstationToken } : { token },
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
  }) as CandidateSocket;
  socket.call = <T>(event: string, payload: unknown = {}) =>
    new Promise<Ack<T>>((resolve, reject) => {
      socket
        .timeout(10_000)
        .emit(event, payload, (err: Error | null, ack: Ack<T>) => (err ? reject(err) : resolve(ack)));
    });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', reject);
  });
  return socket;
}

export function expectOk<T>(ack: Ack<T>): T {
  if (!ack.ok) throw new Error(`expected ok, got ${ack.error.code}: ${ack.error.message}`);
  return ack.data;
}
