import { existsSync } from 'node:fs';
import { join } from 'node:path';

export const databaseFileIn = (dataDir: string) => join(dataDir, 'exam-center.db');

/** For CLI commands that work on an existing installation: its database file, or null after saying there is none. */
export function existingDatabaseFile(dataDir: string): string | null {
  const file = databaseFileIn(dataDir);
  if (existsSync(file)) return file;
  process.stderr.write(`no database in ${dataDir}\n`);
  return null;
}
