import { describe, expect, it } from 'vitest';
import { itemAnalysisSettingsSchema } from './grading-settings';
import { itemStatistics, passRateChanges, scoreHistogram, type ResponseRow } from './item-analysis';

const settings = itemAnalysisSettingsSchema.parse({ minResponses: 4 });
const row = (
  registrationId: number,
  itemHash: string,
  totalScore: number,
  correct: boolean,
  chosen: number[],
): ResponseRow => ({
  itemHash,
  registrationId,
  totalScore,
  points: correct ? 1 : 0,
  correct,
  chosen,
  optionCount: 4,
});

describe('itemStatistics', () => {
  it('computes difficulty, distractor counts and blanks', () => {
    const rows = [
      row(1, 'a', 90, true, [2]),
      row(2, 'a', 80, true, [2]),
      row(3, 'a', 40, false, [0]),
      row(4, 'a', 30, false, []),
    ];
    const [s] = itemStatistics(rows, settings);
    expect(s).toMatchObject({
      itemHash: 'a',
      n: 4,
      difficulty: 0.5,
      optionCounts: [1, 0, 2, 0],
      blank: 1,
      upperLower: 1,
    });
    expect(s!.pointBiserial).toBeGreaterThan(0.9);
    expect(s!.flags).toEqual([]);
  });

  it('matches a hand-computed point-biserial on the rest score', () => {
    // rest scores: 9, 7 (correct); 5, 3 (wrong). mean 6, population sd √5, p = .5 → r = (8 − 4)/√5 · .5
    const rows = [
      row(1, 'x', 10, true, [0]),
      row(2, 'x', 8, true, [0]),
      row(3, 'x', 5, false, [1]),
      row(4, 'x', 3, false, [1]),
    ];
    expect(itemStatistics(rows, settings)[0]!.pointBiserial).toBeCloseTo(2 / Math.sqrt(5), 4);
  });

  it('flags too easy, too hard and negatively discriminating items', () => {
    const easy = [1, 2, 3, 4, 5].map((i) => row(i, 'easy', 50 + i, true, [0]));
    const hard = [1, 2, 3, 4, 5].map((i) => row(i, 'hard', 50 + i, false, [1]));
    // the weakest candidates get it right, the strongest wrong
    const reversed = [
      row(1, 'rev', 95, false, [1]),
      row(2, 'rev', 90, false, [1]),
      row(3, 'rev', 30, true, [0]),
      row(4, 'rev', 20, true, [0]),
    ];
    const flags = Object.fromEntries(
      itemStatistics([...easy, ...hard, ...reversed], settings).map((s) => [s.itemHash, s.flags]),
    );
    expect(flags).toEqual({ easy: ['too-easy'], hard: ['too-hard'], rev: ['negative-discrimination'] });
  });

  it('raises no flag below the minimum number of responses, and null statistics without variance', () => {
    const [s] = itemStatistics([row(1, 'a', 50, true, [0]), row(2, 'a', 60, true, [0])], settings);
    expect(s).toMatchObject({ flags: [], pointBiserial: null, upperLower: null, difficulty: 1 });
  });
});

describe('scoreHistogram', () => {
  it('bins scores by ten with 100 in the last bin', () => {
    const h = scoreHistogram([0, 9.5, 10, 69.99, 70, 100]);
    expect(h).toHaveLength(10);
    expect(h.map((b) => b.count)).toEqual([2, 1, 0, 0, 0, 0, 1, 1, 0, 1]);
  });
});

describe('passRateChanges', () => {
  it('flags a session whose pass rate is far from the same group’s earlier sessions', () => {
    const s = (sessionId: number, passed: number, group = 'org-1') => ({
      sessionId,
      sessionCode: `S${sessionId}`,
      at: sessionId,
      group,
      candidates: 20,
      passed,
    });
    const rows = passRateChanges(
      [s(1, 16), s(2, 17), s(3, 15), s(4, 4), s(5, 16, 'org-2')],
      itemAnalysisSettingsSchema.parse({}),
    );
    const byId = new Map(rows.map((r) => [r.sessionId, r]));
    expect(byId.get(1)).toMatchObject({ baseline: null, z: null, suddenChange: false });
    expect(byId.get(3)!.suddenChange).toBe(false);
    expect(byId.get(4)!.suddenChange).toBe(true);
    expect(byId.get(4)!.z!).toBeLessThan(-2);
    expect(byId.get(5)).toMatchObject({ baseline: null, suddenChange: false });
  });
});
