import { useState, type FormEvent } from 'react';
import type { RegulatorLoginResponse } from '../../../server/src/protocol/regulator-admin';
import { api } from '../api';
import { useT } from '../i18n';

/** Officials log in with their own password at the regulator (issue 14), not with a centre's account. */
export function LoginPage({ onLogin }: { onLogin: (res: RegulatorLoginResponse) => void }) {
  const { t } = useT();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    try {
      onLogin(await api<RegulatorLoginResponse>('/auth/login', { body: { username, password } }));
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    }
  };
  return (
    <form className="panel narrow" onSubmit={submit}>
      <h1>{t('regulator.login.title')}</h1>
      <p className="meta">{t('regulator.login.hint')}</p>
      <label>
        {t('regulator.login.username')}
        <input
          name="username"
          autoFocus
          autoComplete="username"
          value={username}
          onChange={(e) => setUsername(e.target.value)}
          required
        />
      </label>
      <label>
        {t('regulator.login.password')}
        <input
          name="password"
          type="password"
          autoComplete="current-password"
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          required
        />
      </label>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      <button className="primary" type="submit">
        {t('regulator.login.submit')}
      </button>
    </form>
  );
}
