import { useEffect, useRef } from 'react';
import { io, type Socket } from 'socket.io-client';
import type { StaffClientToServer, StaffServerToClient } from '../../../server/src/protocol';

/**
 * Calls onChange when anything in the session changes (live over socket.io), at most every `throttleMs`:
 * many candidates saving at once must not make a console refetch hundreds of times a second.
 */
export function useSessionWatch(token: string, sessionId: number, onChange: () => void, throttleMs = 500): void {
  const latest = useRef(onChange);
  latest.current = onChange;
  useEffect(() => {
    const socket: Socket<StaffServerToClient, StaffClientToServer> = io({ auth: { token } });
    let timer: ReturnType<typeof setTimeout> | undefined;
    socket.on('connect', () => socket.emit('session:watch', { sessionId }, () => latest.current()));
    socket.on('session:changed', () => {
      timer ??= setTimeout(() => {
        timer = undefined;
        latest.current();
      }, throttleMs);
    });
    return () => {
      clearTimeout(timer);
      socket.close();
    };
  }, [token, sessionId, throttleMs]);
}
