import type { StaffLoginResponse } from '../../../server/src/protocol';

// Staff tokens live for the browser tab only: a shared exam-room PC must not keep a staff login.
const KEY = 'exam-center.staff';

export function loadStaff(): StaffLoginResponse | null {
  const raw = sessionStorage.getItem(KEY);
  if (!raw) return null;
  const s = JSON.parse(raw) as StaffLoginResponse;
  return s.expiresAt > Date.now() ? s : null;
}
export const saveStaff = (s: StaffLoginResponse) => sessionStorage.setItem(KEY, JSON.stringify(s));
export const clearStaff = () => sessionStorage.removeItem(KEY);
