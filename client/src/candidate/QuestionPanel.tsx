import { useEffect } from 'react';
import type { CandidateQuestion } from '../../../server/src/protocol';
import { useT } from '../i18n';
import type { SaveState } from './exam-connection';

const LETTERS = 'ABCDEF';

function readAloud(q: CandidateQuestion) {
  if (!('speechSynthesis' in window)) return;
  window.speechSynthesis.cancel();
  const text = [q.stem, ...q.options.map((o, i) => (q.type === 'judge' ? o : `${LETTERS[i]}，${o}`))].join('。');
  const u = new SpeechSynthesisUtterance(text);
  u.lang = 'zh-CN';
  u.rate = 0.9;
  window.speechSynthesis.speak(u);
}

export function QuestionPanel(props: {
  question: CandidateQuestion;
  total: number;
  choice: number[];
  saveState: SaveState | undefined;
  flagged: boolean;
  keyboardEnabled: boolean;
  onChoose: (choice: number[]) => void;
  onFlag: () => void;
  onMove: (delta: number) => void;
}) {
  const { t } = useT();
  const { question: q, choice } = props;
  const multi = q.type === 'multi';

  const choose = (index: number) => {
    if (multi) props.onChoose(choice.includes(index) ? choice.filter((c) => c !== index) : [...choice, index].sort());
    else props.onChoose([index]);
  };

  useEffect(() => {
    if (!props.keyboardEnabled) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.ctrlKey || e.altKey || e.metaKey || (e.target as HTMLElement).tagName === 'INPUT') return;
      const key = e.key.toUpperCase();
      let index = -1;
      if (/^[1-6]$/.test(key)) index = Number(key) - 1;
      else if (LETTERS.includes(key) && key.length === 1) index = LETTERS.indexOf(key);
      if (index >= 0 && index < q.options.length) {
        e.preventDefault();
        choose(index);
      } else if (e.key === 'ArrowRight' || e.key === 'PageDown') props.onMove(1);
      else if (e.key === 'ArrowLeft' || e.key === 'PageUp') props.onMove(-1);
      else if (key === 'M') props.onFlag();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  });

  const saveLabel =
    props.saveState === 'saved'
      ? t('exam.saved')
      : props.saveState === 'saving'
        ? t('exam.saving')
        : props.saveState === 'failed'
          ? t('exam.saveFailed')
          : '';

  return (
    <section className="question" aria-labelledby="question-title">
      <header className="question-head">
        <h2 id="question-title">
          {t('exam.question', { n: q.position })} <small>{t('exam.of', { n: props.total })}</small>
        </h2>
        <span className={`type-tag type-${q.type}`}>{t(`exam.type.${q.type}`)}</span>
        <span className={`save-state ${props.saveState ?? ''}`} data-testid="save-state" aria-live="polite">
          {saveLabel}
        </span>
      </header>
      <p className="stem">{q.stem}</p>
      <div className="options" role={multi ? 'group' : 'radiogroup'} aria-labelledby="question-title">
        {q.options.map((option, i) => {
          const selected = choice.includes(i);
          return (
            <button
              key={i}
              type="button"
              role={multi ? 'checkbox' : 'radio'}
              aria-checked={selected}
              className={`option ${selected ? 'selected' : ''}`}
              data-testid={`option-${i}`}
              onClick={() => choose(i)}
            >
              <span className="letter">{q.type === 'judge' ? (i === 0 ? '√' : '×') : LETTERS[i]}</span>
              <span className="text">{option}</span>
            </button>
          );
        })}
      </div>
      <footer className="question-nav">
        <button className="big-button" onClick={() => props.onMove(-1)} disabled={q.position === 1}>
          ← {t('exam.prev')}
        </button>
        <button
          className={`big-button ${props.flagged ? 'flagged' : ''}`}
          onClick={props.onFlag}
          aria-pressed={props.flagged}
        >
          ⚑ {props.flagged ? t('exam.unflag') : t('exam.flag')}
        </button>
        <button className="big-button" onClick={() => readAloud(q)}>
          {t('exam.readAloud')}
        </button>
        <button
          className="big-button primary"
          data-testid="next"
          onClick={() => props.onMove(1)}
          disabled={q.position === props.total}
        >
          {t('exam.next')} →
        </button>
      </footer>
    </section>
  );
}
