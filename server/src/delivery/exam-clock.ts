/**
 * The server-side exam clock (issue 6): remaining = duration + extensions − running time, where running
 * time excludes every pause interval (session-wide or the candidate's own) after the attempt started.
 */
export type PauseInterval = { startedAt: number; endedAt: number | null };

/** Milliseconds inside [from, now] covered by at least one interval (overlaps counted once). */
export function frozenMs(intervals: PauseInterval[], from: number, now: number): number {
  const clipped = intervals
    .map((i) => [Math.max(i.startedAt, from), Math.min(i.endedAt ?? now, now)] as const)
    .filter(([a, b]) => b > a)
    .sort((x, y) => x[0] - y[0]);
  let total = 0;
  let curStart = -Infinity;
  let curEnd = -Infinity;
  for (const [a, b] of clipped) {
    if (a > curEnd) {
      if (curEnd > curStart) total += curEnd - curStart;
      curStart = a;
      curEnd = b;
    } else curEnd = Math.max(curEnd, b);
  }
  if (curEnd > curStart) total += curEnd - curStart;
  return total;
}

export type ClockInput = {
  startedAt: number;
  durationMs: number;
  extensionMs: number;
  pauses: PauseInterval[];
  now: number;
};

export function remainingMs(c: ClockInput): number {
  return Math.max(0, c.startedAt + c.durationMs + c.extensionMs + frozenMs(c.pauses, c.startedAt, c.now) - c.now);
}

export const isFrozen = (pauses: PauseInterval[], now: number) =>
  pauses.some((p) => p.startedAt <= now && (p.endedAt === null || p.endedAt > now));
