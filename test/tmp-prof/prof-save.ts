import { startTestServer } from '../support/test-server';
import { prepareDemoSession } from '../support/demo-session';
const server = await startTestServer();
await prepareDemoSession(server);
const regs = server.db.prepare('SELECT id FROM registrations WHERE session_id = ?').pluck().all(server.demo!.sessionId) as number[];
for (const r of regs) server.app.services.delivery.start(r);
const d = server.app.services.delivery;
let seq = 0;
const N = Number(process.env.N ?? 20000);
const t0 = performance.now();
const ps: Promise<unknown>[] = [];
for (let i = 0; i < N; i++) {
  const r = regs[i % regs.length]!;
  ps.push(d.saveAnswer(r, { position: (i % 100) + 1, choice: [0], seq: ++seq }));
  if (ps.length >= 2000) await Promise.all(ps.splice(0));
}
await Promise.all(ps);
const ms = performance.now() - t0;
console.log(`${N} saves in ${ms.toFixed(0)} ms = ${((N / ms) * 1000).toFixed(0)}/s`);
await server.stop();
