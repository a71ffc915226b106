import { useEffect, useRef, useState } from 'react';
import type { CandidateQuestion } from '../../../server/src/protocol';
import { useT } from '../i18n';

export function SubmitDialog(props: {
  questions: CandidateQuestion[];
  answers: Record<number, number[]>;
  canSubmitAfterMs: number;
  onCancel: () => void;
  onConfirm: () => Promise<string | null>;
}) {
  const { t } = useT();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const openedAt = useRef(performance.now());
  const cancelRef = useRef<HTMLButtonElement>(null);
  useEffect(() => cancelRef.current?.focus(), []);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && props.onCancel();
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [props]);

  const unanswered = props.questions
    .filter((q) => (props.answers[q.position] ?? []).length === 0)
    .map((q) => q.position);
  const waitMs = props.canSubmitAfterMs - (performance.now() - openedAt.current);

  return (
    <div className="dialog-backdrop">
      <div
        className="dialog"
        role="alertdialog"
        aria-modal="true"
        aria-labelledby="confirm-title"
        data-testid="submit-dialog"
      >
        <h2 id="confirm-title">{t('confirm.title')}</h2>
        {unanswered.length === 0 ? (
          <p>{t('confirm.allAnswered', { n: props.questions.length })}</p>
        ) : (
          <p className="warn" data-testid="unanswered">
            {t('confirm.unanswered', { count: unanswered.length, list: unanswered.join('、') })}
          </p>
        )}
        <p>{t('confirm.warning')}</p>
        {waitMs > 0 && (
          <p className="warn">
            {t('exam.submitTooEarly', {
              m: Math.ceil(props.canSubmitAfterMs / 60_000),
              s: `${Math.ceil(waitMs / 60_000)} min`,
            })}
          </p>
        )}
        {error && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
        <div className="dialog-buttons">
          <button ref={cancelRef} className="big-button" onClick={props.onCancel}>
            {t('confirm.no')}
          </button>
          <button
            className="big-button danger"
            data-testid="confirm-submit"
            disabled={busy}
            onClick={async () => {
              setBusy(true);
              setError(await props.onConfirm());
              setBusy(false);
            }}
          >
            {t('confirm.yes')}
          </button>
        </div>
      </div>
    </div>
  );
}
