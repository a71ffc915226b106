/**
 * Every date and time on every screen, in the exam centre's time zone (config EXAM_CENTER_TIMEZONE, read
 * from /api/health) and in one format — never the PC's own zone, which on exam-room PCs is often wrong.
 * 2026-12-06 09:30 for a moment, 09:30:05 for a time of day, 2026-12-06 for a day.
 */
const DEFAULT_ZONE = 'Asia/Shanghai';
let zone = DEFAULT_ZONE;
let formatter = makeFormatter(zone);

function makeFormatter(timeZone: string): Intl.DateTimeFormat {
  return new Intl.DateTimeFormat('en-GB', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  });
}

type Parts = { year: string; month: string; day: string; hour: string; minute: string; second: string };

function parts(ms: number): Parts {
  const out: Record<string, string> = {};
  for (const p of formatter.formatToParts(new Date(ms))) out[p.type] = p.value;
  return out as Parts;
}

export function centreTimeZone(): string {
  return zone;
}

export function setCentreTimeZone(timeZone: string): void {
  try {
    formatter = makeFormatter(timeZone);
    zone = timeZone;
  } catch {
    /* an unknown zone keeps the default rather than breaking every screen */
  }
}

/** Asks the server for the centre's zone once at start; screens drawn before the answer use the default. */
export async function loadCentreTimeZone(): Promise<void> {
  try {
    const res = await fetch('/api/health');
    const body = (await res.json()) as { timeZone?: unknown };
    if (typeof body.timeZone === 'string') setCentreTimeZone(body.timeZone);
  } catch {
    /* offline at start: the default zone */
  }
}

/** 2026-12-06 09:30 (with `seconds`: 2026-12-06 09:30:05). */
export function formatDateTime(ms: number, options: { seconds?: boolean } = {}): string {
  const p = parts(ms);
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}${options.seconds ? `:${p.second}` : ''}`;
}

/** 09:30:05 */
export function formatClock(ms: number): string {
  const p = parts(ms);
  return `${p.hour}:${p.minute}:${p.second}`;
}

/** 2026-12-06 */
export function formatDate(ms: number): string {
  const p = parts(ms);
  return `${p.year}-${p.month}-${p.day}`;
}

/** Today's date in the centre, for date inputs' defaults. */
export function todayInCentre(offsetDays = 0): string {
  return formatDate(Date.now() + offsetDays * 86_400_000);
}

/**
 * A date input's "2026-12-06" or datetime-local's "2026-12-06T09:30" read as the centre's wall clock
 * (not the PC's), as milliseconds since the epoch.
 */
export function parseCentreDateTime(text: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?)?$/.exec(text.trim());
  if (!m) return Number.NaN;
  const wall = Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +(m[4] ?? 0), +(m[5] ?? 0), +(m[6] ?? 0));
  // The zone's offset at that moment, found from the formatted wall clock; twice for a DST boundary.
  let guess = wall;
  for (let i = 0; i < 2; i++) {
    const p = parts(guess);
    const shown = Date.UTC(+p.year, +p.month - 1, +p.day, +p.hour, +p.minute, +p.second);
    guess = wall - (shown - guess);
  }
  return guess;
}
