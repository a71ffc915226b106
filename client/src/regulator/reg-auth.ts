import type { RegulatorLoginResponse } from '../../../server/src/protocol/regulator-admin';

// The login lives for the browser tab only, like the centre consoles: an office PC must not keep it.
const KEY = 'exam-center.regulator';

export function loadAuth(): RegulatorLoginResponse | null {
  const raw = sessionStorage.getItem(KEY);
  if (!raw) return null;
  const s = JSON.parse(raw) as RegulatorLoginResponse;
  return s.expiresAt > Date.now() ? s : null;
}
export const saveAuth = (s: RegulatorLoginResponse) => sessionStorage.setItem(KEY, JSON.stringify(s));
export const clearAuth = () => sessionStorage.removeItem(KEY);

/** What every page is given: the token, whether this login may manage, and what to do when it expired. */
export type RegCtx = { token: string; admin: boolean; onExpired: () => void };
