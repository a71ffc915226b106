import { label, STATE_NAMES } from '../catalogue';

/** A session's state as people say it, in the state's colour (staff.css .state-*), on every screen alike. */
export function StateBadge({ state, en }: { state: string; en: boolean }) {
  return <span className={`state state-${state}`}>{label(STATE_NAMES, state, en)}</span>;
}
