import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { integrityCommand } from '../../server/src/integrity/integrity.cli';
import { DEMO_CANDIDATES } from '../../server/src/demo/demo-people';
import { idNumberCheckDigit } from '../../server/src/people/id-number';
import type { SessionIntegrityView } from '../../server/src/protocol';
import { http, startTestServer, staffToken, type TestServer } from '../support/test-server';

type ErrorBody = {
  error: { code: string; message: string; details?: { findings?: { staffId: number; candidateId: number }[] } };
};

// Issue 5 acceptance: recusal at assignment and at registration, and the re-check on opening, over HTTP.
describe('integrity rules at every enforcement point (real server, demo data)', () => {
  let server: TestServer;
  let admin: string;
  let official: string;
  let proctor: string;
  const staffId = (username: string) =>
    server.db.prepare('SELECT id FROM staff WHERE username = ?').pluck().get(username) as number;
  const candidateId = (idNumber: string) =>
    server.db.prepare('SELECT id FROM candidates WHERE id_number = ?').pluck().get(idNumber) as number;
  const [brother] = DEMO_CANDIDATES;

  beforeAll(async () => {
    server = await startTestServer();
    admin = await staffToken(server.url, 'admin', 'demo-admin-2026');
    official = await staffToken(server.url, 'official', 'demo-official-2026');
    proctor = await staffToken(server.url, 'proctor1', 'demo-proctor-2026');
  });
  afterAll(async () => server?.stop());

  /** A new draft session like the demo one (session planning has its own issue; here the repo makes it). */
  const newSession = () => {
    const demo = server.app.services.sessions.get(server.demo!.sessionId);
    const repo = server.app.services.sessions.repo;
    const roomId = repo.insertRoom(`集成测试考场 ${Math.random()}`, 30);
    return repo.insertSession(
      {
        ...demo,
        code: `N1-IT-${Date.now()}`,
        name: '集成测试场次',
        roomId,
        state: 'draft',
        scheduledStart: Date.now(),
      },
      Date.now(),
    );
  };

  it('refuses to assign a proctor who is the relative of a registered candidate, naming both', async () => {
    const res = await http<ErrorBody>(server.url, `/api/sessions/${server.demo!.sessionId}/staff`, {
      token: admin,
      body: { staffId: staffId('proctor3'), duty: 'proctor' },
    });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('recusal-conflict');
    expect(res.body.error.message).toContain('孙立军');
    expect(res.body.error.message).toContain(brother!.name);
    expect(res.body.error.details?.findings?.[0]).toMatchObject({
      staffId: staffId('proctor3'),
      candidateId: candidateId(brother!.idNumber),
    });
  });

  it('refuses to register the relative after the proctor was assigned, then re-checks on opening', async () => {
    // New candidates (the demo ones already sit today's N1 session, and 补考 rules forbid a second one).
    const created: { id: number; idNumber: string; name: string }[] = [];
    for (const [name, first17] of [
      ['孙小军', '37010220000214451'],
      ['赵一', '37010219910101161'],
      ['钱二', '37010219920202272'],
      ['李三', '37010219930303383'],
    ] as const) {
      const res = await http<{ id: number; idNumber: string; name: string }>(server.url, '/api/people/candidates', {
        token: admin,
        body: {
          name,
          idNumber: first17 + idNumberCheckDigit(first17),
          employerOrgId: null,
          trainingOrgId: null,
          courseFrom: null,
          courseTo: null,
          appliedCategory: 'N1',
        },
      });
      expect(res.status).toBe(201);
      created.push(res.body);
    }
    const [nephew, ...rest] = created as [(typeof created)[number], ...typeof created];
    // proctor3 declares a second relative: a new signed version of the declaration.
    const proctor3 = await staffToken(server.url, 'proctor3', 'demo-proctor-2026');
    const declared = await http<{ version: number }>(server.url, '/api/people/declarations/me', {
      token: proctor3,
      body: {
        relationships: [
          { kind: 'relative', personIdNumber: brother!.idNumber, personName: brother!.name, note: '兄弟' },
          { kind: 'relative', personIdNumber: nephew.idNumber, personName: nephew.name, note: '侄子' },
        ],
        engagements: [],
        confirm: true,
        password: 'demo-proctor-2026',
      },
    });
    expect(declared.status).toBe(201);
    expect(declared.body.version).toBe(2);

    const sessionId = newSession();
    const assign = (username: string, duty: string) =>
      http(server.url, `/api/sessions/${sessionId}/staff`, {
        token: admin,
        body: { staffId: staffId(username), duty },
      });
    expect((await assign('proctor3', 'proctor')).status).toBe(201);

    const refused = await http<ErrorBody>(server.url, `/api/sessions/${sessionId}/registrations`, {
      token: admin,
      body: { idNumber: nephew.idNumber },
    });
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('recusal-conflict');
    expect(refused.body.error.message).toContain('孙立军');
    expect(refused.body.error.message).toContain(nephew.name);

    for (const c of rest) {
      const ok = await http<{ seatNo: number }>(server.url, `/api/sessions/${sessionId}/registrations`, {
        token: admin,
        body: { candidateId: c.id },
      });
      expect(ok.status).toBe(201);
    }
    expect(
      (
        await http(server.url, `/api/sessions/${sessionId}/staff/${staffId('proctor3')}`, {
          token: admin,
          method: 'DELETE',
        })
      ).status,
    ).toBe(200);
    for (const [u, duty] of [
      ['chief', 'chief_examiner'],
      ['proctor1', 'proctor'],
      ['proctor2', 'proctor'],
    ])
      expect((await assign(u!, duty!)).status).toBe(201);

    server.app.services.sessions.transition(sessionId, 'scheduled', 'staff:test');
    const seal = await http<{ codes: unknown[] }>(server.url, `/api/sessions/${sessionId}/seal`, {
      token: admin,
      body: { custodians: [staffId('chief'), staffId('official')] },
    });
    expect(seal.status).toBe(200);
    expect(seal.body.codes).toEqual([]); // the operator sees no code: each custodian collects their own
    const codes: { username: string; code: string }[] = [];
    for (const [username, password] of [
      ['chief', 'demo-chief-2026'],
      ['official', 'demo-official-2026'],
    ] as const) {
      const mine = await http<{ codes: { username: string; code: string }[] }>(
        server.url,
        `/api/sessions/${sessionId}/seal/my-code`,
        { token: await staffToken(server.url, username, password) },
      );
      expect(mine.status).toBe(200);
      codes.push(...mine.body.codes);
    }

    // A ban arrives between planning and opening: the opening re-check finds it.
    const ban = await http(server.url, `/api/people/staff/${staffId('proctor2')}/disciplinary`, {
      token: admin,
      body: {
        kind: 'conduct',
        decisionDate: new Date().toISOString().slice(0, 10),
        authority: '济南市市场监督管理局',
        documentNo: '济市监特〔2026〕99号',
        summary: '行风处分（测试）',
      },
    });
    expect(ban.status).toBe(201);
    // Each custodian enters their own code (issue 13, hole 4); the second entry attempts the opening.
    const enter = async (username: string, password: string) =>
      http<ErrorBody>(server.url, `/api/sessions/${sessionId}/open/code`, {
        token: await staffToken(server.url, username, password),
        body: { password, code: codes.find((c) => c.username === username)!.code },
      });
    expect((await enter('chief', 'demo-chief-2026')).status).toBe(200);
    const open = await enter('official', 'demo-official-2026');
    expect(open.status).toBe(409);
    expect(open.body.error.code).toBe('staff-banned');
    expect(open.body.error.message).toContain('济市监特〔2026〕99号');
    expect(server.app.services.sessions.get(sessionId).state).toBe('sealed');

    // Officials see every check that ran, its inputs and outcome.
    const view = await http<SessionIntegrityView>(server.url, `/api/sessions/${sessionId}/integrity`, {
      token: official,
    });
    expect(view.status).toBe(200);
    const purposes = view.body.runs.map((r) => `${r.purpose}:${r.outcome}`);
    expect(purposes[0]).toBe('open:violation');
    expect(purposes).toContain('register:violation');
    expect(purposes).toContain('custodians:pass');
    const openRun = view.body.runs[0]!;
    expect(openRun.checks.find((c) => c.rule === 'staff-ban')).toMatchObject({
      outcome: 'violation',
      inputs: { disciplinaryRecordIds: [expect.any(Number)] },
    });
    expect(view.body.current.outcome).toBe('violation');
  });

  it('refuses every mutating people and integrity route to an official (read-only)', async () => {
    const sessionId = server.demo!.sessionId;
    const routes: [string, string, unknown][] = [
      ['POST', `/api/sessions/${sessionId}/staff`, { staffId: staffId('proctor1'), duty: 'proctor' }],
      ['DELETE', `/api/sessions/${sessionId}/staff/${staffId('proctor1')}`, undefined],
      ['POST', `/api/sessions/${sessionId}/registrations`, { idNumber: brother!.idNumber }],
      [
        'POST',
        `/api/sessions/${sessionId}/integrity/exceptions`,
        {
          code: 'recusal-conflict',
          reason: 'same-employer',
          staffId: 1,
          candidateId: null,
          justification: '官员不得登记例外',
          approver: '某人',
        },
      ],
      ['PUT', '/api/integrity/settings', { proctorsPerRoom: 1 }],
      ['POST', '/api/people/organisations', { name: '某公司', kind: 'employer' }],
      [
        'POST',
        `/api/people/staff/${staffId('proctor1')}/disciplinary`,
        { kind: 'conduct', decisionDate: '2026-01-01', authority: 'x', documentNo: 'x', summary: 'x' },
      ],
      [
        'PUT',
        `/api/people/staff/${staffId('proctor1')}/profile`,
        { idNumber: null, employerOrgId: null, qualification: null },
      ],
      ['POST', '/api/people/candidates', {}],
      [
        'POST',
        '/api/people/declarations/me',
        { relationships: [], engagements: [], confirm: true, password: 'demo-official-2026' },
      ],
    ];
    for (const [method, path, body] of routes) {
      const res = await http(server.url, path, { method, token: official, body });
      expect(res.status, `${method} ${path}`).toBe(403);
    }
  });

  it('keeps proctor assignments from proctors, and lets officials read the registries', async () => {
    expect((await http(server.url, `/api/sessions/${server.demo!.sessionId}/staff`, { token: proctor })).status).toBe(
      403,
    );
    const staff = await http<{ staff: { username: string; bans: unknown[] }[] }>(server.url, '/api/people/staff', {
      token: official,
    });
    expect(staff.body.staff.find((s) => s.username === 'proctor4')?.bans).toHaveLength(1);
    const orgs = await http<{ organisations: { name: string; barredUntil: string | null }[] }>(
      server.url,
      '/api/people/organisations',
      { token: official },
    );
    expect(orgs.body.organisations.find((o) => o.name === '章丘安达技能培训有限公司')?.barredUntil).not.toBeNull();
  });

  it('prints every rule for every session as one JSON document from the CLI', async () => {
    const out: string[] = [];
    const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => (out.push(String(chunk)), true));
    const env = process.env.EXAM_CENTER_DATA;
    process.env.EXAM_CENTER_DATA = server.dataDir;
    let code: number;
    try {
      code = await integrityCommand(['check', '--all', '--json']);
    } finally {
      spy.mockRestore();
      process.env.EXAM_CENTER_DATA = env;
    }
    const doc = JSON.parse(out.join('')) as {
      recorded: boolean;
      summary: { sessions: number; violation: number };
      sessions: {
        sessionId: number;
        outcome: string;
        results: { rule: string; outcome: string; inputs: unknown; findings: { records: unknown[] }[] }[];
      }[];
    };
    const sessionCount = server.db.prepare('SELECT count(*) FROM sessions').pluck().get() as number;
    expect(doc.recorded).toBe(false);
    expect(doc.sessions).toHaveLength(sessionCount);
    for (const sess of doc.sessions) expect(sess.results.map((r) => r.rule)).toHaveLength(9);
    // proctor2, banned above, also serves in the demo session: the CLI finds it there too, and nothing else.
    const demo = doc.sessions.find((x) => x.sessionId === server.demo!.sessionId);
    expect(demo?.results.filter((r) => r.outcome !== 'pass').map((r) => r.rule)).toEqual(['staff-ban']);
    const banned = doc.sessions.find((x) => x.results.some((r) => r.rule === 'staff-ban' && r.outcome === 'violation'));
    expect(banned?.results.find((r) => r.rule === 'staff-ban')?.findings[0]?.records).toHaveLength(1);
    expect(code).toBe(doc.summary.violation > 0 ? 1 : 0);
  });
});
