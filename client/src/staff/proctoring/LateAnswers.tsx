import type { LateAnswerView } from '../../../../server/src/protocol';
import { formatClock } from '../../time-format';
import { useApi } from '../use-api';

const LETTERS = 'ABCDEF';

/**
 * Saves refused after time was up or after submission (issue 13 hole 8), for one seat: never graded, shown
 * so the proctor can see what a browser that was offline at zero still tried to send.
 */
export function LateAnswers(props: {
  token: string;
  sessionId: number;
  registrationId: number;
  en: boolean;
  onExpired: () => void;
}) {
  const L = (zh: string, e: string) => (props.en ? e : zh);
  const { data } = useApi<{ lateAnswers: LateAnswerView[] }>(
    `/proctoring/sessions/${props.sessionId}/late-answers`,
    props.token,
    props.onExpired,
  );
  const mine = data?.lateAnswers.filter((a) => a.registrationId === props.registrationId) ?? [];
  if (mine.length === 0) return null;
  return (
    <details className="meta" data-testid="late-answers">
      <summary>
        {L('迟到答案（未计分，留存备查）', 'Late answers (not graded, kept as evidence)')}: {mine.length}
      </summary>
      <ul>
        {mine.map((a) => (
          <li key={a.id}>
            {formatClock(a.receivedAt)} {L('第', 'Q')}
            {a.position}
            {L('题', '')} {a.choice.map((c) => LETTERS[c] ?? '?').join('') || '—'} #{a.seq}{' '}
            {a.reason === 'time-up' ? L('时间已到', 'time up') : L('已交卷', 'after submission')}{' '}
            <code title={a.choiceHash}>{a.choiceHash.slice(0, 12)}</code>
          </li>
        ))}
      </ul>
    </details>
  );
}
