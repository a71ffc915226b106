// `exam-center archive verify …` timed from inside its own process, once its modules are loaded: what the
// command costs without the start-up of tsx. Run by audit.bench.ts with the CLI's arguments; prints one JSON
// line {code, ms, maxRssMb} on stderr-free stdout after the verdict text has been swallowed.
import { archiveCommand } from '../../server/src/audit/archive.cli';

const write = process.stdout.write.bind(process.stdout);
let verdict = '';
// The verdict text goes where the bench reads its one result line: keep it aside, print it only on failure.
process.stdout.write = ((chunk: string | Uint8Array) => ((verdict += String(chunk)), true)) as typeof write;
const t0 = performance.now();
const code = await archiveCommand(process.argv.slice(2));
const ms = performance.now() - t0;
process.stdout.write = write;
const maxRssMb = Math.round(process.resourceUsage().maxRSS / 1024);
write(JSON.stringify({ code, ms, maxRssMb, verdict: code === 0 ? '' : verdict }) + '\n');
