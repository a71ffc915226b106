import { useEffect, useState } from 'react';
import type { GradingSettings } from '../../../../server/src/protocol';
import { api, ApiError } from '../../api';
import { useT } from '../../i18n';
import { useApi } from '../use-api';
import './grading.css';

type NumberField = { path: ['reExam' | 'itemAnalysis', string]; zh: string; en: string; step?: number };

const NUMBERS: NumberField[] = [
  { path: ['reExam', 'maxReExams'], zh: '补考次数上限', en: 'Re-exams allowed' },
  {
    path: ['reExam', 'withinDays'],
    zh: '补考期限（自首次考试起，天）',
    en: 'Re-exam window (days from the first exam)',
  },
  { path: ['itemAnalysis', 'tooEasyAbove'], zh: '过易：难度 p 高于', en: 'Too easy: p above', step: 0.01 },
  { path: ['itemAnalysis', 'tooHardBelow'], zh: '过难：难度 p 低于', en: 'Too hard: p below', step: 0.01 },
  {
    path: ['itemAnalysis', 'minDiscrimination'],
    zh: '区分度低于此值标记',
    en: 'Flag discrimination below',
    step: 0.01,
  },
  { path: ['itemAnalysis', 'minResponses'], zh: '作答数少于此值不标记', en: 'No flags under this many responses' },
  {
    path: ['itemAnalysis', 'suddenChangeZ'],
    zh: '合格率突变阈值（标准误倍数）',
    en: 'Pass-rate change threshold (standard errors)',
    step: 0.1,
  },
  {
    path: ['itemAnalysis', 'suddenChangeMinCandidates'],
    zh: '突变比较的最少考生数',
    en: 'Fewest candidates to compare',
  },
];

/** 补考 policy and item-analysis thresholds: every [analogy]/[default] number of domain.md is a setting. */
export function GradingSettingsPage({
  token,
  roles,
  onExpired,
}: {
  token: string;
  roles: string[];
  onExpired: () => void;
}) {
  const { lang } = useT();
  const en = lang === 'en';
  const { data, error } = useApi<GradingSettings>('/grading/settings', token, onExpired);
  const [draft, setDraft] = useState<GradingSettings | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  useEffect(() => setDraft(data), [data]);
  const admin = roles.includes('admin');
  if (error) return <p className="error">{error}</p>;
  if (!draft) return <p>…</p>;
  const setNumber = ([group, key]: NumberField['path'], value: number) =>
    setDraft({ ...draft, [group]: { ...draft[group], [key]: value } } as GradingSettings);
  return (
    <section className="panel grading-settings">
      <h1>{en ? 'Re-exam policy and item-analysis settings' : '补考规则与试题分析设置'}</h1>
      <p className="meta">
        {en
          ? 'Re-exam rules follow a comparable national rule [analogy]; thresholds are customary defaults. Only administrators may change them; each change is an event.'
          : '补考规则参照同类国家考试规定（类比），阈值为通行默认值；仅管理员可修改，每次修改均记录在日志中。'}
      </p>
      <form
        className="settings-grid"
        onSubmit={(e) => {
          e.preventDefault();
          setMessage(null);
          api<GradingSettings>('/grading/settings', { method: 'PUT', body: draft, token }).then(
            (saved) => {
              setDraft(saved);
              setMessage(en ? 'Saved.' : '已保存。');
            },
            (err: unknown) => {
              if (err instanceof ApiError && err.status === 401) onExpired();
              else setMessage(err instanceof Error ? err.message : String(err));
            },
          );
        }}
      >
        {NUMBERS.map((f) => (
          <label key={f.path.join('.')}>
            {en ? f.en : f.zh}
            <input
              type="number"
              step={f.step ?? 1}
              disabled={!admin}
              value={(draft[f.path[0]] as Record<string, number>)[f.path[1]]}
              onChange={(e) => setNumber(f.path, Number(e.target.value))}
            />
          </label>
        ))}
        <label className="inline">
          <input
            type="checkbox"
            disabled={!admin}
            checked={draft.reExam.notSameDay}
            onChange={(e) => setDraft({ ...draft, reExam: { ...draft.reExam, notSameDay: e.target.checked } })}
          />
          {en ? 'Not on the same day as the first exam' : '补考不得与原考试同一天'}
        </label>
        <label className="inline">
          <input
            type="checkbox"
            disabled={!admin}
            checked={draft.reExam.noReExamAfterAbsence}
            onChange={(e) =>
              setDraft({ ...draft, reExam: { ...draft.reExam, noReExamAfterAbsence: e.target.checked } })
            }
          />
          {en ? 'No re-exam after a missed exam' : '缺考者不予补考'}
        </label>
        <label>
          {en ? 'Categories without re-exam (comma separated, e.g. A)' : '不设补考的作业项目（逗号分隔，如 A）'}
          <input
            disabled={!admin}
            value={draft.reExam.categoriesWithoutReExam.join(',')}
            onChange={(e) =>
              setDraft({
                ...draft,
                reExam: {
                  ...draft.reExam,
                  categoriesWithoutReExam: e.target.value
                    .toUpperCase()
                    .split(/[,，\s]+/)
                    .filter(Boolean),
                },
              })
            }
          />
        </label>
        {admin && (
          <button type="submit" className="primary">
            {en ? 'Save' : '保存'}
          </button>
        )}
        {message && <p className="meta">{message}</p>}
      </form>
    </section>
  );
}
