import { useState } from 'react';
import type { StaffLoginResponse } from '../../../server/src/protocol';
import { setLang, useT } from '../i18n';
import { PasswordChange } from './PasswordChange';
import { SessionDetailPage } from './SessionDetailPage';
import { SessionListPage } from './SessionListPage';
import { StaffLogin } from './StaffLogin';
import { WorkstationPage } from './WorkstationPage';
import { gradingPageFor, GradingNav } from './grading/GradingRoutes';
import { papersPageFor } from './papers/PapersRoutes';
import { bankPageFor } from './bank/BankPage';
import { planningPageFor } from './planning/PlanningRoutes';
import { peoplePageFor } from './people/PeopleRoutes';
import { SessionIntegritySection } from './people/SessionIntegritySection';
import { clearStaff, loadStaff, saveStaff } from './staff-session';
import { staffText } from './staff-text';
import { navigate, useRoute } from './use-route';
import { proctoringPageFor } from './proctoring/ProctoringRoutes';
import { auditPageFor } from './audit/AuditRoutes';
import { label, ROLE_NAMES } from './catalogue';
import { Breadcrumb, ConsoleNav } from './components/ConsoleNav';
import { conductPageFor } from './conduct/ConductRoutes';
import { LinkBanner } from './link/LinkBanner';
import { LinkPage } from './link/LinkPage';
import { SessionStaleList } from './link/SessionStaleList';

export function StaffApp() {
  const { lang } = useT();
  const s = staffText(lang);
  const [auth, setAuth] = useState<StaffLoginResponse | null>(loadStaff);
  const path = useRoute();
  const official = path.startsWith('/official');
  const base = official ? '/official' : '/staff';

  const login = (res: StaffLoginResponse) => {
    saveStaff(res);
    setAuth(res);
  };
  const logout = () => {
    clearStaff();
    setAuth(null);
  };

  const sessionMatch = /\/sessions\/(\d+)/.exec(path);
  const workstationPage = path === '/staff/workstation';
  const gradingPage =
    auth && !auth.user.mustChangePassword
      ? gradingPageFor(path, { token: auth.token, roles: auth.user.roles, base, onExpired: logout })
      : null;
  const papersPage =
    auth && !auth.user.mustChangePassword
      ? papersPageFor(path, { token: auth.token, roles: auth.user.roles, onExpired: logout })
      : null;
  const planningPage =
    auth && !auth.user.mustChangePassword
      ? planningPageFor(path, { token: auth.token, roles: auth.user.roles, onExpired: logout })
      : null;
  const bankPage =
    auth && !auth.user.mustChangePassword
      ? bankPageFor(path, { token: auth.token, roles: auth.user.roles, onExpired: logout })
      : null;
  const proctoringPage =
    auth && !auth.user.mustChangePassword
      ? proctoringPageFor(path, { token: auth.token, roles: auth.user.roles, onExpired: logout })
      : null;
  const peopleCtx = auth ? { token: auth.token, roles: auth.user.roles, base, onExpired: logout } : null;
  const peoplePage = peopleCtx && !auth?.user.mustChangePassword ? peoplePageFor(path, peopleCtx) : null;
  const auditPage =
    auth && !auth.user.mustChangePassword
      ? auditPageFor(path, { token: auth.token, roles: auth.user.roles, onExpired: logout })
      : null;
  const conductPage =
    auth && !auth.user.mustChangePassword
      ? conductPageFor(path, { token: auth.token, roles: auth.user.roles, base, onExpired: logout })
      : null;
  // 监管链接 (issue 14): the admin's page for the regulator link.
  const linkPage =
    auth && !auth.user.mustChangePassword && path === '/staff/link' && auth.user.roles.includes('admin') ? (
      <LinkPage token={auth.token} onExpired={logout} />
    ) : null;
  return (
    <div className="console">
      <header className="console-bar">
        <a
          className="console-brand"
          href={base}
          onClick={(e) => {
            e.preventDefault();
            navigate(base);
          }}
        >
          {official ? s.officialTitle : s.staffTitle}
        </a>
        <span className="spacer" />
        {auth && (
          <span className="who">
            {auth.user.name} · {auth.user.roles.map((r) => label(ROLE_NAMES, r, lang === 'en')).join('、')}
          </span>
        )}
        <button className="plain" onClick={() => setLang(lang === 'en' ? 'zh-CN' : 'en')}>
          {lang === 'en' ? '中文' : 'English'}
        </button>
        {auth && (
          <button className="plain" onClick={logout}>
            {s.logout}
          </button>
        )}
      </header>
      {auth && !auth.user.mustChangePassword && <ConsoleNav roles={auth.user.roles} base={base} path={path} />}
      {auth && !auth.user.mustChangePassword && <LinkBanner token={auth.token} onExpired={logout} />}
      <main className="console-main">
        {auth && !auth.user.mustChangePassword && (
          <Breadcrumb token={auth.token} base={base} path={path} onExpired={logout} />
        )}
        {!auth && <StaffLogin onLogin={login} />}
        {auth && auth.user.mustChangePassword && (
          <PasswordChange
            token={auth.token}
            onDone={() => login({ ...auth, user: { ...auth.user, mustChangePassword: false } })}
            onExpired={logout}
          />
        )}
        {auth && !auth.user.mustChangePassword && workstationPage && (
          <WorkstationPage token={auth.token} onExpired={logout} onDone={logout} />
        )}
        {gradingPage}
        {papersPage}
        {planningPage}
        {bankPage}
        {proctoringPage}
        {auditPage}
        {peoplePage}
        {conductPage}
        {linkPage}
        {auth &&
          !auth.user.mustChangePassword &&
          !sessionMatch &&
          !workstationPage &&
          !gradingPage &&
          !papersPage &&
          !planningPage &&
          !bankPage &&
          !auditPage &&
          !peoplePage &&
          !linkPage &&
          !conductPage && (
            <>
              {/* Bank, people, logs and conduct are in the console navigation on every screen. */}
              <GradingNav roles={auth.user.roles} base={base} />
              <SessionListPage token={auth.token} base={base} onExpired={logout} />
            </>
          )}
        {auth &&
          !auth.user.mustChangePassword &&
          sessionMatch &&
          !gradingPage &&
          !papersPage &&
          !planningPage &&
          !proctoringPage &&
          !auditPage && (
            <>
              <SessionDetailPage token={auth.token} sessionId={Number(sessionMatch[1])} onExpired={logout} />
              {peopleCtx && <SessionIntegritySection ctx={peopleCtx} sessionId={Number(sessionMatch[1])} />}
              <SessionStaleList
                token={auth.token}
                roles={auth.user.roles}
                sessionId={Number(sessionMatch[1])}
                onExpired={logout}
              />
            </>
          )}
      </main>
    </div>
  );
}
