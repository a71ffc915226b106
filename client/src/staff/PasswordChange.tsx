import { useState, type FormEvent } from 'react';
import { api, ApiError } from '../api';
import { useT } from '../i18n';
import { staffText } from './staff-text';

export function PasswordChange({
  token,
  onDone,
  onExpired,
}: {
  token: string;
  onDone: () => void;
  onExpired: () => void;
}) {
  const s = staffText(useT().lang);
  const [currentPassword, setCurrent] = useState('');
  const [newPassword, setNext] = useState('');
  const [error, setError] = useState<string | null>(null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    try {
      await api('/auth/password', { token, body: { currentPassword, newPassword } });
      // The old token still carries the one-time flag: log in again with the new password.
      onDone();
      onExpired();
    } catch (err) {
      if (err instanceof ApiError && err.status === 401 && err.code !== 'bad-credentials') onExpired();
      setError(err instanceof Error ? err.message : String(err));
    }
  };
  return (
    <form className="panel narrow" onSubmit={submit}>
      <h1>{s.changePassword}</h1>
      <p>{s.mustChange}</p>
      <label>
        {s.currentPassword}
        <input type="password" value={currentPassword} onChange={(e) => setCurrent(e.target.value)} required />
      </label>
      <label>
        {s.newPassword}
        <input type="password" minLength={10} value={newPassword} onChange={(e) => setNext(e.target.value)} required />
      </label>
      {error && <p className="error">{error}</p>}
      <button className="primary" type="submit">
        {s.changePassword}
      </button>
    </form>
  );
}
