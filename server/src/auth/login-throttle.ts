import type { Clock } from '../shared/clock';

export type ThrottleSettings = { maxFailures: number; windowMs: number; lockMs: number };
/** Per account: 5 failures in 15 minutes lock that account for 15 minutes. */
export const ACCOUNT_THROTTLE: ThrottleSettings = { maxFailures: 5, windowMs: 15 * 60_000, lockMs: 15 * 60_000 };
/** Per client address: higher, since one address may serve a whole office, but still stops a guessing run. */
export const ADDRESS_THROTTLE: ThrottleSettings = { maxFailures: 30, windowMs: 15 * 60_000, lockMs: 15 * 60_000 };

/**
 * Counts failed logins per key (account and client address separately) and locks a key after too many
 * failures inside the window. In memory: a restart clears it, which only helps a legitimate user.
 */
export class LoginThrottle {
  private readonly failures = new Map<string, { times: number[]; lockedUntil: number }>();

  constructor(
    private readonly clock: Clock,
    private readonly settings: ThrottleSettings = ACCOUNT_THROTTLE,
  ) {}

  /** Milliseconds until the key may try again, 0 when it may try now. */
  retryAfter(key: string): number {
    const entry = this.failures.get(key);
    if (!entry) return 0;
    return Math.max(0, entry.lockedUntil - this.clock.now());
  }

  recordFailure(key: string): void {
    const now = this.clock.now();
    const entry = this.failures.get(key) ?? { times: [], lockedUntil: 0 };
    entry.times = entry.times.filter((t) => now - t < this.settings.windowMs);
    entry.times.push(now);
    if (entry.times.length >= this.settings.maxFailures) {
      entry.lockedUntil = now + this.settings.lockMs;
      entry.times = [];
    }
    this.failures.set(key, entry);
    if (this.failures.size > 10_000) this.prune(now);
  }

  recordSuccess(key: string): void {
    this.failures.delete(key);
  }

  private prune(now: number): void {
    for (const [key, entry] of this.failures) {
      if (entry.lockedUntil < now && entry.times.every((t) => now - t >= this.settings.windowMs))
        this.failures.delete(key);
    }
  }
}
