// A demo exam centre in its own process, linked to a regulator by its environment alone
// (EXAM_CENTER_REGULATOR_URL, EXAM_CENTER_CENTRE_CODE; no URL: a centre that reaches its regulator only by bundle
// files). Unlike demo-server-process.ts it opens nothing: its ban list must come from the regulator.
// Writes the demo's logins to $EXAM_CENTER_DATA/demo-info.json; prints "READY <port>" when listening.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig } from '../../server/src/config';
import { startServer } from '../../server/src/main';

const config = loadConfig({ ...process.env, EXAM_CENTER_LOG: process.env.EXAM_CENTER_LOG ?? 'error' });
const started = await startServer(config);
if (started.demo) writeFileSync(join(config.dataDir, 'demo-info.json'), JSON.stringify(started.demo));
process.stdout.write(`READY ${started.port}\n`);
process.once('SIGTERM', () => {
  void started.app.close().finally(() => {
    started.db.close();
    process.exit(0);
  });
});
