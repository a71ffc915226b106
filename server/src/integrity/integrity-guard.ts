import type { TransitionGuard } from '../sessions/transition-guards';
import type { IntegrityService } from './integrity.service';

/** Opening re-checks every rule (design.md: "open (… rules re-checked)"); the check is recorded either way. */
export const integrityOpenGuard =
  (integrity: IntegrityService): TransitionGuard =>
  (session, to, actor, now) => {
    if (to === 'open') integrity.checkOpening(session.id, actor, now);
  };
