import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventPage } from '../../server/src/protocol';
import { http, startTestServer, staffToken, type TestServer } from '../support/test-server';

// Issue 13 hole 9: a relationship cannot be retracted to dodge 回避. It keeps counting until an admin
// reviews its removal, and that review is a chained event officials read.

type ErrorBody = { error: { code: string; message: string } };
type Removal = {
  part: 'relationship' | 'engagement';
  itemId: number;
  summary: string;
  declaredInVersion: number;
  removedInVersion: number;
  review: { reason: string; reviewedBy: string; reviewedAt: number } | null;
};

describe('insider: retracted declarations', () => {
  let server: TestServer;
  let admin: string;
  let official: string;
  let proctor3: string;
  const staffId = (username: string) =>
    server.db.prepare('SELECT id FROM staff WHERE username = ?').pluck().get(username) as number;

  beforeAll(async () => {
    server = await startTestServer();
    admin = await staffToken(server.url, 'admin', 'demo-admin-2026');
    official = await staffToken(server.url, 'official', 'demo-official-2026');
    proctor3 = await staffToken(server.url, 'proctor3', 'demo-proctor-2026');
  });
  afterAll(async () => server?.stop());

  const assign = () =>
    http<ErrorBody>(server.url, `/api/sessions/${server.demo!.sessionId}/staff`, {
      token: admin,
      body: { staffId: staffId('proctor3'), duty: 'proctor' },
    });

  it('insider: a retracted relative still refuses the proctor until an admin reviews the removal', async () => {
    // The demo's proctor3 declared a candidate as his brother; he signs a new version without him.
    const retract = await http(server.url, '/api/people/declarations/me', {
      token: proctor3,
      body: { relationships: [], engagements: [], confirm: true, password: 'demo-proctor-2026' },
    });
    expect(retract.status).toBe(201);

    const refused = await assign();
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('recusal-conflict');
    expect(refused.body.error.message).toContain('撤回');

    // Officials see the pending removal; a proctor cannot review his own retraction, an official cannot act.
    const listed = await http<{ removals: Removal[] }>(
      server.url,
      `/api/people/staff/${staffId('proctor3')}/declaration-removals`,
      { token: official },
    );
    expect(listed.status).toBe(200);
    const pending = listed.body.removals.find((r) => r.part === 'relationship' && r.review === null)!;
    expect(pending).toMatchObject({ declaredInVersion: 1, removedInVersion: 2 });
    const review = { part: pending.part, itemId: pending.itemId, reason: '经核实两人并非亲属，原申报有误（户籍证明）' };
    for (const token of [proctor3, official]) {
      const no = await http(server.url, `/api/people/staff/${staffId('proctor3')}/declaration-removals/review`, {
        token,
        body: review,
      });
      expect(no.status).toBe(403);
    }
    const reviewed = await http<{ removal: Removal }>(
      server.url,
      `/api/people/staff/${staffId('proctor3')}/declaration-removals/review`,
      { token: admin, body: review },
    );
    expect(reviewed.status).toBe(201);
    expect(reviewed.body.removal.review).toMatchObject({ reason: review.reason, reviewedBy: expect.any(String) });

    const all = await http<{ removals: Removal[] }>(server.url, '/api/people/declaration-removals', {
      token: official,
    });
    expect(all.body.removals.find((r) => r.itemId === pending.itemId)?.review?.reason).toBe(review.reason);

    const allowed = await assign();
    expect(allowed.status, JSON.stringify(allowed.body)).toBe(201);

    // The review is on the institution chain, which officials read.
    const chain = await http<EventPage>(
      server.url,
      '/api/audit/chains/institution?type=people.declaration-removal-reviewed',
      { token: official },
    );
    const event = chain.body.events[0];
    expect(event?.payload).toMatchObject({
      staffId: staffId('proctor3'),
      part: 'relationship',
      itemId: pending.itemId,
      reason: review.reason,
    });
  });
});
