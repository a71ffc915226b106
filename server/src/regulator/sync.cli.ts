import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { loadConfig } from '../config';
import { existingDatabaseFile } from '../db/data-folder';
import { centreSyncExport, centreSyncImport } from '../link/link.cli';
import { REGULATOR_PARTY } from '../protocol/regulator';
import { AppError } from '../shared/errors';
import { parseBundleFile } from '../shared/link-signing';
import { loadRegulatorConfig } from './regulator-config';
import { withRegulator } from './regulator.cli';

export const SYNC_USAGE = `Usage: the regulator link carried on a USB stick (signed bundle files)
  exam-center regulator-sync export FILE                 at a centre (EXAM_CENTER_DATA): its messages to the regulator
  exam-center regulator-sync export FILE --centre CODE   at the regulator (EXAM_CENTER_REGULATOR_DATA): its messages to CODE
  exam-center regulator-sync import FILE                 either side: the bundle says whom it is for`;

const write = (s: string) => process.stdout.write(s + '\n');

/** `exam-center regulator-sync export|import FILE`: the same messages the link carries, as a signed file. */
export async function regulatorSyncCommand(args: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args, options: { centre: { type: 'string' } }, allowPositionals: true, strict: true });
  } catch {
    process.stderr.write(SYNC_USAGE + '\n');
    return 2;
  }
  const [sub, file, ...extra] = parsed.positionals;
  const centre = parsed.values.centre;
  if (!file || extra.length || (sub !== 'export' && sub !== 'import') || (sub === 'import' && centre)) {
    process.stderr.write(SYNC_USAGE + '\n');
    return 2;
  }
  try {
    if (sub === 'export' && centre) {
      const bundle = withRegulator(loadRegulatorConfig(), (app) => app.services.link.exportBundle(centre));
      writeFileSync(file, JSON.stringify(bundle, null, 1) + '\n', { mode: 0o640 });
      write(`wrote ${file}: ${bundle.bundle.messages.length} message(s) for ${centre}`);
      return 0;
    }
    // At a centre: its existing installation only (never create an empty data folder by mistake).
    const centreDataDir = () => {
      const dir = loadConfig().dataDir;
      if (!existingDatabaseFile(dir)) throw new AppError('no-installation', `no exam centre installation in ${dir}`);
      return dir;
    };
    if (sub === 'export') {
      const done = centreSyncExport(centreDataDir(), file);
      write(`wrote ${file}: ${done.messages} message(s) for the regulator`);
      return 0;
    }
    let signed;
    try {
      signed = parseBundleFile(readFileSync(file, 'utf8'));
    } catch (err) {
      throw new AppError('invalid-bundle', (err as Error).message);
    }
    const result =
      signed.bundle.to === REGULATOR_PARTY
        ? withRegulator(loadRegulatorConfig(), (app) => app.services.link.importBundle(signed))
        : centreSyncImport(centreDataDir(), file);
    write(JSON.stringify(result, null, 2));
    return 0;
  } catch (err) {
    if (err instanceof AppError) {
      process.stderr.write(`${err.code}: ${err.message}\n`);
      return 1;
    }
    throw err;
  }
}
