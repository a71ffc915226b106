import { startTestServer } from '../support/test-server';
const s = await startTestServer();
for (const r of s.app.routes()) console.log(r.method, r.path);
await s.stop();
