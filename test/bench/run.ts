// `npm run bench`: runs every test/bench/*.bench.ts and prints one line of JSON per figure.
// `npm run bench -- answer-save` runs only the benchmarks whose file name contains that word.
// BENCH_SCALE=0.04 runs every figure at 4 % of its size (a quick check; see inputs.ts); BENCH_PARALLEL="…" records
// what else ran on the machine. Every figure's extra gets the machine's cores and load average (inputs.ts).
import { readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Figure } from './figure';
import { machineInputs } from './inputs';

const only = process.argv.slice(2);
const files = readdirSync(import.meta.dirname)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => only.length === 0 || only.some((o) => f.includes(o)))
  .sort();
let failed = 0;
for (const file of files) {
  const started = Date.now();
  // Taken before each file runs: the load average then is the one its figures were measured under (issue 17).
  const inputs = machineInputs();
  try {
    const mod = (await import(resolve(import.meta.dirname, file))) as { run: () => Promise<Figure[]> };
    for (const figure of await mod.run())
      process.stdout.write(JSON.stringify({ ...figure, extra: { ...figure.extra, ...inputs } }) + '\n');
    process.stderr.write(`# ${file}: ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
  } catch (err) {
    failed++;
    process.stderr.write(`# ${file} failed: ${(err as Error).stack ?? String(err)}\n`);
  }
}
process.exit(failed ? 1 : 0);
