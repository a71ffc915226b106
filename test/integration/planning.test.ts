import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AdmissionTicket, PlanningOptions } from '../../server/src/protocol';
import { simulatedIdNumber } from '../load/load-session';
import { http, staffToken, startTestServer, type TestServer } from '../support/test-server';

let server: TestServer;
let chief: string;
let official: string;

beforeAll(async () => {
  server = await startTestServer();
  chief = await staffToken(server.url, 'chief', 'demo-chief-2026');
  official = await staffToken(server.url, 'official', 'demo-official-2026');
});
afterAll(() => server.stop());

describe('planning a session', () => {
  it('creates a draft session, allocates random seats, schedules it and prints tickets', async () => {
    const options = (await http<PlanningOptions>(server.url, '/api/planning/options', { token: chief })).body;
    const blueprint = options.blueprints.find((b) => b.category === 'N1')!;
    const version = options.bankVersions.find((v) => v.category === 'N1')!;
    const admin = await staffToken(server.url, 'admin', 'demo-admin-2026');
    const room = await http<{ roomId: number }>(server.url, '/api/rooms', {
      token: admin,
      body: { name: '第二考场', seatCount: 40 },
    });
    expect(room.status).toBe(201);
    const start = Date.UTC(2026, 11, 2, 1, 0); // 2 Dec 2026, 09:00 Beijing
    const created = await http<{ sessionId: number }>(server.url, '/api/sessions', {
      token: chief,
      body: {
        name: 'N1 叉车司机 理论考试（补考）',
        category: 'N1',
        blueprintId: blueprint.id,
        bankVersionId: version.id,
        roomId: room.body.roomId,
        scheduledStart: start,
      },
    });
    expect(created.status).toBe(201);
    const sessionId = created.body.sessionId;
    const session = server.app.services.sessions.get(sessionId);
    expect(session).toMatchObject({ state: 'draft', code: 'N1-20261202-01', durationMinutes: 60 });
    expect(session.settings.lateAdmissionMinutes).toBe(30);

    for (let i = 0; i < 5; i++) {
      const idNumber = simulatedIdNumber(9000 + i);
      const person = {
        name: `新考生${i}`,
        idNumber,
        employerOrgId: null,
        trainingOrgId: null,
        courseFrom: null,
        courseTo: null,
        appliedCategory: 'N1',
      };
      expect((await http(server.url, '/api/people/candidates', { token: admin, body: person })).status).toBe(201);
      const res = await http(server.url, `/api/sessions/${sessionId}/registrations`, {
        token: chief,
        body: { idNumber },
      });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
    }
    const allocated = await http<{ seats: { seatNo: number }[] }>(
      server.url,
      `/api/sessions/${sessionId}/seats/allocate`,
      { token: chief, body: {} },
    );
    expect(allocated.status).toBe(200);
    const seats = allocated.body.seats.map((s) => s.seatNo);
    expect(new Set(seats).size).toBe(5);
    expect(seats.every((n) => n >= 1 && n <= 40)).toBe(true);

    expect((await http(server.url, `/api/sessions/${sessionId}/schedule`, { token: chief, body: {} })).status).toBe(
      200,
    );
    const tickets = await http<{ tickets: AdmissionTicket[] }>(server.url, `/api/sessions/${sessionId}/tickets`, {
      token: chief,
    });
    expect(tickets.body.tickets.map((t) => t.seatNo).sort()).toEqual([...seats].sort());
    expect(tickets.body.tickets[0]!.idNumberMasked).toMatch(/^\d{4}\*+\d{3}[\dX]$/);
    const events = server.db
      .prepare('SELECT type FROM events WHERE chain = ? ORDER BY seq')
      .pluck()
      .all(`session:${sessionId}`) as string[];
    expect(events).toEqual(
      expect.arrayContaining(['session.planned', 'session.seats-allocated', 'session.transition']),
    );
  });

  it('refuses a bank version or blueprint of another category, and officials', async () => {
    const options = (await http<PlanningOptions>(server.url, '/api/planning/options', { token: chief })).body;
    const body = {
      name: '错配',
      category: 'G1',
      blueprintId: options.blueprints.find((b) => b.category === 'G1')!.id,
      bankVersionId: options.bankVersions.find((v) => v.category === 'N1')!.id,
      roomId: options.rooms[0]!.id,
      scheduledStart: Date.now(),
    };
    const res = await http<{ error: { code: string } }>(server.url, '/api/sessions', { token: chief, body });
    expect(res.body.error.code).toBe('invalid-plan');
    expect((await http(server.url, '/api/sessions', { token: official, body })).status).toBe(403);
    expect((await http(server.url, '/api/planning/options', { token: official })).status).toBe(403);
  });

  it('refuses random seats once the papers are sealed', async () => {
    const res = await http<{ error: { code: string } }>(
      server.url,
      `/api/sessions/${server.demo!.sessionId}/seats/allocate`,
      { token: chief, body: {} },
    );
    expect(res.body.error.code).toBe('roster-locked');
  });
});
