import type { CandidateQuestion } from '../../../server/src/protocol';
import { useT } from '../i18n';

export function AnswerCard(props: {
  questions: CandidateQuestion[];
  answers: Record<number, number[]>;
  flags: Set<number>;
  current: number;
  onGo: (position: number) => void;
  onSubmit: () => void;
}) {
  const { t } = useT();
  const answered = props.questions.filter((q) => (props.answers[q.position] ?? []).length > 0).length;
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
      </ul>
      <div className="cells">
        {props.questions.map((q) => {
          const isAnswered = (props.answers[q.position] ?? []).length > 0;
          const cls = [
            'cell',
            isAnswered ? 'answered' : '',
            props.flags.has(q.position) ? 'flagged' : '',
            q.position === props.current ? 'current' : '',
          ]
            .filter(Boolean)
            .join(' ');
          return (
            <button
              key={q.position}
              className={cls}
              aria-label={`${t('exam.question', { n: q.position })} ${isAnswered ? t('exam.card.answered') : t('exam.card.unanswered')}`}
              aria-current={q.position === props.current}
              onClick={() => props.onGo(q.position)}
            >
              {q.position}
            </button>
          );
        })}
      </div>
      <button className="big-button submit" data-testid="submit" onClick={props.onSubmit}>
        {t('exam.submit')}
      </button>
    </aside>
  );
}
