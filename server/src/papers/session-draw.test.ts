import { describe, expect, it } from 'vitest';
import { sameItemSamePosition } from './draw';
import { syntheticItems, TEST_BLUEPRINT } from './papers.fixture';
import { drawSessionSync } from './session-draw';

describe('drawSession neighbours', () => {
  it('moves apart what a paper shares with its left neighbour at the same position, and reports both rates', () => {
    // A small pool (100 judge items for 40 places) makes clashes frequent.
    const items = syntheticItems(260);
    const seats = Array.from({ length: 30 }, (_, i) => ({ registrationId: 100 + i, seatNo: i + 1 }));
    const { papers, stats } = drawSessionSync(TEST_BLUEPRINT, items, Buffer.alloc(32, 1), seats);
    expect(stats.adjacentPairs).toBe(29);
    expect(stats.positionsCompared).toBe(29 * 100);
    expect(stats.sameItemSamePositionBefore).toBeGreaterThan(0);
    console.log(`neighbours (small pool): ${JSON.stringify(stats)}`);
    expect(stats.sameItemSamePositionAfter).toBeLessThan(stats.sameItemSamePositionBefore);
    expect(stats.sameItemSamePositionAfter).toBe(0);
    let measured = 0;
    for (let i = 1; i < seats.length; i++)
      measured += sameItemSamePosition(
        papers.get(seats[i - 1]!.registrationId)!,
        papers.get(seats[i]!.registrationId)!,
      );
    expect(measured).toBe(stats.sameItemSamePositionAfter);
  });

  it('compares only seats that are next to each other in the seat plan', () => {
    const seats = [1, 2, 5, 7, 8].map((seatNo, i) => ({ registrationId: i + 1, seatNo }));
    const { stats } = drawSessionSync(TEST_BLUEPRINT, syntheticItems(400), Buffer.alloc(32, 2), seats);
    expect(stats.adjacentPairs).toBe(2);
  });
});
