import type { ItemAnalysisSettings } from './grading-settings';

/** One candidate's response to one item, as stored at grading (graded_responses joined with the result). */
export type ResponseRow = {
  itemHash: string;
  registrationId: number;
  totalScore: number; // the candidate's score on the whole paper
  points: number; // points this item gave
  correct: boolean;
  chosen: number[]; // chosen options as indexes of the bank item (original order)
  optionCount: number;
};

export type ItemFlag = 'too-easy' | 'too-hard' | 'negative-discrimination';

export type ItemStats = {
  itemHash: string;
  n: number;
  difficulty: number; // p: proportion correct
  pointBiserial: number | null; // r_pb of correct vs. rest score (total minus this item), null when undefined
  upperLower: number | null; // D = p(upper 27 %) − p(lower 27 %) by total score, null when < 4 responses
  optionCounts: number[]; // how often each original option was chosen (key and distractors)
  blank: number;
  flags: ItemFlag[];
};

/**
 * Classical item statistics. Discrimination uses both the point-biserial correlation with the *rest* score
 * (the item's own points removed, so an item does not correlate with itself) and Kelley's upper–lower 27 % index.
 * Flags need `minResponses`; a statistic that cannot be computed (no variance) raises no flag.
 */
export function itemStatistics(rows: readonly ResponseRow[], settings: ItemAnalysisSettings): ItemStats[] {
  const byItem = new Map<string, ResponseRow[]>();
  for (const r of rows) {
    const list = byItem.get(r.itemHash);
    if (list) list.push(r);
    else byItem.set(r.itemHash, [r]);
  }
  const out: ItemStats[] = [];
  for (const [itemHash, list] of byItem) out.push(statsOf(itemHash, list, settings));
  return out.sort((a, b) => (a.itemHash < b.itemHash ? -1 : a.itemHash > b.itemHash ? 1 : 0));
}

function statsOf(itemHash: string, list: ResponseRow[], settings: ItemAnalysisSettings): ItemStats {
  const n = list.length;
  let right = 0;
  let blank = 0;
  const optionCounts = new Array<number>(Math.max(0, ...list.map((r) => r.optionCount))).fill(0);
  // Point-biserial in one pass: r = (M1 − M0) / s · √(p q), s the population SD of the rest score.
  let sum = 0;
  let sumSq = 0;
  let sumRight = 0;
  for (const r of list) {
    const rest = r.totalScore - r.points;
    sum += rest;
    sumSq += rest * rest;
    if (r.correct) {
      right++;
      sumRight += rest;
    }
    if (r.chosen.length === 0) blank++;
    for (const c of r.chosen) if (c >= 0 && c < optionCounts.length) optionCounts[c] = (optionCounts[c] ?? 0) + 1;
  }
  const p = right / n;
  const mean = sum / n;
  const sd = Math.sqrt(Math.max(0, sumSq / n - mean * mean));
  let pointBiserial: number | null = null;
  if (right > 0 && right < n && sd > 1e-12) {
    const m1 = sumRight / right;
    const m0 = (sum - sumRight) / (n - right);
    pointBiserial = round4(((m1 - m0) / sd) * Math.sqrt(p * (1 - p)));
  }
  let upperLower: number | null = null;
  if (n >= 4) {
    const k = Math.max(1, Math.round(n * 0.27));
    // ties broken by registration id so the index is the same on every run
    const sorted = [...list].sort((a, b) => b.totalScore - a.totalScore || a.registrationId - b.registrationId);
    const pu = sorted.slice(0, k).filter((r) => r.correct).length / k;
    const pl = sorted.slice(n - k).filter((r) => r.correct).length / k;
    upperLower = round4(pu - pl);
  }
  const flags: ItemFlag[] = [];
  if (n >= settings.minResponses) {
    if (p > settings.tooEasyAbove) flags.push('too-easy');
    if (p < settings.tooHardBelow) flags.push('too-hard');
    const disc = [pointBiserial, upperLower].filter((x): x is number => x !== null);
    if (disc.some((d) => d < settings.minDiscrimination)) flags.push('negative-discrimination');
  }
  return { itemHash, n, difficulty: round4(p), pointBiserial, upperLower, optionCounts, blank, flags };
}

const round4 = (x: number) => Math.round(x * 10_000) / 10_000;

/** Counts of scores in bins of `width` points; the last bin includes the maximum (90–100). */
export function scoreHistogram(
  scores: readonly number[],
  max = 100,
  width = 10,
): { from: number; to: number; count: number }[] {
  const bins = Math.ceil(max / width);
  const counts = new Array<number>(bins).fill(0);
  for (const s of scores) {
    const i = Math.min(bins - 1, Math.max(0, Math.floor(s / width)));
    counts[i] = (counts[i] ?? 0) + 1;
  }
  return counts.map((count, i) => ({ from: i * width, to: Math.min(max, (i + 1) * width), count }));
}

export type SessionOutcome = {
  sessionId: number;
  sessionCode: string;
  at: number;
  group: string;
  candidates: number;
  passed: number;
};

export type PassRateRow = SessionOutcome & {
  rate: number;
  baseline: { candidates: number; rate: number } | null;
  z: number | null;
  suddenChange: boolean;
};

/**
 * Pass rate per (group, session) in time order, each compared with the same group's earlier sessions pooled.
 * Statistic: the two-proportion z-test with a pooled proportion, z = (p − p₀) / √(p̄(1−p̄)(1/n + 1/n₀)); a
 * |z| above `suddenChangeZ` (default 2 standard errors) is flagged, since a sudden rise or fall in a training
 * organisation's pass rate is one of the fraud signals in domain.md (stolen identities registered to fail).
 */
export function passRateChanges(rows: readonly SessionOutcome[], settings: ItemAnalysisSettings): PassRateRow[] {
  const byGroup = new Map<string, SessionOutcome[]>();
  for (const r of rows) {
    const list = byGroup.get(r.group);
    if (list) list.push(r);
    else byGroup.set(r.group, [r]);
  }
  const out: PassRateRow[] = [];
  for (const list of byGroup.values()) {
    list.sort((a, b) => a.at - b.at || a.sessionId - b.sessionId);
    let n0 = 0;
    let x0 = 0;
    for (const r of list) {
      const rate = r.candidates ? r.passed / r.candidates : 0;
      let z: number | null = null;
      const enough = n0 >= settings.suddenChangeMinCandidates && r.candidates >= settings.suddenChangeMinCandidates;
      if (enough) {
        const pooled = (x0 + r.passed) / (n0 + r.candidates);
        const se = Math.sqrt(pooled * (1 - pooled) * (1 / r.candidates + 1 / n0));
        z = se > 0 ? round4((rate - x0 / n0) / se) : 0;
      }
      out.push({
        ...r,
        rate: round4(rate),
        baseline: n0 ? { candidates: n0, rate: round4(x0 / n0) } : null,
        z,
        suddenChange: z !== null && Math.abs(z) > settings.suddenChangeZ,
      });
      n0 += r.candidates;
      x0 += r.passed;
    }
  }
  return out.sort((a, b) => (a.group < b.group ? -1 : a.group > b.group ? 1 : a.at - b.at));
}
