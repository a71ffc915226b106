import type { ReactElement } from 'react';
import { GrantUploadPage } from './GrantUploadPage';
import { InspectionsPage } from './InspectionsPage';
import { LedgerPage } from './LedgerPage';
import { ReportsPage } from './ReportsPage';
import { SummaryPage } from './SummaryPage';
import { SurveyStatsPage } from './SurveyStatsPage';
import { NavLink, useL, type Ctx } from './conduct-common';
import './conduct.css';

const READERS = ['admin', 'chief_examiner', 'official'];

/** The conduct-supervision pages (行风监督, issue 10) for a path, or null. */
export function conductPageFor(path: string, ctx: Ctx): ReactElement | null {
  const m = /^\/(official|staff)\/conduct(?:\/([a-z-]+))?\/?$/.exec(path);
  if (!m || !ctx.roles.some((r) => READERS.includes(r))) return null;
  const official = ctx.roles.includes('official');
  const admin = ctx.roles.includes('admin');
  const page = m[2] ?? 'ledger';
  const body =
    page === 'reports' && official ? (
      <ReportsPage ctx={ctx} />
    ) : page === 'inspections' ? (
      <InspectionsPage ctx={ctx} />
    ) : page === 'surveys' ? (
      <SurveyStatsPage ctx={ctx} />
    ) : page === 'summary' && official ? (
      <SummaryPage ctx={ctx} />
    ) : page === 'ledger' ? (
      <LedgerPage ctx={ctx} />
    ) : page === 'officials' && admin ? (
      <GrantUploadPage ctx={ctx} />
    ) : null;
  if (!body) return null;
  return (
    <>
      <ConductTabs ctx={ctx} />
      {body}
    </>
  );
}

function ConductTabs({ ctx }: { ctx: Ctx }) {
  const L = useL();
  const official = ctx.roles.includes('official');
  const b = `${ctx.base}/conduct`;
  return (
    <nav className="conduct-tabs no-print">
      {official && (
        <NavLink href={`${b}/reports`} testId="conduct-tab-reports">
          {L('群众反映', 'Reports')}
        </NavLink>
      )}
      <NavLink href={`${b}/inspections`}>{L('检查与抽查', 'Inspections')}</NavLink>
      <NavLink href={`${b}/ledger`} testId="conduct-tab-ledger">
        {L('整改台账', 'Rectification ledger')}
      </NavLink>
      <NavLink href={`${b}/surveys`}>{L('满意度统计', 'Satisfaction')}</NavLink>
      {official && (
        <NavLink href={`${b}/summary`} testId="conduct-tab-summary">
          {L('年度行风总结', 'Yearly summary')}
        </NavLink>
      )}
      {!official && ctx.roles.includes('admin') && (
        <NavLink href={`${b}/officials`}>{L('监管账号授权', 'Official grants')}</NavLink>
      )}
    </nav>
  );
}

/** The entry link on the home page. */
export function ConductNav({ roles, base }: { roles: string[]; base: string }) {
  const L = useL();
  if (!roles.some((r) => READERS.includes(r))) return null;
  const first = roles.includes('official') ? 'reports' : 'ledger';
  return (
    <nav className="grading-nav no-print">
      <NavLink href={`${base}/conduct/${first}`} testId="conduct-entry">
        {L('行风监督', 'Conduct supervision')} →
      </NavLink>
    </nav>
  );
}
