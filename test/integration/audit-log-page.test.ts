import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventPage } from '../../server/src/protocol';
import { http, staffToken, startTestServer, type TestServer } from '../support/test-server';

let server: TestServer;
let official: string;

beforeAll(async () => {
  server = await startTestServer();
  official = await staffToken(server.url, 'official', 'demo-official-2026');
}, 120_000);
afterAll(async () => {
  await server?.stop();
});

const page = (path: string) => http<EventPage>(server.url, path, { token: official });

// Issue 16: an official reads the log as people and pages, not as `staff:3` in one 7,000-pixel table.
describe('event log pages for officials', () => {
  it('names every actor on the page with the person and role, and every candidate in a payload', async () => {
    const sessionId = server.demo!.pastSession!.sessionId;
    const res = await page(`/api/audit/chains/session:${sessionId}?limit=1000`);
    expect(res.status).toBe(200);
    const actors = new Set(res.body.events.map((e) => e.actor));
    for (const actor of actors) {
      const who = res.body.people[actor];
      expect(who, actor).toBeDefined();
      expect(who!.name.length).toBeGreaterThan(0);
    }
    const chiefId = server.db.prepare("SELECT id FROM staff WHERE username = 'chief'").pluck().get() as number;
    expect(res.body.people[`staff:${chiefId}`]).toMatchObject({ kind: 'staff', roles: ['chief_examiner'] });
    const reg = server.db
      .prepare(
        'SELECT r.id, c.name, r.seat_no FROM registrations r JOIN candidates c ON c.id = r.candidate_id WHERE r.session_id = ? LIMIT 1',
      )
      .get(sessionId) as { id: number; name: string; seat_no: number };
    expect(res.body.people[`candidate:${reg.id}`]).toMatchObject({
      kind: 'candidate',
      name: reg.name,
      seatNo: reg.seat_no,
    });
  });

  it('pages a long chain with a total, and a candidate filter finds the events by and about that candidate', async () => {
    const sessionId = server.demo!.pastSession!.sessionId;
    const first = await page(`/api/audit/chains/session:${sessionId}?limit=20`);
    expect(first.body.events).toHaveLength(20);
    expect(first.body.total).toBeGreaterThan(20);
    const second = await page(`/api/audit/chains/session:${sessionId}?limit=20&afterSeq=${first.body.nextAfterSeq}`);
    expect(second.body.events[0]!.seq).toBe(first.body.events[19]!.seq + 1);
    expect(second.body.total).toBe(first.body.total);

    const reg = server.db
      .prepare('SELECT id FROM registrations WHERE session_id = ? ORDER BY id LIMIT 1')
      .pluck()
      .get(sessionId) as number;
    const mine = await page(`/api/audit/chains/session:${sessionId}?registrationId=${reg}&limit=1000`);
    expect(mine.body.events.length).toBeGreaterThan(0);
    expect(mine.body.total).toBe(mine.body.events.length);
    // Saves are the candidate's own acts (actor candidate:N), not only events naming them in the payload.
    expect(mine.body.events.some((e) => e.actor === `candidate:${reg}`)).toBe(true);
    for (const e of mine.body.events)
      expect(e.actor === `candidate:${reg}` || e.payload.registrationId === reg, JSON.stringify(e)).toBe(true);
  });

  it('filters the institution chain by ledger case so an official can open the events behind a case', async () => {
    const made = await http(server.url, '/api/conduct/inspections', {
      token: official,
      body: {
        kind: 'inspection',
        day: '2026-12-01',
        inspectors: '赵敏',
        areas: ['site'],
        findings: [
          {
            area: 'site',
            problem: '监督电话未公示',
            measure: '重新张贴',
            responsible: '王建国',
            deadline: '2099-12-10',
          },
        ],
      },
    });
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    const ledgerId = server.db.prepare('SELECT max(id) FROM conduct_ledger').pluck().get() as number;
    const res = await page(`/api/audit/chains/institution?ledgerId=${ledgerId}`);
    expect(res.status).toBe(200);
    expect(res.body.events.map((e) => e.type)).toEqual(['conduct.ledger-created']);
    expect(res.body.total).toBe(1);
  });
});
