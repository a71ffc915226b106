import { useEffect, useRef, useState } from 'react';
import type { CandidateQuestion } from '../../../server/src/protocol';
import { useT } from '../i18n';
import type { SaveState } from './exam-connection';

export function AnswerCard(props: {
  questions: CandidateQuestion[];
  answers: Record<number, number[]>;
  /** Per question: saved on the server, or still waiting for its acknowledgement (issue 16). */
  saveState?: Record<number, SaveState>;
  flags: Set<number>;
  current: number;
  onGo: (position: number) => void;
  onSubmit: () => void;
}) {
  const { t } = useT();
  const answered = props.questions.filter((q) => (props.answers[q.position] ?? []).length > 0).length;
  const cellsRef = useRef<HTMLDivElement>(null);
  // Say in words that the card goes on: a scroll bar alone is easy to miss (or hidden until hovered).
  const [moreBelow, setMoreBelow] = useState(false);
  const measure = () => {
    const el = cellsRef.current;
    if (el) setMoreBelow(el.scrollTop + el.clientHeight < el.scrollHeight - 2);
  };
  // 100 questions do not fit on a 1366×768 screen: keep the current one in view as the candidate moves on,
  // scrolling the card only (scrollIntoView would also scroll the page under the candidate's eyes).
  const current = props.current;
  useEffect(() => {
    const box = cellsRef.current;
    const cell = box?.querySelector<HTMLElement>(`[data-position="${current}"]`);
    if (!box || !cell) return;
    const top = cell.offsetTop - box.offsetTop;
    if (top < box.scrollTop) box.scrollTop = top - 4;
    else if (top + cell.offsetHeight > box.scrollTop + box.clientHeight)
      box.scrollTop = top + cell.offsetHeight - box.clientHeight + 4;
    measure();
  }, [current]);
  useEffect(() => {
    measure();
    addEventListener('resize', measure);
    return () => removeEventListener('resize', measure);
  }, [props.questions.length]);
  return (
    <aside className="answer-card" aria-label={t('exam.card')}>
      <h3>
        {t('exam.card')}{' '}
        <small>
          {answered} / {props.questions.length}
        </small>
      </h3>
      <ul className="legend">
        <li className="cell answered">{t('exam.card.answered')}</li>
        <li className="cell">{t('exam.card.unanswered')}</li>
        <li className="cell flagged">{t('exam.card.flagged')}</li>
        <li className="cell answered pending">{t('exam.card.pending')}</li>
      </ul>
      <div className="cells" ref={cellsRef} data-testid="answer-cells" tabIndex={-1} onScroll={measure}>
        {props.questions.map((q) => {
          const isAnswered = (props.answers[q.position] ?? []).length > 0;
          // An answer waiting for the server's acknowledgement must not look saved (dashed, marked, labelled).
          const state = props.saveState?.[q.position];
          const pending = state === 'saving' || state === 'failed';
          const cls = [
            'cell',
            isAnswered ? 'answered' : '',
            pending ? 'pending' : '',
            props.flags.has(q.position) ? 'flagged' : '',
            q.position === props.current ? 'current' : '',
          ]
            .filter(Boolean)
            .join(' ');
          const status = pending
            ? t('exam.card.pending')
            : isAnswered
              ? t('exam.card.answered')
              : t('exam.card.unanswered');
          return (
            <button
              key={q.position}
              className={cls}
              data-position={q.position}
              aria-label={`${t('exam.question', { n: q.position })} ${status}`}
              aria-current={q.position === props.current}
              onClick={() => props.onGo(q.position)}
            >
              {q.position}
              {pending && (
                <span className="pending-mark" aria-hidden="true">
                  …
                </span>
              )}
            </button>
          );
        })}
      </div>
      {moreBelow && (
        <p className="cells-more" data-testid="cells-more">
          {t('exam.card.more')}
        </p>
      )}
      <button className="big-button submit" data-testid="submit" onClick={props.onSubmit}>
        {t('exam.submit')}
      </button>
    </aside>
  );
}
