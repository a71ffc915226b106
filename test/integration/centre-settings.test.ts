import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../server/src/config';
import type { ExamSnapshot, SeatGrid, TimeSync } from '../../server/src/protocol';
import { ManualClock } from '../../server/src/shared/clock';
import { connectSocket, expectOk } from '../support/candidate-socket';
import { prepareDemoSession } from '../support/demo-session';
import { candidateToken, http, staffToken, startTestServer, type TestServer } from '../support/test-server';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ demo: false });
});
afterAll(() => server.stop());

describe('what every browser asks the centre for before any login', () => {
  it('favicon: /favicon.ico is a real icon, not a 404', async () => {
    const res = await fetch(server.url + '/favicon.ico');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/x-icon');
    const bytes = new Uint8Array(await res.arrayBuffer());
    // ICONDIR: reserved 0, type 1 (icon), at least one image.
    expect([...bytes.slice(0, 4)]).toEqual([0, 0, 1, 0]);
    expect(bytes[4]).toBeGreaterThan(0);
    expect(bytes.length).toBeGreaterThan(22);
  });

  it('time zone: the health answer names the centre time zone, Asia/Shanghai unless configured', async () => {
    const res = await fetch(server.url + '/api/health');
    expect(((await res.json()) as { timeZone?: string }).timeZone).toBe('Asia/Shanghai');
    expect(loadConfig({ EXAM_CENTER_TIMEZONE: 'Asia/Urumqi' }).timeZone).toBe('Asia/Urumqi');
    expect(() => loadConfig({ EXAM_CENTER_TIMEZONE: 'Mars/Olympus' })).toThrow(/EXAM_CENTER_TIMEZONE/);
  });
});

describe('time given back after a server outage', () => {
  it('outage: the candidate snapshot and time sync and the proctor seat grid say how much time was given back', async () => {
    const clock = new ManualClock(Date.now());
    const first = await startTestServer({ keepData: true, clock });
    let second: TestServer | null = null;
    try {
      await prepareDemoSession(first);
      const c = first.demo!.candidates[0]!;
      const token = await candidateToken(first.url, c.admissionNo, c.idNumber);
      const socket = await connectSocket(first.url, token);
      const started = expectOk(await socket.call<ExamSnapshot>('exam:start'));
      expect(started.timeGivenBackMs).toBe(0);
      socket.close();
      await first.app.close();
      first.db.close();

      clock.advance(45_000); // the server is down for 45 s
      second = await startTestServer({ dataDir: first.dataDir, clock });
      const again = await connectSocket(second.url, await candidateToken(second.url, c.admissionNo, c.idNumber));
      const snapshot = expectOk(await again.call<ExamSnapshot>('exam:join'));
      expect(snapshot.timeGivenBackMs).toBe(45_000);
      expect(expectOk(await again.call<TimeSync>('exam:time')).timeGivenBackMs).toBe(45_000);
      again.close();

      const proctor = await staffToken(second.url, 'proctor1', 'demo-proctor-2026');
      const grid = await http<SeatGrid>(second.url, `/api/proctoring/sessions/${first.demo!.sessionId}/seats`, {
        token: proctor,
      });
      expect(grid.body.outages).toEqual([{ at: clock.now(), outageMs: 45_000, compensatedMs: 45_000 }]);
    } finally {
      await second?.stop();
      rmSync(first.dataDir, { recursive: true, force: true });
    }
  });
});
