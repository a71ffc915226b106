import { existingDatabaseFile } from '../db/data-folder';
import { loadConfig } from '../config';
import { migrate } from '../db/migrate';
import { openDatabase } from '../db/open';
import type { IntegrityEvaluation } from '../protocol';
import { systemClock } from '../shared/clock';
import { IntegrityService } from './integrity.service';

export const INTEGRITY_USAGE = `Usage: exam-center integrity check SESSION|--all [--json]

  SESSION   a session id or code (e.g. N1-20261125-01)
  --all     every session
  --json    one JSON document: every rule checked for every session, with its outcome, inputs and the
            records behind each finding

Evaluates the integrity rules (回避, 考培分离, bans, qualification, staffing) now, against the records as
they stand; nothing is written. Exit status 0 when no rule is violated (documented exceptions allowed), 1
when any is, 2 on bad usage.`;

const write = (s: string) => process.stdout.write(s + '\n');
const MARK = { pass: '✔', exception: '△', violation: '✘' } as const;

function print(e: IntegrityEvaluation): void {
  write(
    `${MARK[e.outcome]} ${e.sessionCode} (session ${e.sessionId}, ${e.state}, exam date ${e.examDate}): ${e.outcome}`,
  );
  for (const r of e.results) {
    write(`    ${MARK[r.outcome]} ${r.rule.padEnd(23)} ${r.outcome}`);
    for (const f of r.findings)
      write(
        `        ${f.exceptionId ? `[exception #${f.exceptionId}] ` : ''}${f.code}: ${f.message}  ← ${f.records.map((x) => `${x.type}#${x.id ?? '-'} ${x.summary}`).join('; ')}`,
      );
  }
}

/** `exam-center integrity check …` (registered in cli.ts). */
export async function integrityCommand(args: string[]): Promise<number> {
  const json = args.includes('--json');
  const rest = args.filter((a) => a !== '--json');
  const [sub, target] = rest;
  if (sub !== 'check' || !target || rest.length > 2) {
    process.stderr.write(INTEGRITY_USAGE + '\n');
    return 2;
  }
  const config = loadConfig();
  const file = existingDatabaseFile(config.dataDir);
  if (!file) return 2;
  const db = openDatabase(file);
  try {
    migrate(db);
    const integrity = new IntegrityService(db, systemClock);
    let evaluations: IntegrityEvaluation[];
    if (target === '--all') evaluations = integrity.evaluateAll();
    else {
      const id = /^\d+$/.test(target)
        ? Number(target)
        : (db.prepare('SELECT id FROM sessions WHERE code = ?').pluck().get(target) as number | undefined);
      if (id === undefined || !integrity.repo.session(id)) {
        process.stderr.write(`no session ${target}\n`);
        return 1;
      }
      evaluations = [integrity.evaluateSession(id)];
    }
    const count = (o: string) => evaluations.filter((e) => e.outcome === o).length;
    if (json)
      write(
        JSON.stringify(
          {
            generatedAt: new Date(systemClock.now()).toISOString(),
            recorded: false,
            settings: integrity.settings(),
            summary: {
              sessions: evaluations.length,
              pass: count('pass'),
              exception: count('exception'),
              violation: count('violation'),
            },
            sessions: evaluations,
          },
          null,
          2,
        ),
      );
    else {
      evaluations.forEach(print);
      if (evaluations.length === 0) write('no sessions');
    }
    return count('violation') > 0 ? 1 : 0;
  } finally {
    db.close();
  }
}
