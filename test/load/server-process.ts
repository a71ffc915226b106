// A real exam-center server in its own process, for fault tests that kill it (SIGKILL) and start it again.
// env: EXAM_CENTER_DATA, PORT, LOAD_CANDIDATES (on first start: a running session of that many candidates,
// credentials written to $EXAM_CENTER_DATA/load-credentials.json). Prints "READY <port>" when listening.
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig } from '../../server/src/config';
import { startServer } from '../../server/src/main';
import { systemClock } from '../../server/src/shared/clock';
import { createLoadSession } from './load-session';

const config = loadConfig({ ...process.env, EXAM_CENTER_LOG: process.env.EXAM_CENTER_LOG ?? 'error' });
const started = await startServer(config);
const credentialsFile = join(config.dataDir, 'load-credentials.json');
const n = Number(process.env.LOAD_CANDIDATES ?? 0);
if (n > 0 && !existsSync(credentialsFile)) {
  const creds = createLoadSession(started.app, started.db, systemClock, n);
  writeFileSync(credentialsFile, JSON.stringify(creds));
}
process.stdout.write(`READY ${started.port}\n`);
process.once('SIGTERM', () => {
  void started.app.close().finally(() => {
    started.db.close();
    process.exit(0);
  });
});
