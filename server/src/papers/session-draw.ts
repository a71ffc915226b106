import type { HashedItem } from '../bank/bank-format';
import type { Blueprint } from '../bank/blueprint';
import {
  avoidSamePositions,
  drawPrepared,
  preparePool,
  sameItemSamePosition,
  type Paper,
  type PreparedPool,
} from './draw';
import { streamRandom } from './seal-crypto';

/** The draw algorithm's name goes into the manifest, so a verifier knows how to re-derive. */
export const DRAW_ALGORITHM = 'exam-center-draw/1';
export type SeatRef = { registrationId: number; seatNo: number };

export type NeighbourStats = {
  /** Pairs of registrations on adjacent seats (n, n+1) in the seat plan. */
  adjacentPairs: number;
  positionsCompared: number;
  /** Positions where both neighbours had the same item, before and after re-ordering. */
  sameItemSamePositionBefore: number;
  sameItemSamePositionAfter: number;
  rateBefore: number;
  rateAfter: number;
  reordered: number;
};

/**
 * Draws one paper per registration (一人一卷, TSG Z6001 assembly rules) from the seed. Seats are taken in
 * seat order; when a paper puts the same item at the same position as the paper on the seat to its left,
 * those questions are swapped within their section using a derived stream ("order:<id>"), so neighbours
 * cannot copy by position. Everything depends only on the seed, the pool, the blueprint and the seat plan,
 * so a verifier replays it exactly.
 */
export function* drawSession(
  prepared: PreparedPool,
  seed: Buffer,
  seats: SeatRef[],
): Generator<{ registrationId: number; paper: Paper }, NeighbourStats> {
  const ordered = [...seats].sort((a, b) => a.seatNo - b.seatNo || a.registrationId - b.registrationId);
  const stats: NeighbourStats = {
    adjacentPairs: 0,
    positionsCompared: 0,
    sameItemSamePositionBefore: 0,
    sameItemSamePositionAfter: 0,
    rateBefore: 0,
    rateAfter: 0,
    reordered: 0,
  };
  let left: { seatNo: number; paper: Paper } | null = null;
  for (const seat of ordered) {
    let paper = drawPrepared(prepared, streamRandom(seed, `paper:${seat.registrationId}`));
    if (left && left.seatNo === seat.seatNo - 1) {
      const before = sameItemSamePosition(left.paper, paper);
      if (before > 0) paper = avoidSamePositions(left.paper, paper, streamRandom(seed, `order:${seat.registrationId}`));
      const after = before > 0 ? sameItemSamePosition(left.paper, paper) : 0;
      stats.adjacentPairs++;
      stats.positionsCompared += paper.questions.length;
      stats.sameItemSamePositionBefore += before;
      stats.sameItemSamePositionAfter += after;
      if (after !== before) stats.reordered++;
    }
    // Each paper is handed on as soon as it is final (only the left neighbour is kept), so sealing can
    // encrypt it at once and 1,000 drawn papers never sit in memory together.
    yield { registrationId: seat.registrationId, paper };
    left = { seatNo: seat.seatNo, paper };
  }
  if (stats.positionsCompared) {
    stats.rateBefore = round6(stats.sameItemSamePositionBefore / stats.positionsCompared);
    stats.rateAfter = round6(stats.sameItemSamePositionAfter / stats.positionsCompared);
  }
  return stats;
}

const round6 = (x: number) => Math.round(x * 1e6) / 1e6;

/** Runs drawSession to the end, keeping every paper (for verification and tests). */
export function drawSessionSync(
  blueprint: Blueprint,
  items: HashedItem[],
  seed: Buffer,
  seats: SeatRef[],
): { papers: Map<number, Paper>; stats: NeighbourStats } {
  const papers = new Map<number, Paper>();
  const it = drawSession(preparePool(blueprint, items), seed, seats);
  for (;;) {
    const step = it.next();
    if (step.done) return { papers, stats: step.value };
    papers.set(step.value.registrationId, step.value.paper);
  }
}
