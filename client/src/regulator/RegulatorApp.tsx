import { useCallback, useState } from 'react';
import type { RegulatorLoginResponse } from '../../../server/src/protocol/regulator-admin';
import { setLang, useT, type MessageKey } from '../i18n';
import { clearAuth, loadAuth, saveAuth, type RegCtx } from './reg-auth';
import { Go, useHashRoute } from './reg-route';
import { codeLabel } from './reg-text';
import { LoginPage } from './LoginPage';
import { SearchPage } from './SearchPage';
import { PersonPage } from './PersonPage';
import { SessionPage } from './SessionPage';
import { ArchivePage } from './ArchivePage';
import { CentresPage } from './CentresPage';
import { BansPage } from './BansPage';
import { OfficialsPage } from './OfficialsPage';
import { FindingsPage } from './FindingsPage';
import { PassRatesPage } from './PassRatesPage';
import { LinkLogPage } from './LinkLogPage';

const NAV: [path: string, key: MessageKey, adminOnly: boolean][] = [
  ['/', 'regulator.nav.search', false],
  ['/findings', 'regulator.nav.findings', false],
  ['/pass-rates', 'regulator.nav.passRates', false],
  ['/centres', 'regulator.nav.centres', false],
  ['/bans', 'regulator.nav.bans', false],
  ['/officials', 'regulator.nav.officials', true],
  ['/link-log', 'regulator.nav.linkLog', false],
];

/** The regulator's console (监管端, issue 14): one view over every centre the province's regulator supervises. */
export function RegulatorApp() {
  const { t, lang } = useT();
  const [auth, setAuth] = useState<RegulatorLoginResponse | null>(loadAuth);
  const route = useHashRoute();
  const logout = useCallback(() => {
    clearAuth();
    setAuth(null);
  }, []);
  const login = (res: RegulatorLoginResponse) => {
    saveAuth(res);
    setAuth(res);
  };
  const ctx: RegCtx | null = auth
    ? { token: auth.token, admin: auth.account.role === 'regulator_admin', onExpired: logout }
    : null;
  const section = (p: string) =>
    p === '/' ? route.path === '/' || route.path.startsWith('/search') : route.path.startsWith(p);
  return (
    <div className="console regulator">
      <header className="console-bar">
        <a className="console-brand" href="#/">
          {t('regulator.title')}
        </a>
        <span className="spacer" />
        {auth && (
          <span className="who" data-testid="who">
            {auth.account.name} · {codeLabel('role', auth.account.role)}
          </span>
        )}
        <button className="plain" onClick={() => setLang(lang === 'en' ? 'zh-CN' : 'en')}>
          {t('lang.switch')}
        </button>
        {auth && (
          <button className="plain" onClick={logout}>
            {t('common.logout')}
          </button>
        )}
      </header>
      {ctx && (
        <nav className="console-nav no-print" aria-label={t('regulator.nav.main')}>
          {NAV.filter(([, , adminOnly]) => !adminOnly || ctx.admin).map(([p, key]) => (
            <Go key={p} to={p} current={section(p)}>
              {t(key)}
            </Go>
          ))}
        </nav>
      )}
      <main className="console-main">{ctx ? <Page ctx={ctx} /> : <LoginPage onLogin={login} />}</main>
    </div>
  );
}

function Page({ ctx }: { ctx: RegCtx }) {
  const { path, query } = useHashRoute();
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  const [first, second, third] = parts;
  if (!first || first === 'search') return <SearchPage ctx={ctx} query={query} />;
  if (first === 'people' && second) return <PersonPage ctx={ctx} idNumber={second} />;
  if (first === 'sessions' && second && third) return <SessionPage ctx={ctx} centre={second} sessionCode={third} />;
  if (first === 'archives' && second) return <ArchivePage ctx={ctx} id={Number(second)} />;
  if (first === 'centres') return <CentresPage ctx={ctx} />;
  if (first === 'bans') return <BansPage ctx={ctx} />;
  if (first === 'officials' && ctx.admin) return <OfficialsPage ctx={ctx} />;
  if (first === 'findings') return <FindingsPage ctx={ctx} />;
  if (first === 'pass-rates') return <PassRatesPage ctx={ctx} />;
  if (first === 'link-log') return <LinkLogPage ctx={ctx} />;
  return <NotFound />;
}

function NotFound() {
  const { t } = useT();
  return (
    <section className="panel">
      <p>{t('regulator.notFound')}</p>
      <Go to="/">{t('regulator.nav.search')}</Go>
    </section>
  );
}
