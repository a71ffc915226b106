import { useEffect, useState } from 'react';
import type { PracticeItemsResponse } from '../../../server/src/protocol';
import { api } from '../api';
import { useT } from '../i18n';
import { QuestionPanel } from './QuestionPanel';

const PRACTICE_COUNT = 10;

/**
 * 模拟练习: a few practice-pool questions on the real exam screen, so that people who rarely use computers
 * learn to choose, change and move on before the clock starts. Nothing here is saved or scored.
 */
export function PracticeScreen({ token, category, onExit }: { token: string; category: string; onExit: () => void }) {
  const { t } = useT();
  const [data, setData] = useState<PracticeItemsResponse | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [current, setCurrent] = useState(1);
  const [answers, setAnswers] = useState<Record<number, number[]>>({});
  const [checked, setChecked] = useState<Record<number, boolean>>({});

  useEffect(() => {
    api<PracticeItemsResponse>(`/practice/${category}/items`, { token })
      .then((d) => setData({ ...d, items: d.items.slice(0, PRACTICE_COUNT) }))
      .catch((err: unknown) => setError(err instanceof Error ? err.message : String(err)));
  }, [token, category]);

  if (error) return <p className="center-card error">{error}</p>;
  if (!data) return <p className="center-card">{t('common.loading')}</p>;
  const item = data.items[current - 1];
  if (!item) return <p className="center-card">{t('practice.empty')}</p>;
  const choice = answers[current] ?? [];
  const right = choice.length === item.answer.length && choice.every((c) => item.answer.includes(c));

  return (
    <div className="practice">
      <div className="practice-banner" role="note">
        {t('practice.banner')}
        <button className="big-button" onClick={onExit}>
          {t('practice.exit')}
        </button>
      </div>
      <QuestionPanel
        question={{ position: current, type: item.type, stem: item.stem, options: item.options }}
        total={data.items.length}
        choice={choice}
        saveState={undefined}
        flagged={false}
        keyboardEnabled
        onChoose={(c) => {
          setAnswers({ ...answers, [current]: c });
          setChecked({ ...checked, [current]: false });
        }}
        onFlag={() => undefined}
        onMove={(d) => setCurrent((c) => Math.min(data.items.length, Math.max(1, c + d)))}
      />
      <div className="practice-check">
        <button
          className="big-button primary"
          disabled={choice.length === 0}
          onClick={() => setChecked({ ...checked, [current]: true })}
        >
          {t('practice.check')}
        </button>
        {checked[current] && (
          <p className={right ? 'verdict pass' : 'verdict fail'} role="status">
            {right ? t('practice.right') : t('practice.wrong')}
            {item.explanation && <span className="explanation">{item.explanation}</span>}
          </p>
        )}
      </div>
    </div>
  );
}
