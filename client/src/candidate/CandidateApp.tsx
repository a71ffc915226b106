import { useEffect, useState } from 'react';
import type { CandidateLoginResponse, CandidateProfile } from '../../../server/src/protocol';
import { api, ApiError } from '../api';
import { setLang, useT } from '../i18n';
import { ExamScreen } from './ExamScreen';
import { LoginScreen } from './LoginScreen';
import { clearToken, loadToken, saveToken } from './session-store';

export function CandidateApp() {
  const { t, lang } = useT();
  const [token, setToken] = useState<string | null>(loadToken);
  const [profile, setProfile] = useState<CandidateProfile | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    if (!token) return;
    api<CandidateProfile>('/candidate/me', { token })
      .then(setProfile)
      .catch((err: unknown) => {
        if (err instanceof ApiError && (err.status === 401 || err.status === 403)) {
          clearToken();
          setToken(null);
        } else setError(err instanceof Error ? err.message : String(err));
      });
  }, [token]);

  const onLogin = (res: CandidateLoginResponse) => {
    saveToken(res.token);
    setToken(res.token);
  };
  const logout = () => {
    clearToken();
    setProfile(null);
    setToken(null);
  };

  return (
    <div className="app">
      <header className="topbar">
        <span className="brand">{t('app.title')}</span>
        <button className="link-button" onClick={() => setLang(lang === 'en' ? 'zh-CN' : 'en')}>
          {t('lang.switch')}
        </button>
      </header>
      {!token && <LoginScreen onLogin={onLogin} />}
      {token && !profile && (
        <main className="center-card" role="status">
          {error ? (
            <>
              <p className="error">{error}</p>
              <button className="big-button" onClick={() => location.reload()}>
                {t('common.retry')}
              </button>
            </>
          ) : (
            <p>{t('common.loading')}</p>
          )}
        </main>
      )}
      {token && profile && <ExamScreen token={token} profile={profile} onLogout={logout} />}
    </div>
  );
}
