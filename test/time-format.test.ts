import { afterEach, describe, expect, it } from 'vitest';
import { formatClock, formatDateTime, parseCentreDateTime, setCentreTimeZone } from '../client/src/time-format';

afterEach(() => setCentreTimeZone('Asia/Shanghai'));

describe('dates and times in the centre time zone', () => {
  it('time zone: shows a moment in the centre zone whatever the PC zone, in one format', () => {
    const at = Date.UTC(2026, 11, 6, 1, 30, 5); // 09:30:05 in Beijing
    expect(formatDateTime(at)).toBe('2026-12-06 09:30');
    expect(formatDateTime(at, { seconds: true })).toBe('2026-12-06 09:30:05');
    expect(formatClock(at)).toBe('09:30:05');
    setCentreTimeZone('Asia/Urumqi');
    expect(formatClock(at)).toBe('07:30:05');
  });

  it('time zone: reads a typed date and time as the centre wall clock', () => {
    expect(parseCentreDateTime('2026-12-06T09:30')).toBe(Date.UTC(2026, 11, 6, 1, 30));
    setCentreTimeZone('Europe/Berlin');
    expect(parseCentreDateTime('2026-07-01T12:00')).toBe(Date.UTC(2026, 6, 1, 10, 0));
    expect(parseCentreDateTime('not a date')).toBeNaN();
  });
});
