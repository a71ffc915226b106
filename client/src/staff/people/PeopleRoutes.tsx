import type { ReactElement } from 'react';
import { useT } from '../../i18n';
import { go } from '../papers/papers-nav';
import { CandidatesPage } from './CandidatesPage';
import { DeclarationPage } from './DeclarationPage';
import { DeclarationRemovalsPage } from './DeclarationRemovalsPage';
import { ImportPage } from './ImportPage';
import { OrganisationsPage } from './OrganisationsPage';
import { peopleText } from './people-text';
import { RecordsPage } from './RecordsPage';
import { StaffListPage } from './StaffListPage';
import './people.css';

export type PeopleCtx = { token: string; roles: string[]; base: string; onExpired: () => void };

const TABS = ['staff', 'candidates', 'organisations', 'records', 'removals', 'import', 'declaration'] as const;
type Tab = (typeof TABS)[number];

const isAdmin = (roles: string[]) => roles.includes('admin') && !roles.includes('official');
const viewer = (roles: string[]) => roles.some((r) => r === 'admin' || r === 'chief_examiner' || r === 'official');

/** Tabs a role may open: registries for admins, chief examiners and officials; everyone declares for themselves. */
function tabsFor(roles: string[], base: string): Tab[] {
  return TABS.filter((t) => {
    if (t === 'declaration') return base === '/staff' && !roles.includes('official');
    if (t === 'import') return base === '/staff' && isAdmin(roles);
    return viewer(roles);
  });
}

/** The people pages for a path, or null when the path is not one of them. */
export function peoplePageFor(path: string, ctx: PeopleCtx): ReactElement | null {
  const m = /^\/(staff|official)\/people(?:\/([a-z]+))?$/.exec(path);
  if (!m) return null;
  const tabs = tabsFor(ctx.roles, ctx.base);
  const tab = (m[2] as Tab | undefined) ?? tabs[0];
  if (!tab || !tabs.includes(tab)) return <PeopleShell ctx={ctx} tab={null} tabs={tabs} />;
  return <PeopleShell ctx={ctx} tab={tab} tabs={tabs} />;
}

function PeopleShell({ ctx, tab, tabs }: { ctx: PeopleCtx; tab: Tab | null; tabs: Tab[] }) {
  const { lang } = useT();
  const t = peopleText(lang);
  const admin = isAdmin(ctx.roles) && ctx.base === '/staff';
  const labels: Record<Tab, string> = {
    staff: t.staff,
    candidates: t.candidates,
    organisations: t.organisations,
    records: t.records,
    removals: lang === 'en' ? 'Retracted declarations' : '声明撤回审核',
    import: t.imports,
    declaration: t.declaration,
  };
  return (
    <section className="panel">
      <h1>{t.people}</h1>
      <nav className="people-nav">
        {tabs.map((x) => (
          <a
            key={x}
            href={`${ctx.base}/people/${x}`}
            onClick={go(`${ctx.base}/people/${x}`)}
            className={x === tab ? 'active' : ''}
          >
            {labels[x]}
          </a>
        ))}
      </nav>
      {tab === 'staff' && <StaffListPage ctx={ctx} admin={admin} />}
      {tab === 'candidates' && <CandidatesPage ctx={ctx} admin={admin} />}
      {tab === 'organisations' && <OrganisationsPage ctx={ctx} admin={admin} />}
      {tab === 'records' && <RecordsPage ctx={ctx} admin={admin} />}
      {tab === 'removals' && <DeclarationRemovalsPage ctx={ctx} admin={admin} />}
      {tab === 'import' && <ImportPage ctx={ctx} />}
      {tab === 'declaration' && <DeclarationPage ctx={ctx} />}
    </section>
  );
}

/** The link above the session list. */
export function PeopleNav({ roles, base }: { roles: string[]; base: string }) {
  const { lang } = useT();
  if (tabsFor(roles, base).length === 0) return null;
  const href = `${base}/people`;
  return (
    <nav className="grading-nav no-print">
      <a href={href} onClick={go(href)} data-testid="people-link">
        {peopleText(lang).people} →
      </a>
    </nav>
  );
}
