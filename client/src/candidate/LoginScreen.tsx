import { useState, type FormEvent } from 'react';
import type { CandidateLoginResponse } from '../../../server/src/protocol';
import { api } from '../api';
import { useT } from '../i18n';
import { WORKSTATION_KEY } from '../workstation';

export function LoginScreen({ onLogin }: { onLogin: (res: CandidateLoginResponse) => void }) {
  const { t } = useT();
  const [admissionNo, setAdmissionNo] = useState('');
  const [idNumber, setIdNumber] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const workstationToken = localStorage.getItem(WORKSTATION_KEY) ?? undefined;
      onLogin(
        await api<CandidateLoginResponse>('/auth/candidate', { body: { admissionNo, idNumber, workstationToken } }),
      );
    } catch (err) {
      setError(err instanceof Error ? err.message : t('login.failed'));
    } finally {
      setBusy(false);
    }
  };

  return (
    <main className="center-card">
      <h1>{t('login.title')}</h1>
      <p className="hint">{t('login.hint')}</p>
      <form onSubmit={submit} className="login-form">
        <label>
          {t('login.admissionNo')}
          <input
            name="admissionNo"
            autoFocus
            autoComplete="off"
            inputMode="numeric"
            value={admissionNo}
            onChange={(e) => setAdmissionNo(e.target.value.trim())}
            required
          />
        </label>
        <label>
          {t('login.idNumber')}
          <input
            name="idNumber"
            autoComplete="off"
            value={idNumber}
            maxLength={18}
            onChange={(e) => setIdNumber(e.target.value.trim().toUpperCase())}
            required
          />
        </label>
        {error && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
        <button className="big-button primary" type="submit" disabled={busy}>
          {t('login.submit')}
        </button>
      </form>
    </main>
  );
}
