import { useEffect, useState } from 'react';
import type {
  CustodianOption,
  InstitutionKeyInfo,
  SealProgress,
  SealResult,
  SealStatus,
} from '../../../../server/src/protocol';
import { api, ApiError } from '../../api';
import { useT } from '../../i18n';
import { formatTime } from '../SessionListPage';
import { STATE_NAMES } from '../staff-text';
import { useApi } from '../use-api';
import { CodeSlips } from './CodeSlips';
import { HandoverPanel } from './HandoverPanel';
import { go } from './papers-nav';
import { papersText } from './papers-text';
import './papers.css';

type Props = { token: string; sessionId: number; canOperate: boolean; onExpired: () => void };

const pct = (x: number) => `${(x * 100).toFixed(2)} %`;

/** Sealing: choose two custodians, draw + encrypt with a progress bar, then the custodians' code slips. */
export function SealPage({ token, sessionId, canOperate, onExpired }: Props) {
  const { lang } = useT();
  const t = papersText(lang);
  const li = lang === 'en' ? 1 : 0;
  const {
    data: status,
    error: loadError,
    reload,
  } = useApi<SealStatus>(`/sessions/${sessionId}/seal`, token, onExpired);
  const { data: key } = useApi<InstitutionKeyInfo>('/institution/key', token, onExpired);
  const [options, setOptions] = useState<CustodianOption[]>([]);
  const [a, setA] = useState('');
  const [b, setB] = useState('');
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [progress, setProgress] = useState<SealProgress | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [result, setResult] = useState<SealResult | null>(null);
  const [mySlip, setMySlip] = useState<SealResult | null>(null);

  useEffect(() => {
    if (!canOperate) return;
    api<{ custodians: CustodianOption[] }>('/papers/custodians', { token })
      .then((r) => setOptions(r.custodians))
      .catch(() => setOptions([]));
  }, [canOperate, token]);

  const resealing = status?.seal?.state === 'sealed';
  const submit = async () => {
    setError(null);
    if (!a || !b || a === b) {
      setError(t.differentPeople);
      return;
    }
    setBusy(true);
    setProgress(null);
    // Sealing runs on the server in chunks; its progress is polled while the request is pending.
    const poll = setInterval(() => {
      api<SealStatus>(`/sessions/${sessionId}/seal`, { token })
        .then((s) => setProgress(s.progress))
        .catch(() => undefined);
    }, 250);
    try {
      const body = resealing ? { custodians: [Number(a), Number(b)], reason } : { custodians: [Number(a), Number(b)] };
      setResult(await api<SealResult>(`/sessions/${sessionId}/${resealing ? 'reseal' : 'seal'}`, { token, body }));
      reload();
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) onExpired();
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      clearInterval(poll);
      setBusy(false);
    }
  };

  if (loadError) return <p className="error">{loadError}</p>;
  if (!status) return <p>…</p>;
  const base = location.pathname.startsWith('/official') ? '/official' : '/staff';
  const back = `${base}/sessions/${sessionId}`;
  const seal = status.seal;
  const shown = busy ? progress : null;

  // Over REST a seal carries no codes: custodians collect their own (HandoverPanel, collectMine below).
  if (result) return <HandoverPanel token={token} sessionId={sessionId} onDone={() => setResult(null)} />;
  if (mySlip) return <CodeSlips result={mySlip} onDone={() => setMySlip(null)} />;
  const collectMine = async () => {
    setError(null);
    try {
      setMySlip(await api<SealResult>(`/sessions/${sessionId}/seal/my-code`, { token }));
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    }
  };

  return (
    <section className="panel papers-page">
      <a href={back} onClick={go(back)} className="no-print">
        {t.back}
      </a>
      <h1>{t.sealPage}</h1>
      <p className="meta">
        {t.sessionState}:{' '}
        <span className={`state state-${status.sessionState}`}>
          {STATE_NAMES[status.sessionState]?.[li] ?? status.sessionState}
        </span>
      </p>
      {!canOperate && <p className="meta">{t.readOnly}</p>}
      <dl className="seal-facts">
        <dt>{t.institutionKey}</dt>
        <dd className="fingerprint" data-testid="institution-key">
          {key?.fingerprint ?? '…'}
        </dd>
        {seal && (
          <>
            <dt>{t.manifest}</dt>
            <dd className="fingerprint" data-testid="manifest-fingerprint">
              {seal.manifestFingerprint}
            </dd>
            <dt>{t.sealedAt}</dt>
            <dd>{formatTime(seal.sealedAt)}</dd>
            {seal.openedAt && (
              <>
                <dt>{t.openedAt}</dt>
                <dd>{formatTime(seal.openedAt)}</dd>
              </>
            )}
            <dt>{t.papers}</dt>
            <dd>{seal.paperCount}</dd>
            <dt>{t.custodians}</dt>
            <dd>{seal.custodians.map((c) => `${c.slot}: ${c.name}`).join('　')}</dd>
            <dt>{t.neighbours}</dt>
            <dd>
              {seal.neighbours.adjacentPairs === 0
                ? t.noNeighbours
                : `${t.before} ${pct(seal.neighbours.rateBefore)} → ${t.after} ${pct(seal.neighbours.rateAfter)}（${seal.neighbours.adjacentPairs}）`}
            </dd>
            <dt>{t.window}</dt>
            <dd>
              {formatTime(status.openWindow.from)} – {formatTime(status.openWindow.to)}
            </dd>
          </>
        )}
      </dl>
      {!seal && status.sessionState !== 'scheduled' && <p className="meta">{t.notSealed}</p>}
      {seal?.state === 'sealed' && (
        <p>
          <button onClick={() => void collectMine()} data-testid="collect-my-code">
            {t.collectMine}
          </button>
        </p>
      )}
      {canOperate && seal?.state === 'sealed' && (
        <p>
          <a href={`/staff/sessions/${sessionId}/open`} onClick={go(`/staff/sessions/${sessionId}/open`)}>
            {t.toOpen}
          </a>
        </p>
      )}
      {canOperate && (status.sessionState === 'scheduled' || resealing) && (
        <div className="seal-form">
          <h2>{resealing ? t.reseal : t.seal}</h2>
          <p className="meta">{resealing ? t.resealHint : t.sealHint}</p>
          {(['A', 'B'] as const).map((slot) => (
            <label key={slot}>
              {slot === 'A' ? t.custodianA : t.custodianB}
              <select
                value={slot === 'A' ? a : b}
                onChange={(e) => (slot === 'A' ? setA : setB)(e.target.value)}
                data-testid={`custodian-${slot}`}
              >
                <option value="">{t.choose}</option>
                {options.map((o) => (
                  <option key={o.id} value={o.id}>
                    {o.name}（{o.username}）
                  </option>
                ))}
              </select>
            </label>
          ))}
          {resealing && (
            <label>
              {t.reason}
              <input value={reason} onChange={(e) => setReason(e.target.value)} maxLength={500} />
            </label>
          )}
          <button
            className="primary"
            disabled={busy || (resealing && reason.trim().length < 2)}
            onClick={() => void submit()}
            data-testid="seal-button"
          >
            {resealing ? t.reseal : t.seal}
          </button>
        </div>
      )}
      {busy && (
        <div className="seal-progress" data-testid="seal-progress">
          {t.progress}: {shown ? `${t.phases[shown.phase] ?? shown.phase} ${shown.done}/${shown.total}` : '…'}
          <progress max={shown ? shown.total : 1} value={shown ? shown.done : 0} />
        </div>
      )}
      {error && <p className="error">{error}</p>}
    </section>
  );
}
