import { describe, expect, it } from 'vitest';
import { withHash, type HashedItem } from '../bank/bank-format';
import type { Blueprint } from '../bank/blueprint';
import type { QuestionType } from '../protocol';
import { seededRandom, type RandomSource } from '../shared/random';
import { blueprintShortfalls, drawPaper, type Paper } from './draw';
import { canonicalPaperBytes } from './paper-encoding';
import { streamRandom } from './seal-crypto';
import { canonicalJson } from '../shared/canonical-json';
import { drawSessionSync } from './session-draw';

const TYPES: QuestionType[] = ['judge', 'single', 'multi'];

function randomPool(r: RandomSource, trial: number): HashedItem[] {
  const kps = Array.from({ length: 1 + r.int(6) }, (_, i) => `知识点${i}`);
  return Array.from({ length: 30 + r.int(250) }, (_, i) => {
    const type = TYPES[r.int(3)] as QuestionType;
    const n = type === 'judge' ? 2 : 3 + r.int(4);
    const answer = type === 'multi' ? [0, 1 + r.int(n - 1)] : [r.int(n)];
    return withHash({
      externalId: `P${trial}-${i}`,
      category: 'N1',
      type,
      stem: `试题 ${trial}-${i}`,
      options: Array.from({ length: n }, (_, k) => `选项 ${i}-${k}`),
      answer,
      knowledgePoint: kps[r.int(kps.length)] as string,
      difficulty: 3,
      explanation: null,
      image: null,
    });
  });
}

/** A random blueprint the pool can satisfy: random sections, counts and knowledge-point quotas. */
function randomBlueprint(r: RandomSource, pool: HashedItem[]): Blueprint | null {
  const sections: Blueprint['sections'] = [];
  for (const type of TYPES) {
    const ofType = pool.filter((i) => i.type === type);
    if (ofType.length === 0 || r.int(4) === 0) continue;
    const count = 1 + r.int(ofType.length);
    const quotas: Record<string, number> = {};
    let budget = count;
    for (const kp of new Set(ofType.map((i) => i.knowledgePoint))) {
      const available = ofType.filter((i) => i.knowledgePoint === kp).length;
      if (r.int(2) === 0 || budget === 0) continue;
      const q = 1 + r.int(Math.min(available, budget));
      quotas[kp] = q;
      budget -= q;
    }
    sections.push({ type, count, pointsEach: 1, quotas });
  }
  if (!sections.length) return null;
  return {
    format: 'exam-center-blueprint/1',
    category: 'N1',
    name: 'random',
    durationMinutes: 60,
    passMark: 70,
    multiScoring: 'all-or-nothing',
    sections,
  };
}

function expectSatisfies(paper: Paper, blueprint: Blueprint, pool: HashedItem[]): void {
  const byHash = new Map(pool.map((i) => [i.contentHash, i]));
  const hashes = paper.questions.map((q) => q.itemHash);
  expect(new Set(hashes).size).toBe(hashes.length); // no duplicate items
  expect(paper.questions.map((q) => q.position)).toEqual(hashes.map((_, i) => i + 1));
  const order = paper.questions.map((q) => TYPES.indexOf(q.type));
  expect(order).toEqual([...order].sort((a, b) => a - b)); // 判断 → 单选 → 多选
  for (const section of blueprint.sections) {
    const qs = paper.questions.filter((q) => q.type === section.type);
    expect(qs).toHaveLength(section.count);
    for (const [kp, quota] of Object.entries(section.quotas))
      expect(qs.filter((q) => q.knowledgePoint === kp).length).toBeGreaterThanOrEqual(quota);
  }
  expect(paper.questions).toHaveLength(blueprint.sections.reduce((t, s) => t + s.count, 0));
  for (const q of paper.questions) {
    const item = byHash.get(q.itemHash)!;
    expect(item.type).toBe(q.type);
    expect([...q.optionOrder].sort((a, b) => a - b)).toEqual(item.options.map((_, i) => i));
    expect(q.options).toEqual(q.optionOrder.map((i) => item.options[i]));
    expect(q.answer.map((shown) => q.optionOrder[shown]).sort()).toEqual([...item.answer].sort());
    if (q.type === 'judge') expect(q.optionOrder).toEqual([0, 1]);
  }
}

describe('drawPaper (property)', () => {
  it('every drawn paper satisfies its blueprint and has no duplicate items (150 random pools and blueprints)', () => {
    const r = seededRandom('draw-property');
    let checked = 0;
    for (let trial = 0; trial < 150; trial++) {
      const pool = randomPool(r, trial);
      const blueprint = randomBlueprint(r, pool);
      if (!blueprint) continue;
      expect(blueprintShortfalls(blueprint, pool)).toEqual([]);
      const seed = Buffer.from(`trial-${trial}`);
      const paper = drawPaper(blueprint, pool, streamRandom(seed, 'paper:1'));
      expectSatisfies(paper, blueprint, pool);
      // The fast encoder used at sealing writes exactly the canonical JSON an independent verifier computes.
      expect(canonicalPaperBytes(paper).toString('utf8')).toBe(canonicalJson(paper));
      // Papers re-ordered to avoid neighbours' clashes still satisfy it.
      const seats = Array.from({ length: 4 }, (_, i) => ({ registrationId: i + 1, seatNo: i + 1 }));
      for (const p of drawSessionSync(blueprint, pool, seed, seats).papers.values()) {
        expectSatisfies(p, blueprint, pool);
        expect(canonicalPaperBytes(p).toString('utf8')).toBe(canonicalJson(p));
      }
      checked++;
    }
    expect(checked).toBeGreaterThan(120);
  });

  it('is deterministic for a seed and differs between seeds', () => {
    const r = seededRandom('determinism');
    const pool = randomPool(r, 0);
    const blueprint = randomBlueprint(r, pool)!;
    const a = drawPaper(blueprint, pool, streamRandom(Buffer.from('s1'), 'paper:1'));
    expect(drawPaper(blueprint, pool, streamRandom(Buffer.from('s1'), 'paper:1'))).toEqual(a);
    expect(drawPaper(blueprint, pool, streamRandom(Buffer.from('s2'), 'paper:1'))).not.toEqual(a);
  });

  it('encodes a paper built with keys in another order canonically too (fallback)', () => {
    const r = seededRandom('fallback');
    const pool = randomPool(r, 1);
    const paper = drawPaper(randomBlueprint(r, pool)!, pool, streamRandom(Buffer.from('f'), 'paper:1'));
    const shuffledKeys = {
      questions: paper.questions.map(({ type, stem, answer, ...rest }) => ({ type, stem, ...rest, answer })),
    };
    expect(JSON.stringify(shuffledKeys)).not.toBe(canonicalJson(paper));
    expect(canonicalPaperBytes(shuffledKeys).toString('utf8')).toBe(canonicalJson(paper));
  });
});
