import type { Role } from '../../../../server/src/protocol';
import { PlanSessionPage } from './PlanSessionPage';
import { TicketsPage } from './TicketsPage';

type Ctx = { token: string; roles: Role[]; onExpired: () => void };
const PLANNERS: Role[] = ['chief_examiner', 'admin'];

/** /staff/plan (new session), /staff/sessions/:id/tickets (准考证), /staff/sessions/:id/seat-plan (座位表). */
export function planningPageFor(path: string, ctx: Ctx) {
  if (path === '/staff/plan' && ctx.roles.some((r) => PLANNERS.includes(r)))
    return <PlanSessionPage token={ctx.token} onExpired={ctx.onExpired} />;
  const m = /^\/staff\/sessions\/(\d+)\/(tickets|seat-plan)$/.exec(path);
  if (m)
    return (
      <TicketsPage
        token={ctx.token}
        sessionId={Number(m[1])}
        kind={m[2] as 'tickets' | 'seat-plan'}
        onExpired={ctx.onExpired}
      />
    );
  return null;
}
