// The demo server in its own process, for Chromium tests that kill it (SIGKILL) and start it again on the
// same data folder. On first start the demo session is opened and started, and the demo's logins are written
// to $EXAM_CENTER_DATA/demo-info.json. Prints "READY <port>" when listening (test/load/server-child.ts).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig } from '../../server/src/config';
import { startServer } from '../../server/src/main';
import { prepareDemoSession } from './demo-session';

const config = loadConfig({ ...process.env, EXAM_CENTER_LOG: process.env.EXAM_CENTER_LOG ?? 'error' });
const started = await startServer(config);
if (started.demo) {
  await prepareDemoSession({ ...started, url: '', dataDir: config.dataDir, stop: () => Promise.resolve() });
  writeFileSync(join(config.dataDir, 'demo-info.json'), JSON.stringify(started.demo));
}
process.stdout.write(`READY ${started.port}\n`);
process.once('SIGTERM', () => {
  void started.app.close().finally(() => {
    started.db.close();
    process.exit(0);
  });
});
