import type { ReactElement } from 'react';
import { AnomaliesPage } from './AnomaliesPage';
import { EventLogPage } from './EventLogPage';
import { OfficialHome } from './OfficialHome';

type Ctx = { token: string; roles: string[]; onExpired: () => void };

/** Officials' console pages (also open to admin and chief examiner under /staff/audit…). */
export function auditPageFor(path: string, ctx: Ctx): ReactElement | null {
  if (!ctx.roles.some((r) => r === 'official' || r === 'admin' || r === 'chief_examiner')) return null;
  if (/^\/(?:official|staff)\/audit\/?$/.test(path))
    return <OfficialHome token={ctx.token} onExpired={ctx.onExpired} />;
  const log = /^\/(?:official|staff)\/audit\/log\/(institution|session:\d+)$/.exec(decodeURIComponent(path));
  if (log) return <EventLogPage key={log[1]} token={ctx.token} chain={log[1] as string} onExpired={ctx.onExpired} />;
  const anomalies = /^\/(?:official|staff)\/sessions\/(\d+)\/anomalies$/.exec(path);
  if (anomalies) return <AnomaliesPage token={ctx.token} sessionId={Number(anomalies[1])} onExpired={ctx.onExpired} />;
  return null;
}
