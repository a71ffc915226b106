import { describe, expect, it } from 'vitest';
import { frozenMs, isFrozen, remainingMs } from './exam-clock';

const MIN = 60_000;

describe('exam clock', () => {
  it('counts down from the duration', () => {
    expect(remainingMs({ startedAt: 0, durationMs: 60 * MIN, extensionMs: 0, pauses: [], now: 10 * MIN })).toBe(
      50 * MIN,
    );
  });

  it('adds extensions and never goes below zero', () => {
    expect(remainingMs({ startedAt: 0, durationMs: 60 * MIN, extensionMs: 5 * MIN, pauses: [], now: 60 * MIN })).toBe(
      5 * MIN,
    );
    expect(remainingMs({ startedAt: 0, durationMs: 60 * MIN, extensionMs: 0, pauses: [], now: 90 * MIN })).toBe(0);
  });

  it('stands still during a pause and resumes after it', () => {
    const pauses = [{ startedAt: 10 * MIN, endedAt: null }];
    const during = (now: number) => remainingMs({ startedAt: 0, durationMs: 60 * MIN, extensionMs: 0, pauses, now });
    expect(during(12 * MIN)).toBe(50 * MIN);
    expect(during(40 * MIN)).toBe(50 * MIN);
    expect(isFrozen(pauses, 40 * MIN)).toBe(true);
    const ended = [{ startedAt: 10 * MIN, endedAt: 40 * MIN }];
    expect(remainingMs({ startedAt: 0, durationMs: 60 * MIN, extensionMs: 0, pauses: ended, now: 50 * MIN })).toBe(
      40 * MIN,
    );
  });

  it('counts overlapping session and candidate pauses once, and ignores time before the start', () => {
    const pauses = [
      { startedAt: -5 * MIN, endedAt: 2 * MIN },
      { startedAt: 10 * MIN, endedAt: 20 * MIN },
      { startedAt: 15 * MIN, endedAt: 25 * MIN },
      { startedAt: 30 * MIN, endedAt: 31 * MIN },
    ];
    expect(frozenMs(pauses, 0, 60 * MIN)).toBe(2 * MIN + 15 * MIN + 1 * MIN);
  });
});
