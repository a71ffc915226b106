import type { ReactElement } from 'react';
import { useT } from '../../i18n';
import { go } from './papers-nav';
import { OpenPage } from './OpenPage';
import { papersText } from './papers-text';
import { SealPage } from './SealPage';

type Ctx = { token: string; roles: string[]; onExpired: () => void };

/** The sealing and opening pages for a path, or null when the path is not one of them. */
export function papersPageFor(path: string, ctx: Ctx): ReactElement | null {
  const m = /^\/(staff|official)\/sessions\/(\d+)\/(seal|open)$/.exec(path);
  if (!m) return null;
  const sessionId = Number(m[2]);
  // Officials are read-only: they may see the seal, never operate it (the server refuses them too).
  const canOperate =
    m[1] === 'staff' &&
    ctx.roles.some((r) => r === 'admin' || r === 'chief_examiner') &&
    !ctx.roles.includes('official');
  // Every custodian, the supervising official included, enters their own code on this page (issue 13, hole 4).
  if (m[3] === 'open')
    return <OpenPage token={ctx.token} sessionId={sessionId} canOperate={canOperate} onExpired={ctx.onExpired} />;
  return <SealPage token={ctx.token} sessionId={sessionId} canOperate={canOperate} onExpired={ctx.onExpired} />;
}

/** Links from a session's page to its sealing and opening pages. */
export function PapersLinks({ sessionId, state }: { sessionId: number; state: string }) {
  const { lang } = useT();
  const t = papersText(lang);
  const base = location.pathname.startsWith('/official') ? '/official' : '/staff';
  const seal = `${base}/sessions/${sessionId}/seal`;
  const open = `${base}/sessions/${sessionId}/open`;
  return (
    <span className="papers-links no-print">
      <a href={seal} onClick={go(seal)} data-testid="papers-seal-link">
        {t.toSeal}
      </a>
      {(state === 'sealed' || state === 'open') && (
        <a href={open} onClick={go(open)} data-testid="papers-open-link">
          {t.toOpen}
        </a>
      )}
    </span>
  );
}
