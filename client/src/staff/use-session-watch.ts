import { useEffect, useRef, useState } from 'react';
import { io, type Socket } from 'socket.io-client';
import type { StaffClientToServer, StaffServerToClient } from '../../../server/src/protocol';

/**
 * The truth about a live screen's link to the server (issue 16): a console that says "live" while the
 * server is down makes proctors trust seat states nobody can see.
 * - connecting: not yet connected once;
 * - connected: live;
 * - lost: the socket dropped at `lostAt` and is reconnecting;
 * - back: connected again at `backAt` after `lostMs` without the server (shown for BACK_SHOWN_MS).
 */
export type LiveLink =
  | { phase: 'connecting' }
  | { phase: 'connected' }
  | { phase: 'lost'; lostAt: number }
  | { phase: 'back'; lostAt: number; backAt: number; lostMs: number };

// Long enough for a proctor who looked away to read that there was an outage; the event list keeps it after.
const BACK_SHOWN_MS = 120_000;

/**
 * Calls onChange when anything in the session changes (live over socket.io), at most every `throttleMs`:
 * many candidates saving at once must not make a console refetch hundreds of times a second. Returns the
 * link's state, for the screen to show and to stop trusting presence while it is not connected.
 */
export function useSessionWatch(
  token: string,
  sessionId: number,
  onChange: () => void,
  throttleMs = 500,
): { link: LiveLink; dismiss: () => void } {
  const latest = useRef(onChange);
  latest.current = onChange;
  const [link, setLink] = useState<LiveLink>({ phase: 'connecting' });
  useEffect(() => {
    const socket: Socket<StaffServerToClient, StaffClientToServer> = io({ auth: { token } });
    let timer: ReturnType<typeof setTimeout> | undefined;
    let backTimer: ReturnType<typeof setTimeout> | undefined;
    let lostAt: number | null = null;
    socket.on('connect', () => {
      socket.emit('session:watch', { sessionId }, () => latest.current());
      if (lostAt === null) return setLink({ phase: 'connected' });
      const backAt = Date.now();
      setLink({ phase: 'back', lostAt, backAt, lostMs: backAt - lostAt });
      lostAt = null;
      clearTimeout(backTimer);
      backTimer = setTimeout(() => setLink((l) => (l.phase === 'back' ? { phase: 'connected' } : l)), BACK_SHOWN_MS);
    });
    socket.on('disconnect', () => {
      lostAt ??= Date.now();
      clearTimeout(backTimer);
      setLink({ phase: 'lost', lostAt });
    });
    socket.on('session:changed', () => {
      timer ??= setTimeout(() => {
        timer = undefined;
        latest.current();
      }, throttleMs);
    });
    return () => {
      clearTimeout(timer);
      clearTimeout(backTimer);
      socket.close();
    };
  }, [token, sessionId, throttleMs]);
  const dismiss = () => setLink((l) => (l.phase === 'back' ? { phase: 'connected' } : l));
  return { link, dismiss };
}
