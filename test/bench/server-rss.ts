import { readFileSync } from 'node:fs';

/**
 * Resident set size of another process in KB (Linux /proc), so a server running in its own child process is
 * measured alone, without the simulated clients that share this machine. Null where /proc is not available.
 */
export function rssKb(pid: number | undefined): number | null {
  if (!pid) return null;
  try {
    const m = /VmRSS:\s+(\d+)\s+kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : null;
  } catch {
    return null;
  }
}

/** Samples a process's RSS every intervalMs until stop(); the median is robust to one garbage collection. */
export function sampleRss(pid: number | undefined, intervalMs = 1000): { stop(): { medianKb: number; maxKb: number } } {
  const samples: number[] = [];
  const take = () => {
    const kb = rssKb(pid);
    if (kb !== null) samples.push(kb);
  };
  take();
  const timer = setInterval(take, intervalMs);
  return {
    stop() {
      clearInterval(timer);
      take();
      const sorted = samples.slice().sort((a, b) => a - b);
      return { medianKb: sorted[Math.floor(sorted.length / 2)] ?? 0, maxKb: sorted.at(-1) ?? 0 };
    },
  };
}
