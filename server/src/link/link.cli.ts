import { readFileSync, writeFileSync } from 'node:fs';
import { loadConfig } from '../config';
import { loadRegulatorPublicKey } from '../conduct/grants';
import { databaseFileIn } from '../db/data-folder';
import { migrate } from '../db/migrate';
import { openDatabase, type Db } from '../db/open';
import type { LinkBundleImportResult } from '../protocol';
import { systemClock } from '../shared/clock';
import { AppError } from '../shared/errors';
import { loadOrCreateInstitutionKey } from '../shared/institution-key';
import { parseBundleFile } from '../shared/link-signing';
import { LinkService } from './link.service';

// `exam-center regulator-sync export|import FILE` at the centre (issue 14): the link carried on a USB stick.
// H1's dispatcher (server/src/regulator/sync.cli.ts) calls these when no --centre is given / the bundle is
// addressed to a centre. They work on the data folder directly, server running or not (SQLite WAL).

function withLink<T>(dataDir: string, fn: (link: LinkService, db: Db) => T): T {
  const db = openDatabase(databaseFileIn(dataDir));
  try {
    migrate(db);
    const config = loadConfig({ ...process.env, EXAM_CENTER_DATA: dataDir });
    const link = new LinkService(db, systemClock, {
      institutionKey: loadOrCreateInstitutionKey(dataDir),
      regulatorKey: () => loadRegulatorPublicKey(dataDir),
      config: { regulatorUrl: config.link.regulatorUrl, centreCode: config.link.centreCode },
    });
    return fn(link, db);
  } finally {
    db.close();
  }
}

/** Writes the centre's unacknowledged messages to the regulator as a signed bundle; returns how many. */
export function centreSyncExport(dataDir: string, file: string): { messages: number; received: number } {
  return withLink(dataDir, (link) => {
    const bundle = link.exportBundle();
    writeFileSync(file, JSON.stringify(bundle, null, 1) + '\n', { mode: 0o640 });
    return { messages: bundle.bundle.messages.length, received: bundle.bundle.received };
  });
}

/** Applies a bundle from the regulator; throws an AppError naming why a whole bundle was refused. */
export function centreSyncImport(dataDir: string, file: string): LinkBundleImportResult {
  let signed;
  try {
    signed = parseBundleFile(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new AppError('invalid-bundle', (err as Error).message, 400);
  }
  return withLink(dataDir, (link) => link.importBundle(signed));
}
