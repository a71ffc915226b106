import { describe, expect, it } from 'vitest';
import { reExamPolicySchema, type ReExamPolicy } from './grading-settings';
import { checkReExamEligibility, type ExamHistoryEntry } from './reexam';

const policy = reExamPolicySchema.parse({});
let nextId = 1;
const h = (date: string, outcome: ExamHistoryEntry['outcome'], category = 'N1'): ExamHistoryEntry => ({
  registrationId: nextId++,
  category,
  date,
  outcome,
});

describe('checkReExamEligibility', () => {
  const cases: {
    name: string;
    history: ExamHistoryEntry[];
    date: string;
    category?: string;
    policy?: Partial<ReExamPolicy>;
    rules: string[];
  }[] = [
    { name: 'first exam, no history', history: [], date: '2026-11-25', rules: [] },
    {
      name: 'history in another category only',
      history: [h('2026-11-01', 'failed', 'G1')],
      date: '2026-11-25',
      rules: [],
    },
    { name: 'one re-exam after a failure', history: [h('2026-11-01', 'failed')], date: '2026-11-25', rules: [] },
    {
      name: 'second re-exam refused',
      history: [h('2026-06-01', 'failed'), h('2026-07-01', 'failed')],
      date: '2026-11-25',
      rules: ['max-reexams-used'],
    },
    {
      name: 'two re-exams allowed by policy',
      history: [h('2026-06-01', 'failed'), h('2026-07-01', 'failed')],
      date: '2026-11-25',
      policy: { maxReExams: 2 },
      rules: [],
    },
    { name: 'same day refused', history: [h('2026-11-25', 'failed')], date: '2026-11-25', rules: ['not-same-day'] },
    {
      name: 'same day allowed when the policy says so',
      history: [h('2026-11-25', 'failed')],
      date: '2026-11-25',
      policy: { notSameDay: false },
      rules: [],
    },
    { name: 'last day of the window allowed', history: [h('2025-11-25', 'failed')], date: '2026-11-25', rules: [] },
    {
      name: 'after the window refused',
      history: [h('2025-11-25', 'failed')],
      date: '2026-11-26',
      rules: ['reexam-window-expired'],
    },
    {
      name: 'missed exam: no re-exam',
      history: [h('2026-11-01', 'absent')],
      date: '2026-11-25',
      rules: ['no-reexam-after-absence'],
    },
    {
      name: 'missed exam allowed when the policy says so',
      history: [h('2026-11-01', 'absent')],
      date: '2026-11-25',
      policy: { noReExamAfterAbsence: false },
      rules: [],
    },
    {
      name: 'category without re-exam',
      history: [h('2026-11-01', 'failed', 'A')],
      date: '2026-11-25',
      category: 'A',
      policy: { categoriesWithoutReExam: ['A'] },
      rules: ['category-without-reexam'],
    },
    {
      name: 'category without re-exam, first exam still allowed',
      history: [],
      date: '2026-11-25',
      category: 'A',
      policy: { categoriesWithoutReExam: ['A'] },
      rules: [],
    },
    {
      name: 'a pass starts a new cycle',
      history: [h('2022-01-10', 'failed'), h('2022-02-10', 'failed'), h('2022-03-10', 'passed')],
      date: '2026-11-25',
      rules: [],
    },
    {
      name: 'pending result refused',
      history: [h('2026-11-20', 'pending')],
      date: '2026-11-25',
      rules: ['result-pending'],
    },
    {
      name: 'several rules at once',
      history: [h('2025-01-01', 'failed'), h('2026-11-25', 'failed')],
      date: '2026-11-25',
      rules: ['not-same-day', 'max-reexams-used', 'reexam-window-expired'],
    },
  ];
  it.each(cases)('$name', ({ history, date, category, policy: override, rules }) => {
    const v = checkReExamEligibility(history, { ...policy, ...override }, date, category ?? 'N1');
    expect(v.map((x) => x.rule)).toEqual(rules);
    for (const x of v) expect(x.message).toMatch(/[\u4e00-\u9fff]/);
  });
});
