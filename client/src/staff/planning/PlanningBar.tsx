import { useState } from 'react';
import { api } from '../../api';
import { useT } from '../../i18n';
import { ConfirmAction } from '../components/ConfirmAction';
import { navigate } from '../use-route';

/**
 * Session-page actions of planning and of the running exam: random seats and scheduling before sealing,
 * printouts, and the chief examiner's pause / resume / close with a recorded reason — close set apart and
 * confirmed by typing, with the number of papers it will submit.
 */
export function PlanningBar({
  token,
  sessionId,
  state,
  counts,
  onChanged,
}: {
  token: string;
  sessionId: number;
  state: string;
  /** Roster counts for the confirmations (who would be submitted by a close). */
  counts?: { registered: number; submitted: number; answering: number; absent: number };
  onChanged: () => void;
}) {
  const en = useT().lang === 'en';
  const [error, setError] = useState<string | null>(null);
  const { registered = 0, submitted = 0, answering = 0, absent = 0 } = counts ?? {};
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
        <ConfirmAction
          label={en ? 'Pause all' : '全场暂停'}
          title={en ? 'Pause every candidate' : '全场暂停'}
          consequence={
            en
              ? `Every candidate's clock stops (${answering} answering now); the time is given back on resume.`
              : `全部考生停止计时（正在答题 ${answering} 人），恢复后时间照常补回。`
          }
          reasonLabel={en ? 'Reason (recorded in the log), e.g. power failure' : '原因（记入日志），如：停电、网络故障'}
          testId="pause-all"
          onConfirm={(reason) => act('pause', { reason })}
        />
      )}
      {state === 'paused' && (
        <ConfirmAction
          label={en ? 'Resume all' : '恢复考试'}
          title={en ? 'Resume the exam' : '恢复考试'}
          consequence={en ? 'Every candidate’s clock runs again.' : '全部考生恢复计时。'}
          reasonLabel={en ? 'Note (recorded in the log)' : '说明（记入日志）'}
          testId="resume-all"
          onConfirm={(reason) => act('resume', { reason })}
        />
      )}
      {link(`${base}/seat-plan`, en ? 'Seat plan' : '座位表')}
      {link(`${base}/tickets`, en ? 'Admission tickets' : '准考证')}
      {error && <span className="error">{error}</span>}
      {(state === 'running' || state === 'paused') && (
        <span className="danger-zone">
          <span className="hint">{en ? 'cannot be undone' : '不可撤销'}</span>
          <ConfirmAction
            danger
            label={en ? 'Close exam' : '结束考试'}
            title={en ? 'Close the exam for everyone' : '结束考试（全场）'}
            consequence={
              <>
                <p>
                  {en
                    ? `${answering} of ${registered} candidates have not submitted: their papers are submitted now, as they stand.`
                    : `结束考试：还有 ${answering} 人未交卷，将自动交卷（共 ${registered} 人，已交卷 ${submitted} 人）。`}
                </p>
                {absent > 0 && (
                  <p>
                    {en
                      ? `${absent} have not started and can no longer start.`
                      : `另有 ${absent} 人尚未开始答题，结束后不能再开考。`}
                  </p>
                )}
              </>
            }
            phrase={en ? 'close exam' : '结束考试'}
            reasonLabel={en ? 'Reason (recorded in the log)' : '原因（记入日志）'}
            testId="close-exam"
            onConfirm={(reason) => act('close', { reason })}
          />
        </span>
      )}
    </div>
  );
}
