import type { ReactElement } from 'react';
import { useT } from '../../i18n';
import { navigate } from '../use-route';
import { gradingText } from './grading-text';
import { GradingSettingsPage } from './GradingSettingsPage';
import { ItemAnalysisPage } from './ItemAnalysisPage';
import { RegulatorExportPage } from './RegulatorExportPage';
import { ResultSlipPage } from './ResultSlipPage';
import { ScoreSheetPage } from './ScoreSheetPage';

type Ctx = { token: string; roles: string[]; base: string; onExpired: () => void };

/** The grading pages for a path, or null when the path is not one of them (StaffApp shows its own pages then). */
export function gradingPageFor(path: string, ctx: Ctx): ReactElement | null {
  const sheet = /^\/(?:staff|official)\/sessions\/(\d+)\/score-sheet$/.exec(path);
  if (sheet) return <ScoreSheetPage {...ctx} sessionId={Number(sheet[1])} />;
  const slip = /^\/(?:staff|official)\/results\/(\d+)\/slip$/.exec(path);
  if (slip) return <ResultSlipPage token={ctx.token} registrationId={Number(slip[1])} onExpired={ctx.onExpired} />;
  if (/^\/(?:staff|official)\/results-export$/.test(path))
    return <RegulatorExportPage token={ctx.token} onExpired={ctx.onExpired} />;
  if (path === '/staff/item-analysis') return <ItemAnalysisPage token={ctx.token} onExpired={ctx.onExpired} />;
  if (path === '/staff/grading-settings')
    return <GradingSettingsPage token={ctx.token} roles={ctx.roles} onExpired={ctx.onExpired} />;
  return null;
}

/** Links to the grading pages each role may open, shown above the session list. */
export function GradingNav({ roles, base }: { roles: string[]; base: string }) {
  const { lang } = useT();
  const g = gradingText(lang);
  const links: [string, string][] = [];
  if (roles.some((r) => r === 'admin' || r === 'chief_examiner' || r === 'official'))
    links.push([`${base}/results-export`, g.exports]);
  if (base === '/staff' && roles.some((r) => r === 'admin' || r === 'bank_keeper'))
    links.push(['/staff/item-analysis', g.itemAnalysis]);
  if (base === '/staff' && roles.some((r) => r === 'admin' || r === 'chief_examiner'))
    links.push(['/staff/grading-settings', lang === 'en' ? 'Re-exam policy' : '补考规则']);
  if (!links.length) return null;
  return (
    <nav className="grading-nav no-print">
      {links.map(([href, label]) => (
        <a
          key={href}
          href={href}
          onClick={(e) => {
            e.preventDefault();
            navigate(href);
          }}
        >
          {label} →
        </a>
      ))}
    </nav>
  );
}

/** The score sheet link on a session's page. */
export function ScoreSheetLink({ sessionId }: { sessionId: number }) {
  const { lang } = useT();
  const base = location.pathname.startsWith('/official') ? '/official' : '/staff';
  const href = `${base}/sessions/${sessionId}/score-sheet`;
  return (
    <a
      className="score-sheet-link no-print"
      href={href}
      onClick={(e) => {
        e.preventDefault();
        navigate(href);
      }}
    >
      {gradingText(lang).scoreSheet} →
    </a>
  );
}
