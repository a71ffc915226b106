import { useState } from 'react';
import type { OpenResult, SealStatus } from '../../../../server/src/protocol';
import { api, ApiError } from '../../api';
import { useT } from '../../i18n';
import { formatTime } from '../SessionListPage';
import { STATE_NAMES } from '../staff-text';
import { useApi } from '../use-api';
import { go } from './papers-nav';
import { papersText } from './papers-text';
import './papers.css';

type Props = { token: string; sessionId: number; onExpired: () => void };

/** Two-person opening: each custodian types their own code (masked), then the chief examiner starts the exam. */
export function OpenPage({ token, sessionId, onExpired }: Props) {
  const { lang } = useT();
  const t = papersText(lang);
  const li = lang === 'en' ? 1 : 0;
  const {
    data: status,
    error: loadError,
    reload,
  } = useApi<SealStatus>(`/sessions/${sessionId}/seal`, token, onExpired);
  const [codes, setCodes] = useState<Record<string, string>>({});
  const [visible, setVisible] = useState<Record<string, boolean>>({});
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);

  const call = async <T,>(path: string, body: unknown, ok: (r: T) => string) => {
    setError(null);
    setBusy(true);
    try {
      setDone(ok(await api<T>(path, { token, body })));
      setCodes({});
      reload();
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) onExpired();
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };

  if (loadError) return <p className="error">{loadError}</p>;
  if (!status) return <p>…</p>;
  const back = `/staff/sessions/${sessionId}`;
  const custodians = status.seal?.custodians ?? [];
  const now = Date.now();
  const inWindow = now >= status.openWindow.from && now <= status.openWindow.to;

  return (
    <section className="panel papers-page">
      <a href={back} onClick={go(back)}>
        {t.back}
      </a>
      <h1>{t.openPage}</h1>
      <p className="meta">
        {t.sessionState}:{' '}
        <span className={`state state-${status.sessionState}`}>
          {STATE_NAMES[status.sessionState]?.[li] ?? status.sessionState}
        </span>
        {status.seal && (
          <>
            {' '}
            · {t.manifest}: <span className="fingerprint">{status.seal.manifestFingerprint}</span>
          </>
        )}
      </p>
      <p className={inWindow ? 'meta' : 'error'}>
        {t.window}: {formatTime(status.openWindow.from)} – {formatTime(status.openWindow.to)}
      </p>
      {status.sessionState === 'sealed' && status.seal?.state === 'sealed' && (
        <form
          className="open-form"
          onSubmit={(e) => {
            e.preventDefault();
            const body = { codes: custodians.map((c) => ({ staffId: c.staffId, code: codes[c.slot] ?? '' })) };
            void call<OpenResult>(`/sessions/${sessionId}/open`, body, () => t.opened);
          }}
        >
          <p className="meta">{t.openHint}</p>
          {custodians.map((c) => (
            <label key={c.slot}>
              {c.slot === 'A' ? t.custodianA : t.custodianB}：{c.name} — {t.enterCode}
              <span className="code-input">
                <input
                  type={visible[c.slot] ? 'text' : 'password'}
                  autoComplete="off"
                  spellCheck={false}
                  placeholder="XXXX-XXXX-XXXX-XXXX"
                  value={codes[c.slot] ?? ''}
                  onChange={(e) => setCodes({ ...codes, [c.slot]: e.target.value })}
                  data-testid={`open-code-${c.slot}`}
                />
                <button type="button" onClick={() => setVisible({ ...visible, [c.slot]: !visible[c.slot] })}>
                  {t.show}
                </button>
              </span>
            </label>
          ))}
          <button
            className="primary"
            type="submit"
            disabled={busy || custodians.some((c) => !codes[c.slot])}
            data-testid="open-button"
          >
            {t.open}
          </button>
        </form>
      )}
      {status.sessionState === 'open' && (
        <button
          className="primary"
          disabled={busy}
          onClick={() => void call<{ state: string }>(`/sessions/${sessionId}/start`, {}, () => t.started)}
          data-testid="start-button"
        >
          {t.startExam}
        </button>
      )}
      {done && <p className="ok">{done}</p>}
      {error && <p className="error">{error}</p>}
    </section>
  );
}
