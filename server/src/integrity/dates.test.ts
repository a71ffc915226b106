import { describe, expect, it } from 'vitest';
import { addDays, addYears, dayOf, isDay } from './dates';

describe('dates', () => {
  it('takes the calendar day in China Standard Time', () => {
    expect(dayOf(Date.UTC(2026, 4, 10, 15, 59))).toBe('2026-05-10');
    expect(dayOf(Date.UTC(2026, 4, 10, 16, 0))).toBe('2026-05-11');
  });
  it('adds years to the corresponding day, or the last day of the month when there is none', () => {
    expect(addYears('2023-05-10', 3)).toBe('2026-05-10');
    expect(addYears('2024-02-29', 3)).toBe('2027-02-28');
    expect(addYears('2024-02-29', 4)).toBe('2028-02-29');
    expect(addYears('2026-05-10', -3)).toBe('2023-05-10');
  });
  it('adds days across month ends and validates dates', () => {
    expect(addDays('2026-02-28', 1)).toBe('2026-03-01');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
    expect(isDay('2026-02-29')).toBe(false);
    expect(isDay('2028-02-29')).toBe(true);
    expect(isDay('2026-13-01')).toBe(false);
  });
});
