/** A calendar date 'YYYY-MM-DD' in China Standard Time (UTC+8, no daylight saving). */
export type Day = string;

const CST_OFFSET_MS = 8 * 3600_000;
const DAY_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

export function isDay(s: string): boolean {
  const m = DAY_RE.exec(s);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d;
}

/** The exam date of an instant: exams happen in China, so the local calendar day decides. */
export function dayOf(ms: number): Day {
  return new Date(ms + CST_OFFSET_MS).toISOString().slice(0, 10);
}

function parts(day: Day): [number, number, number] {
  const m = DAY_RE.exec(day);
  if (!m) throw new RangeError(`not a date: ${day}`);
  return [Number(m[1]), Number(m[2]), Number(m[3])];
}

const fmt = (y: number, m: number, d: number) =>
  `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;

/**
 * The corresponding day `years` later (or earlier, when negative). 民法典 第二百零二条: a period counted in
 * years ends on the corresponding day; where that month has no such day (29 February), on the month's last day.
 */
export function addYears(day: Day, years: number): Day {
  const [y, m, d] = parts(day);
  const lastOfMonth = new Date(Date.UTC(y + years, m, 0)).getUTCDate();
  return fmt(y + years, m, Math.min(d, lastOfMonth));
}

export function addDays(day: Day, days: number): Day {
  const [y, m, d] = parts(day);
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

export const yearOf = (day: Day): number => parts(day)[0];

/** The instant (ms) a day begins in China Standard Time. */
export function startOfDay(day: Day): number {
  const [y, m, d] = parts(day);
  return Date.UTC(y, m - 1, d) - CST_OFFSET_MS;
}
