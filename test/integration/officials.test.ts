import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventPage, IdentityView, SeatGrid } from '../../server/src/protocol';
import { candidateToken, http, staffToken, startTestServer, type TestServer } from '../support/test-server';

let server: TestServer;
let official: string;
let proctor: string;

beforeAll(async () => {
  server = await startTestServer();
  official = await staffToken(server.url, 'official', 'demo-official-2026');
  proctor = await staffToken(server.url, 'proctor1', 'demo-proctor-2026');
}, 120_000);
afterAll(async () => {
  await server?.stop();
});

/** Every route express has mounted (app.routes()), so a route added later is tested too. */
const mountedRoutes = () => server.app.routes();

/**
 * The regulator's own records (现场监督抽查 inspections, cases, verification of rectification) are written by
 * officials by design (conduct module, mounted before the read-only guard); they change no exam data.
 */
function officialsOwnWrites(): Set<string> {
  const router = server.app.services.conduct.officialWrites as unknown as {
    stack: { route?: { path: string; methods: Record<string, boolean> } }[];
  };
  const out = new Set<string>();
  for (const layer of router.stack)
    if (layer.route)
      for (const m of Object.keys(layer.route.methods)) out.add(`${m.toUpperCase()} /api${layer.route.path}`);
  return out;
}

describe("officials' console", () => {
  it('refuses every mutating route to an official token with 403', async () => {
    const own = officialsOwnWrites();
    // The supervising official may hold custodian slot B and enters that code with their own password (issue 13).
    own.add('POST /api/sessions/:id/open/code');
    // Confirming an integrity exception is the supervising official's second-person check (issue 13).
    own.add('POST /api/sessions/:id/integrity/exceptions/:exceptionId/confirm');
    const routes = mountedRoutes().filter(
      (r) => !['GET', 'HEAD', 'OPTIONS'].includes(r.method) && !own.has(`${r.method} ${r.path}`),
    );
    expect(routes.length).toBeGreaterThan(15);
    const failures: string[] = [];
    for (const r of routes) {
      if (r.path === '/api/auth/login' || r.path === '/api/auth/candidate' || r.path === '/api/auth/password') continue; // signing in is not a change
      const path = r.path.replace(/:[a-zA-Z]+/g, '1').replace(/\*[a-zA-Z]+/g, 'x');
      const res = await http(server.url, path, { method: r.method, body: {}, token: official });
      if (res.status !== 403) failures.push(`${r.method} ${r.path} → ${res.status}`);
    }
    expect(failures).toEqual([]);
  }, 60_000);

  it('logs every page an official opens on the institution chain', async () => {
    const sessionId = server.demo!.pastSession!.sessionId;
    const res = await http(server.url, `/api/audit/sessions/${sessionId}/anomalies`, { token: official });
    expect(res.status).toBe(200);
    const log = await http<EventPage>(server.url, '/api/audit/chains/institution?type=official.viewed&limit=1000', {
      token: official,
    });
    expect(log.body.events.some((e) => e.payload.path === `/audit/sessions/${sessionId}/anomalies`)).toBe(true);
  });

  it('sees a proctor’s identity check and incident in the session log, and the chain verifies with signed heads', async () => {
    const sessionId = server.demo!.sessionId;
    const c = server.demo!.candidates[1]!;
    const cand = await candidateToken(server.url, c.admissionNo, c.idNumber);
    const snap = await http(server.url, '/api/candidate/snapshot', {
      token: cand,
      body: { camera: 'none', reason: 'test seat' },
    });
    expect(snap.status).toBe(200);
    const grid = await http<SeatGrid>(server.url, `/api/proctoring/sessions/${sessionId}/seats`, { token: proctor });
    const seat = grid.body.seats.find((s) => s.admissionNo === c.admissionNo)!;
    expect(seat.snapshot).toBe('no-camera');
    const check = await http<IdentityView>(
      server.url,
      `/api/proctoring/registrations/${seat.registrationId}/identity`,
      {
        token: proctor,
        // No registered photo: the ID card read and its photo compared (issue 13).
        body: { outcome: 'pass', note: '人证一致', idCard: { number: c.idNumber, photoCompared: true } },
      },
    );
    expect(check.status).toBe(200);
    expect(check.body.state).toBe('passed');
    const incident = await http(server.url, `/api/proctoring/sessions/${sessionId}/incidents`, {
      token: proctor,
      body: { type: 'phone', registrationId: seat.registrationId, note: '发现携带手机' },
    });
    expect(incident.status).toBe(201);
    // the official cannot do the same
    expect(
      (
        await http(server.url, `/api/proctoring/sessions/${sessionId}/incidents`, {
          token: official,
          body: { type: 'phone', note: 'x' },
        })
      ).status,
    ).toBe(403);

    const log = await http<EventPage>(
      server.url,
      `/api/audit/chains/session:${sessionId}?registrationId=${seat.registrationId}`,
      { token: official },
    );
    const types = log.body.events.map((e) => e.type);
    expect(types).toEqual(expect.arrayContaining(['identity.snapshot', 'identity.checked', 'incident.reported']));
    const verify = await http<{ ok: boolean; signedHeads: unknown[] }>(
      server.url,
      `/api/audit/verify/session:${sessionId}`,
      { token: official },
    );
    expect(verify.body.ok).toBe(true);
    expect(verify.body.signedHeads.length).toBeGreaterThan(0);
  });

  it('insider: locks identity after three failures until the chief examiner overrides with a note', async () => {
    const c = server.demo!.candidates[2]!;
    const rid = server.db
      .prepare('SELECT id FROM registrations WHERE admission_no = ?')
      .pluck()
      .get(c.admissionNo) as number;
    // No registered photo: an override, like a pass, records the ID card read and its photo compared (issue 13).
    const idCard = { number: c.idNumber, photoCompared: true };
    const chief = await staffToken(server.url, 'chief', 'demo-chief-2026');
    const post = (outcome: string, note = '', card?: typeof idCard, token = proctor) =>
      http<IdentityView>(server.url, `/api/proctoring/registrations/${rid}/identity`, {
        token,
        body: { outcome, note, ...(card ? { idCard: card } : {}) },
      });
    for (let i = 0; i < 3; i++) expect((await post('fail', '不一致')).status).toBe(200);
    expect((await post('pass', '', idCard)).status).toBe(409);
    // The proctor who failed the candidate cannot wave them through: only the session's chief examiner.
    expect((await post('override', '监考自行放行', idCard)).status).toBe(403);
    expect((await post('override', '', idCard, chief)).status).toBe(400);
    expect((await post('override', '主考现场核对身份证原件', undefined, chief)).status).toBe(400);
    const ok = await post('override', '主考现场核对身份证原件', idCard, chief);
    expect(ok.body.state).toBe('passed');
  });
});
