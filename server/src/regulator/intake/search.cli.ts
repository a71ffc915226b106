import { parseArgs } from 'node:util';
import { regulatorSearchQuery, type RegulatorSearchRow } from '../../protocol/regulator-view';
import { AppError } from '../../shared/errors';
import { loadRegulatorConfig } from '../regulator-config';
import { openRegulatorDb } from '../regulator-main';
import { search } from './view.service';

const line = (r: RegulatorSearchRow) =>
  [
    r.date,
    r.centre.code,
    r.sessionCode,
    r.category,
    r.idNumber,
    r.name,
    r.passed === null ? '-' : `${r.passed ? 'PASS' : 'FAIL'} ${r.score ?? ''}`,
    `archive:${r.archiveStatus}`,
  ].join('\t');

/**
 * `exam-center regulator search --id-number N [--name X] [--centre C] [--category K] [--from D] [--to D] [--json]`
 * over the regulator's data folder (EXAM_CENTER_REGULATOR_DATA). Exit 0 with rows, 1 with none, 2 on bad input.
 */
export async function searchCommand(args: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      'id-number': { type: 'string' },
      name: { type: 'string' },
      centre: { type: 'string' },
      category: { type: 'string' },
      from: { type: 'string' },
      to: { type: 'string' },
      limit: { type: 'string' },
      json: { type: 'boolean', default: false },
    },
    strict: true,
  });
  const q = regulatorSearchQuery.safeParse({
    idNumber: values['id-number'],
    name: values.name,
    centre: values.centre,
    category: values.category,
    from: values.from,
    to: values.to,
    limit: values.limit,
  });
  if (!q.success) {
    process.stderr.write(`${q.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('\n')}\n`);
    return 2;
  }
  const db = openRegulatorDb(loadRegulatorConfig(env).dataDir);
  try {
    let result;
    try {
      result = search(db, q.data);
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      process.stderr.write(`${err.message}\n`);
      return 2;
    }
    if (values.json) process.stdout.write(`${JSON.stringify(result)}\n`);
    else {
      for (const r of result.rows) process.stdout.write(`${line(r)}\n`);
      if (result.truncated) process.stdout.write('… more rows: narrow the search\n');
    }
    return result.rows.length ? 0 : 1;
  } finally {
    db.close();
  }
}
