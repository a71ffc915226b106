import { z } from 'zod';
import type { Paper } from '../papers/draw';
import type { Anomaly } from '../protocol';

/** Anomaly thresholds: all [default] choices (no source gives numbers), so settings (domain.md). */
export const anomalySettingsSchema = z
  .object({
    focusLossThreshold: z.number().int().min(1).default(5),
    // An answer saved less than this long after the previous one is "too fast to read" ...
    fastGapMs: z.number().int().min(100).default(3000),
    // ... and a run of at least this many such answers is flagged.
    fastRunLength: z.number().int().min(2).default(10),
    // Poisson upper-tail probability below which identical wrong answers are flagged.
    copyPValue: z.number().min(0).max(1).default(1e-4),
    // Fewer identical wrong answers than this are never flagged, however small the expectation.
    copyMinCount: z.number().int().min(1).default(3),
  })
  .strict();
export type AnomalySettings = z.infer<typeof anomalySettingsSchema>;

export const COPY_STATISTIC =
  'X = number of shared items (same bank item) on which both candidates gave the same wrong response (in bank option order). ' +
  'Under independence E = Σ over shared items of Σ over wrong responses w of p(w)², p(w) = share of the session answering the item with w. ' +
  'Flag when P(Poisson(E) ≥ X) < threshold.';

export type CandidateData = {
  registrationId: number;
  seatNo: number;
  name: string;
  paper: Paper | null;
  answers: Map<number, number[]>; // position → shown indexes
  saves: { at: number; position: number }[]; // answer.saved events, oldest first
  signals: number; // focus losses + fullscreen exits
};

/** P(X ≥ k) for X ~ Poisson(mean), summed in log space so large k stays finite. */
export function poissonUpperTail(k: number, mean: number): number {
  if (k <= 0) return 1;
  if (mean <= 0) return 0;
  let term = Math.exp(-mean); // P(X = 0)
  let below = term;
  for (let i = 1; i < k; i++) {
    term *= mean / i;
    below += term;
  }
  return Math.max(0, 1 - below);
}

const responseKey = (q: Paper['questions'][number], shown: number[]): string =>
  shown
    .map((i) => q.optionOrder[i] ?? -1)
    .sort((a, b) => a - b)
    .join(',');

type ItemResponse = { response: string; wrong: boolean };

export function detectAnomalies(candidates: CandidateData[], s: AnomalySettings): Anomaly[] {
  const out: Anomaly[] = [];
  for (const c of candidates) {
    if (c.signals >= s.focusLossThreshold)
      out.push({
        kind: 'focus-loss',
        registrationId: c.registrationId,
        seatNo: c.seatNo,
        name: c.name,
        count: c.signals,
        threshold: s.focusLossThreshold,
      });
    let run = 1;
    let runStart = c.saves[0]?.at ?? 0;
    let best: { run: number; from: number; to: number; maxGap: number } | null = null;
    let maxGap = 0;
    for (let i = 1; i < c.saves.length; i++) {
      const gap = (c.saves[i] as { at: number }).at - (c.saves[i - 1] as { at: number }).at;
      if (gap < s.fastGapMs) {
        run++;
        maxGap = Math.max(maxGap, gap);
        if (run >= s.fastRunLength && (!best || run > best.run))
          best = { run, from: runStart, to: (c.saves[i] as { at: number }).at, maxGap };
      } else {
        run = 1;
        maxGap = 0;
        runStart = (c.saves[i] as { at: number }).at;
      }
    }
    if (best)
      out.push({
        kind: 'fast-answers',
        registrationId: c.registrationId,
        seatNo: c.seatNo,
        name: c.name,
        run: best.run,
        maxGapMs: best.maxGap,
        from: best.from,
        to: best.to,
      });
  }

  // Per candidate: bank item → response in bank option order; per item: response frequencies.
  const byItem = new Map<string, Map<string, number>>();
  const answered = new Map<string, number>();
  const responses = candidates.map((c) => {
    const m = new Map<string, ItemResponse>();
    if (!c.paper) return m;
    for (const q of c.paper.questions) {
      const shown = c.answers.get(q.position);
      if (!shown || shown.length === 0) continue;
      const response = responseKey(q, shown);
      const wrong = response !== responseKey(q, q.answer);
      m.set(q.itemHash, { response, wrong });
      const freq = byItem.get(q.itemHash) ?? new Map<string, number>();
      freq.set(response, (freq.get(response) ?? 0) + 1);
      byItem.set(q.itemHash, freq);
      answered.set(q.itemHash, (answered.get(q.itemHash) ?? 0) + 1);
    }
    return m;
  });
  const correctOf = new Map<string, string>();
  for (const c of candidates)
    for (const q of c.paper?.questions ?? []) correctOf.set(q.itemHash, responseKey(q, q.answer));
  // Σ p(w)² over wrong responses w, per item (the chance two independent candidates agree on a wrong answer).
  const agreeWrong = new Map<string, number>();
  for (const [item, freq] of byItem) {
    const n = answered.get(item) ?? 1;
    let sum = 0;
    for (const [resp, count] of freq) if (resp !== correctOf.get(item)) sum += (count / n) ** 2;
    agreeWrong.set(item, sum);
  }

  const pairs: Anomaly[] = [];
  for (let i = 0; i < candidates.length; i++) {
    for (let j = i + 1; j < candidates.length; j++) {
      const a = responses[i] as Map<string, ItemResponse>;
      const b = responses[j] as Map<string, ItemResponse>;
      const ca = candidates[i] as CandidateData;
      const cb = candidates[j] as CandidateData;
      let shared = 0;
      let identical = 0;
      let expected = 0;
      const [small, large] = a.size <= b.size ? [a, b] : [b, a];
      for (const [item, ra] of small) {
        const rb = large.get(item);
        if (!rb) continue;
        shared++;
        expected += agreeWrong.get(item) ?? 0;
        if (ra.wrong && rb.wrong && ra.response === rb.response) identical++;
      }
      if (identical < s.copyMinCount) continue;
      const pValue = poissonUpperTail(identical, expected);
      if (pValue >= s.copyPValue) continue;
      pairs.push({
        kind: 'identical-wrong',
        a: { registrationId: ca.registrationId, seatNo: ca.seatNo, name: ca.name },
        b: { registrationId: cb.registrationId, seatNo: cb.seatNo, name: cb.name },
        neighbours: Math.abs(ca.seatNo - cb.seatNo) === 1,
        sharedItems: shared,
        identicalWrong: identical,
        expected: Math.round(expected * 1000) / 1000,
        pValue,
        threshold: s.copyPValue,
      });
    }
  }
  // Neighbours first (the usual way answers are copied), then the least probable.
  pairs.sort((x, y) => {
    if (x.kind !== 'identical-wrong' || y.kind !== 'identical-wrong') return 0;
    return Number(y.neighbours) - Number(x.neighbours) || x.pValue - y.pValue;
  });
  return [...out, ...pairs];
}
