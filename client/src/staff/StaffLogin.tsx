import { useState, type FormEvent } from 'react';
import type { StaffLoginResponse } from '../../../server/src/protocol';
import { api } from '../api';
import { useT } from '../i18n';
import { staffText } from './staff-text';

export function StaffLogin({ onLogin }: { onLogin: (res: StaffLoginResponse) => void }) {
  const s = staffText(useT().lang);
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    try {
      onLogin(await api<StaffLoginResponse>('/auth/login', { body: { username, password } }));
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    }
  };
  return (
    <form className="panel narrow" onSubmit={submit}>
      <h1>{s.loginTitle}</h1>
      <label>
        {s.username}
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
        {s.password}
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
        {s.login}
      </button>
    </form>
  );
}
