import { useState, type ReactNode } from 'react';
import { useT } from '../../i18n';
import './components.css';

/**
 * The console's one confirmation for consequential actions (issue 16): the button opens a dialog that says
 * what will happen, with the numbers; an optional recorded reason; and for an irreversible action the
 * person types a phrase (e.g. 结束考试) before the confirm button unlocks — a stray click under stress
 * cannot end an exam.
 */
export function ConfirmAction(props: {
  /** The button's text. */
  label: string;
  title: string;
  /** What the action will do, with numbers ("还有 3 人未交卷，将自动交卷"). */
  consequence: ReactNode;
  /** Irreversible: the person must type this phrase. */
  phrase?: string;
  /** Ask for a reason (recorded in the event log); required when given. */
  reasonLabel?: string;
  danger?: boolean;
  disabled?: boolean;
  testId?: string;
  className?: string;
  onConfirm: (reason: string) => Promise<void> | void;
}) {
  const en = useT().lang === 'en';
  const [open, setOpen] = useState(false);
  const [typed, setTyped] = useState('');
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const ready = (!props.phrase || typed.trim() === props.phrase) && (!props.reasonLabel || reason.trim().length > 0);
  const close = () => {
    setOpen(false);
    setTyped('');
    setReason('');
  };
  return (
    <>
      <button
        type="button"
        className={props.className ?? (props.danger ? 'danger' : undefined)}
        disabled={props.disabled}
        data-testid={props.testId}
        onClick={() => setOpen(true)}
      >
        {props.label}
      </button>
      {open && (
        <div className="confirm-backdrop" onClick={close}>
          <div
            role="dialog"
            aria-modal="true"
            aria-labelledby="confirm-title"
            className={`confirm-dialog ${props.danger ? 'danger' : ''}`}
            data-testid={props.testId ? `${props.testId}-dialog` : 'confirm-dialog'}
            onClick={(e) => e.stopPropagation()}
            onKeyDown={(e) => e.key === 'Escape' && close()}
          >
            <h2 id="confirm-title">{props.title}</h2>
            <div className="confirm-consequence">{props.consequence}</div>
            {props.reasonLabel && (
              <label>
                {props.reasonLabel}
                <textarea
                  name="confirm-reason"
                  rows={2}
                  value={reason}
                  autoFocus
                  onChange={(e) => setReason(e.target.value)}
                />
              </label>
            )}
            {props.phrase && (
              <label>
                {en ? `Type “${props.phrase}” to confirm` : `请输入“${props.phrase}”以确认`}
                <input
                  name="confirm-phrase"
                  value={typed}
                  autoComplete="off"
                  autoFocus={!props.reasonLabel}
                  onChange={(e) => setTyped(e.target.value)}
                />
              </label>
            )}
            <div className="confirm-buttons">
              <button type="button" onClick={close}>
                {en ? 'Cancel' : '取消'}
              </button>
              <button
                type="button"
                className={props.danger ? 'danger solid' : 'primary'}
                disabled={!ready || busy}
                data-testid="confirm-yes"
                onClick={() => {
                  setBusy(true);
                  void Promise.resolve(props.onConfirm(reason.trim())).finally(() => {
                    setBusy(false);
                    close();
                  });
                }}
              >
                {props.label}
              </button>
            </div>
          </div>
        </div>
      )}
    </>
  );
}
