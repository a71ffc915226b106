import { useEffect, useState } from 'react';
import type { OpenCodeResult, OpeningStatus, SealStatus } from '../../../../server/src/protocol';
import { api, ApiError } from '../../api';
import { useT } from '../../i18n';
import { formatTime } from '../SessionListPage';
import { StartExamButton } from '../components/StartExamButton';
import { STATE_NAMES } from '../staff-text';
import { useApi } from '../use-api';
import { go } from './papers-nav';
import { papersText } from './papers-text';
import './papers.css';

type Props = { token: string; sessionId: number; canOperate: boolean; onExpired: () => void };

/**
 * Two-person opening (issue 13, hole 4): each custodian, logged in as themselves, enters their password and
 * their own code here — the page never offers anyone a box for the other custodian's code. It shows who entered
 * each code and when; the chief examiner starts the exam once the papers are open.
 */
export function OpenPage({ token, sessionId, canOperate, onExpired }: Props) {
  const { lang } = useT();
  const t = papersText(lang);
  const li = lang === 'en' ? 1 : 0;
  const { data: seal, error: loadError, reload } = useApi<SealStatus>(`/sessions/${sessionId}/seal`, token, onExpired);
  const opening = useApi<OpeningStatus>(`/sessions/${sessionId}/open/status`, token, onExpired);
  const me = useApi<{ id: number }>('/auth/me', token, onExpired);
  const [password, setPassword] = useState('');
  const [code, setCode] = useState('');
  const [visible, setVisible] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);

  // While the papers wait for the second code, follow the other custodian's entry.
  const reloadOpening = opening.reload;
  useEffect(() => {
    if (seal?.sessionState !== 'sealed') return;
    const timer = setInterval(() => {
      reloadOpening();
      reload();
    }, 3000);
    return () => clearInterval(timer);
  }, [seal?.sessionState, reloadOpening, reload]);

  const call = async <T,>(path: string, body: unknown, ok: (r: T) => string) => {
    setError(null);
    setBusy(true);
    try {
      setDone(ok(await api<T>(path, { token, body })));
      setCode('');
      setPassword('');
      reload();
      reloadOpening();
    } catch (err) {
      if (err instanceof ApiError && err.status === 401 && err.code !== 'bad-credentials') onExpired();
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };

  if (loadError) return <p className="error">{loadError}</p>;
  if (!seal) return <p>…</p>;
  const base = location.pathname.startsWith('/official') ? '/official' : '/staff';
  const back = `${base}/sessions/${sessionId}`;
  const slots = opening.data?.slots ?? [];
  const mine = slots.find((s) => s.staffId === me.data?.id);
  const now = Date.now();
  const inWindow = now >= seal.openWindow.from && now <= seal.openWindow.to;

  return (
    <section className="panel papers-page">
      <a href={back} onClick={go(back)}>
        {t.back}
      </a>
      <h1>{t.openPage}</h1>
      <p className="meta">
        {t.sessionState}:{' '}
        <span className={`state state-${seal.sessionState}`}>
          {STATE_NAMES[seal.sessionState]?.[li] ?? seal.sessionState}
        </span>
        {seal.seal && (
          <>
            {' '}
            · {t.manifest}: <span className="fingerprint">{seal.seal.manifestFingerprint}</span>
          </>
        )}
      </p>
      <p className={inWindow ? 'meta' : 'error'}>
        {t.window}: {formatTime(seal.openWindow.from)} – {formatTime(seal.openWindow.to)}
      </p>
      <table className="open-progress" data-testid="open-progress">
        <tbody>
          {slots.map((s) => (
            <tr key={s.slot} data-testid={`open-slot-${s.slot}`}>
              <th>{s.slot === 'A' ? t.custodianA : t.custodianB}</th>
              <td>{s.name}</td>
              <td>{s.enteredAt === null ? t.waiting : `${t.entered} ${formatTime(s.enteredAt)}`}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {seal.sessionState === 'sealed' && seal.seal?.state === 'sealed' && (
        <>
          <p className="meta">{t.openHint}</p>
          {!mine && me.data && <p className="meta">{t.notCustodian}</p>}
          {mine && mine.enteredAt !== null && <p className="ok">{t.enteredWaiting}</p>}
          {mine && mine.enteredAt === null && (
            <form
              className="open-form"
              onSubmit={(e) => {
                e.preventDefault();
                void call<OpenCodeResult>(`/sessions/${sessionId}/open/code`, { password, code }, (r) =>
                  r.opened ? t.opened : t.enteredWaiting,
                );
              }}
            >
              <label>
                {mine.slot === 'A' ? t.custodianA : t.custodianB}：{mine.name} — {t.yourPassword}
                <input
                  type="password"
                  autoComplete="current-password"
                  value={password}
                  onChange={(e) => setPassword(e.target.value)}
                  data-testid="open-password"
                />
              </label>
              <label>
                {t.enterCode}
                <span className="code-input">
                  <input
                    type={visible ? 'text' : 'password'}
                    autoComplete="off"
                    spellCheck={false}
                    placeholder="XXXX-XXXX-XXXX-XXXX"
                    value={code}
                    onChange={(e) => setCode(e.target.value)}
                    data-testid="open-code"
                  />
                  <button type="button" onClick={() => setVisible(!visible)}>
                    {t.show}
                  </button>
                </span>
              </label>
              <button className="primary" type="submit" disabled={busy || !password || !code} data-testid="open-button">
                {t.submitMine}
              </button>
            </form>
          )}
        </>
      )}
      {seal.sessionState === 'open' && canOperate && (
        <StartExamButton
          token={token}
          sessionId={sessionId}
          label={t.startExam}
          disabled={busy}
          onExpired={onExpired}
          onStart={() => call<{ state: string }>(`/sessions/${sessionId}/start`, {}, () => t.started)}
        />
      )}
      {done && <p className="ok">{done}</p>}
      {error && <p className="error">{error}</p>}
    </section>
  );
}
