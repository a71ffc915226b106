import { useState } from 'react';
import { api } from '../../api';
import { useT } from '../../i18n';
import { navigate } from '../use-route';

/**
 * Session-page actions of planning and of the running exam: random seats and scheduling before sealing,
 * printouts, and the chief examiner's pause / resume / close with a recorded reason.
 */
export function PlanningBar({
  token,
  sessionId,
  state,
  onChanged,
}: {
  token: string;
  sessionId: number;
  state: string;
  onChanged: () => void;
}) {
  const en = useT().lang === 'en';
  const [error, setError] = useState<string | null>(null);
  const act = async (path: string, body: unknown = {}, confirmText?: string) => {
    if (confirmText && !window.confirm(confirmText)) return;
    setError(null);
    try {
      await api(`/sessions/${sessionId}/${path}`, { token, body });
      onChanged();
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    }
  };
  const withReason = (path: string, question: string) => {
    const reason = window.prompt(question);
    if (reason) void act(path, { reason });
  };
  const link = (path: string, label: string) => (
    <a
      href={path}
      onClick={(e) => {
        e.preventDefault();
        navigate(path);
      }}
    >
      {label}
    </a>
  );
  const base = `/staff/sessions/${sessionId}`;
  return (
    <div className="action-bar">
      {(state === 'draft' || state === 'scheduled') && (
        <button
          onClick={() =>
            void act(
              'seats/allocate',
              {},
              en ? 'Allocate seats at random? Existing seats are replaced.' : '随机重新排座？现有座位将被替换。',
            )
          }
        >
          {en ? 'Random seats' : '随机排座'}
        </button>
      )}
      {state === 'draft' && <button onClick={() => void act('schedule')}>{en ? 'Schedule' : '确认排期'}</button>}
      {state === 'running' && (
        <button
          onClick={() =>
            withReason(
              'pause',
              en ? 'Reason for pausing everyone (e.g. power failure):' : '全场暂停的原因（如：停电、网络故障）：',
            )
          }
        >
          {en ? 'Pause all' : '全场暂停'}
        </button>
      )}
      {state === 'paused' && (
        <button onClick={() => withReason('resume', en ? 'Reason for resuming:' : '恢复考试的说明：')}>
          {en ? 'Resume all' : '恢复考试'}
        </button>
      )}
      {(state === 'running' || state === 'paused') && (
        <button
          className="danger"
          onClick={() =>
            withReason(
              'close',
              en ? 'Close the exam and collect every paper. Reason:' : '结束考试并收取全部试卷。说明：',
            )
          }
        >
          {en ? 'Close exam' : '结束考试'}
        </button>
      )}
      {link(`${base}/seat-plan`, en ? 'Seat plan' : '座位表')}
      {link(`${base}/tickets`, en ? 'Admission tickets' : '准考证')}
      {error && <span className="error">{error}</span>}
    </div>
  );
}
