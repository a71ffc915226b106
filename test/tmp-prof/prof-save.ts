import { startTestServer } from '../support/test-server';
import { createLoadSession } from '../load/load-session';
import { systemClock } from '../../server/src/shared/clock';
const server = await startTestServer();
const creds = createLoadSession(server.app, server.db, systemClock, 1000);
const regs = server.db.prepare('SELECT id FROM registrations WHERE session_id = ?').pluck().all(creds.sessionId) as number[];
for (const r of regs) server.app.services.delivery.start(r);
const d = server.app.services.delivery;
let seq = 0;
const N = Number(process.env.N ?? 150000);
const B = 150;
const t0 = performance.now();
for (let i = 0; i < N; i += B) {
  const ps: Promise<unknown>[] = [];
  for (let j = 0; j < B; j++) {
    const r = regs[(i + j) % regs.length]!;
    ps.push(d.saveAnswer(r, { position: ((i + j) % 100) + 1, choice: [0], seq: ++seq }));
  }
  await Promise.all(ps);
}
const ms = performance.now() - t0;
console.log(`${N} saves in batches of ${B}: ${((ms * 1000) / N).toFixed(1)} µs/save`);
await server.stop();
