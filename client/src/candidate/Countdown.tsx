import { useEffect, useRef, useState } from 'react';
import { useT } from '../i18n';

const format = (ms: number) => {
  const s = Math.max(0, Math.ceil(ms / 1000));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  return `${h > 0 ? `${h}:` : ''}${String(m).padStart(2, '0')}:${String(sec).padStart(2, '0')}`;
};

/** Shows the server's remaining time, counted down locally between resyncs. */
export function Countdown(props: {
  remainingAtSync: number;
  syncedAt: number;
  paused: boolean;
  warnBeforeEndMs: number;
  onZero: () => void;
}) {
  const { t } = useT();
  const [now, setNow] = useState(() => performance.now());
  const firedZero = useRef(false);
  useEffect(() => {
    const timer = setInterval(() => setNow(performance.now()), 500);
    return () => clearInterval(timer);
  }, []);
  // While paused the server's clock stands still, and so does this one.
  const remaining = props.paused ? props.remainingAtSync : props.remainingAtSync - (now - props.syncedAt);
  useEffect(() => {
    if (remaining <= 0 && !firedZero.current) {
      firedZero.current = true;
      setTimeout(props.onZero, 1500); // the server submits at zero; fetch its verdict
    }
  }, [remaining, props]);
  const warning = remaining <= props.warnBeforeEndMs;
  return (
    <div className={`countdown ${warning ? 'warning' : ''}`} role="timer" aria-live="off">
      <span className="label">{t('exam.remaining')}</span>
      <span className="time" data-testid="remaining">
        {format(remaining)}
      </span>
      {warning && remaining > 0 && (
        <span className="warn-text" role="alert">
          {t('exam.warnEnd', { m: Math.ceil(remaining / 60_000) })}
        </span>
      )}
    </div>
  );
}

/** Says why the clock jumped: the server gave back the time it was down (系统故障补时, issue 16). */
export function TimeGivenBackNotice({ ms, onDismiss }: { ms: number | null; onDismiss: () => void }) {
  const { t } = useT();
  if (ms === null || ms < 1000) return null;
  return (
    <div className="time-given-back" role="status" data-testid="time-given-back">
      {t('exam.timeGivenBack', { s: Math.round(ms / 1000) })}
      <button className="link-button" onClick={onDismiss}>
        {t('exam.timeGivenBack.ok')}
      </button>
    </div>
  );
}
