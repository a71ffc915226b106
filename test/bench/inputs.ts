import { cpus, freemem, loadavg, totalmem } from 'node:os';

/**
 * The scale of a benchmark run (issue 17): BENCH_SCALE=0.04 runs every figure at 4 % of the issue's sizes, for
 * a quick check on a shared machine; a figure's own env variable (e.g. BENCH_CANDIDATES) wins over the scale.
 * The defaults are the issue's numbers, so `npm run bench` without variables gives the published figures.
 */
export function sized(envName: string, issueDefault: number, minimum = 1): number {
  const own = process.env[envName];
  if (own !== undefined && own !== '') return Number(own);
  const scale = Number(process.env.BENCH_SCALE ?? 1);
  return Math.max(minimum, Math.round(issueDefault * scale));
}

/**
 * What every figure states beside its sizes (issue 17, "every figure states its inputs"): the machine's cores,
 * the load average when the figure started (other engineers' tests raise it), and what ran in parallel when the
 * runner knows it (BENCH_PARALLEL, free text, e.g. "vitest integration suite").
 */
export function machineInputs(): Record<string, unknown> {
  const [load1, load5] = loadavg();
  return {
    cpus: cpus().length,
    loadAvgAtStart: [Math.round((load1 ?? 0) * 100) / 100, Math.round((load5 ?? 0) * 100) / 100],
    memFreeGb: Math.round((freemem() / 2 ** 30) * 10) / 10,
    memTotalGb: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    parallel: process.env.BENCH_PARALLEL ?? 'unknown',
    scale: Number(process.env.BENCH_SCALE ?? 1),
  };
}

/** p-th percentile of an ascending array (nearest rank). */
export const percentile = (sorted: readonly number[], p: number): number =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;

export const round1 = (x: number): number => Math.round(x * 10) / 10;
