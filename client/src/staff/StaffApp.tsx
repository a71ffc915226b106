import { useState } from 'react';
import type { StaffLoginResponse } from '../../../server/src/protocol';
import { setLang, useT } from '../i18n';
import { PasswordChange } from './PasswordChange';
import { SessionDetailPage } from './SessionDetailPage';
import { SessionListPage } from './SessionListPage';
import { StaffLogin } from './StaffLogin';
import { WorkstationPage } from './WorkstationPage';
import { clearStaff, loadStaff, saveStaff } from './staff-session';
import { staffText } from './staff-text';
import { navigate, useRoute } from './use-route';

const ROLE_NAMES: Record<string, string> = {
  admin: '管理员',
  bank_keeper: '题库管理员',
  chief_examiner: '主考',
  proctor: '监考',
  official: '监管人员',
};

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
            {auth.user.name} · {auth.user.roles.map((r) => (lang === 'en' ? r : (ROLE_NAMES[r] ?? r))).join('、')}
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
      <main className="console-main">
        {!auth && <StaffLogin onLogin={login} />}
        {auth && auth.user.mustChangePassword && (
          <PasswordChange token={auth.token} onDone={() => login({ ...auth, user: { ...auth.user, mustChangePassword: false } })} onExpired={logout} />
        )}
        {auth && !auth.user.mustChangePassword && workstationPage && <WorkstationPage token={auth.token} onExpired={logout} onDone={logout} />}
        {auth && !auth.user.mustChangePassword && !sessionMatch && !workstationPage && (
          <SessionListPage token={auth.token} base={base} onExpired={logout} />
        )}
        {auth && !auth.user.mustChangePassword && sessionMatch && (
          <SessionDetailPage token={auth.token} sessionId={Number(sessionMatch[1])} onExpired={logout} />
        )}
      </main>
    </div>
  );
}
