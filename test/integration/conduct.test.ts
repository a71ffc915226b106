import { existsSync, readFileSync } from 'node:fs';
import jwt from 'jsonwebtoken';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConductSummary, LedgerEntry, ReportView } from '../../server/src/protocol';
import { ManualClock } from '../../server/src/shared/clock';
import { connectSocket, expectOk, type CandidateSocket } from '../support/candidate-socket';
import { prepareDemoSession } from '../support/demo-session';
import { candidateToken, http, staffToken, startTestServer, type TestServer } from '../support/test-server';

let server: TestServer;
const clock = new ManualClock(Date.now());
const sockets: CandidateSocket[] = [];
const tokens: Record<string, string> = {};
let candidate: string;
let registrationId: number;

beforeAll(async () => {
  server = await startTestServer({ clock });
  await prepareDemoSession(server);
  for (const s of server.demo!.staff) tokens[s.username] = await staffToken(server.url, s.username, s.password);
  const c = server.demo!.candidates[0]!;
  candidate = await candidateToken(server.url, c.admissionNo, c.idNumber);
  registrationId = server.db
    .prepare('SELECT id FROM registrations WHERE admission_no = ?')
    .pluck()
    .get(c.admissionNo) as number;
});
afterAll(async () => {
  sockets.forEach((s) => s.close());
  await server.stop();
});

const resultState = () =>
  JSON.stringify([
    server.db.prepare('SELECT * FROM results WHERE registration_id = ?').raw().all(registrationId),
    server.db.prepare("SELECT * FROM events WHERE chain LIKE 'session:%' ORDER BY chain, seq").raw().all(),
  ]);

describe('conduct supervision over HTTP', () => {
  it('accepts a survey and an anonymous report only after submission, without touching the result', async () => {
    const early = await http(server.url, '/api/candidate/conduct/report', {
      token: candidate,
      body: { kind: 'money', body: '考场外有人索要保过费', anonymous: true },
    });
    expect(early.status).toBe(409);
    const socket = await connectSocket(server.url, candidate);
    sockets.push(socket);
    expectOk(await socket.call('exam:start'));
    expectOk(await socket.call('exam:submit', { confirm: true }));
    const before = resultState();
    const big = await http(server.url, '/api/candidate/conduct/report', {
      token: candidate,
      body: { kind: 'money', body: 'x'.repeat(2001), anonymous: true },
    });
    expect(big.status).toBe(400);
    const survey = await http(server.url, '/api/candidate/conduct/survey', {
      token: candidate,
      body: { service: 5, fairness: 5, equipment: 4, staffConduct: 2, comment: '' },
    });
    expect(survey.status).toBe(201);
    const filed = await http<{ id: number }>(server.url, '/api/candidate/conduct/report', {
      token: candidate,
      body: { kind: 'money', body: '考场外有人索要保过费 500 元', anonymous: true },
    });
    expect(filed.status).toBe(201);
    expect(resultState()).toBe(before);
  });

  it('shows reports to officials only, and lets the official, the institution and the official again carry the ledger to verified', async () => {
    for (const u of ['admin', 'chief', 'proctor1', 'bank'])
      expect((await http(server.url, '/api/conduct/reports', { token: tokens[u] })).status, u).toBe(403);
    expect((await http(server.url, '/api/conduct/reports', { token: candidate })).status).toBe(403);
    const list = await http<{ reports: ReportView[] }>(server.url, '/api/conduct/reports', { token: tokens.official });
    const report = list.body.reports[0]!;
    expect(report.reporter).toBeNull();
    // Before the case the institution's ledger and log show nothing of it.
    const ledgerBefore = await http<{ entries: LedgerEntry[] }>(server.url, '/api/conduct/ledger', {
      token: tokens.admin,
    });
    expect(ledgerBefore.body.entries).toHaveLength(0);
    expect(
      JSON.stringify(server.db.prepare("SELECT payload FROM events WHERE chain = 'institution'").pluck().all()),
    ).not.toContain(report.contentHash);
    // Institution staff cannot open cases or verify.
    expect(
      (await http(server.url, `/api/conduct/reports/${report.id}/case`, { token: tokens.admin, body: {} })).status,
    ).toBe(403);
    const opened = await http<LedgerEntry>(server.url, `/api/conduct/reports/${report.id}/case`, {
      token: tokens.official,
      body: {
        problem: '有考生反映考场外有人索要保过费',
        measure: '核查并公开监督电话',
        responsible: '王建国',
        deadline: '2099-12-10',
      },
    });
    expect(opened.status).toBe(201);
    const id = opened.body.id;
    expect(
      (await http(server.url, `/api/conduct/ledger/${id}/respond`, { token: tokens.official, body: { note: '代办' } }))
        .status,
    ).toBe(403);
    expect(
      (
        await http(server.url, `/api/conduct/ledger/${id}/respond`, {
          token: tokens.admin,
          body: { note: '已成立核查组' },
        })
      ).status,
    ).toBe(200);
    const up = await fetch(
      `${server.url}/api/conduct/ledger/${id}/evidence?name=${encodeURIComponent('核查报告.txt')}`,
      {
        method: 'POST',
        headers: { authorization: `Bearer ${tokens.admin}`, 'content-type': 'text/plain' },
        body: '核查结论：已公开监督电话。',
      },
    );
    expect(up.status).toBe(201);
    expect(
      (
        await http(server.url, `/api/conduct/ledger/${id}/rectified`, {
          token: tokens.chief,
          body: { note: '整改完成' },
        })
      ).status,
    ).toBe(200);
    expect(
      (await http(server.url, `/api/conduct/ledger/${id}/verify`, { token: tokens.admin, body: { note: '自验' } }))
        .status,
    ).toBe(403);
    const verified = await http<LedgerEntry>(server.url, `/api/conduct/ledger/${id}/verify`, {
      token: tokens.official,
      body: { note: '复核通过' },
    });
    expect(verified.body.status).toBe('verified');
    const staffView = await http<{ entries: LedgerEntry[] }>(server.url, '/api/conduct/ledger', {
      token: tokens.admin,
    });
    expect(staffView.body.entries[0]!.fromReport).toBe(true);
    expect(JSON.stringify(staffView.body)).not.toContain('500 元');
    const xlsx = await fetch(`${server.url}/api/conduct/ledger?format=xlsx`, {
      headers: { authorization: `Bearer ${tokens.official}` },
    });
    expect(xlsx.headers.get('content-type')).toContain('spreadsheetml');
    const year = Number(new Date(clock.now() + 8 * 3600_000).toISOString().slice(0, 4));
    const summary = await http<ConductSummary>(server.url, `/api/conduct/summary?year=${year}`, {
      token: tokens.official,
    });
    expect(summary.body.reports).toMatchObject({ total: 1, anonymous: 1, cases: 1 });
    expect(summary.body.findings).toMatchObject({ total: 1, verified: 1, rectificationRate: 1 });
    expect((await http(server.url, `/api/conduct/summary?year=${year}`, { token: tokens.admin })).status).toBe(403);
  });

  it('refuses staff accounts with role official and official password changes', async () => {
    const created = await http(server.url, '/api/people/staff', {
      token: tokens.admin,
      body: {
        username: 'fake-official',
        name: '假监管',
        roles: ['official'],
        idNumber: null,
        employerOrgId: null,
        qualification: null,
      },
    });
    expect(created.status).toBe(403);
    const pw = await http(server.url, '/api/auth/password', {
      token: tokens.official,
      body: { currentPassword: 'demo-official-2026', newPassword: 'something-new-2026' },
    });
    expect(pw.status).toBe(403);
    expect((pw.body as { error: { code: string } }).error.code).toBe('official-password-by-grant');
  });

  it('refuses an official token minted with the JWT secret for an account that is not the official', async () => {
    // An insider with the data folder (JWT secret on disk) mints a token that claims the role official for the
    // admin's account: the account check on every request (issue 13, hole 12) refuses it because the account's
    // roles are not those of the token, and officials' writes re-check the regulator grant besides.
    const secret = Buffer.from(readFileSync(join(server.dataDir, 'keys', 'jwt-secret'), 'utf8').trim(), 'base64');
    const admin = server.db.prepare("SELECT id FROM staff WHERE username = 'admin'").pluck().get() as number;
    const forged = jwt.sign({ kind: 'staff', sub: String(admin), roles: ['official'], name: '假冒' }, secret, {
      issuer: 'exam-center',
      expiresIn: 600,
    });
    expect((await http(server.url, '/api/conduct/reports', { token: forged })).status).toBe(401);
    const body = { kind: 'inspection', day: '2026-11-25', inspectors: '假冒', areas: ['site'], findings: [] };
    expect((await http(server.url, '/api/conduct/inspections', { token: forged, body })).status).toBe(401);
  });

  it('KNOWN GAP (regulator issue): a token minted with the JWT secret in the official’s own name reads reports', async () => {
    // The honest case the test above does not cover: the official's own id, role and current token version,
    // signed with the secret from <data>/keys (whoever holds the data folder holds the database too, so can read
    // the version). The server cannot tell this token from one its login issued: candidates' reports, readable
    // by officials only, are then readable by the institution. What stops it needs a key the institution does
    // not hold (officials' sessions bound to the regulator's key, reports encrypted to it): the regulator issue.
    // This test asserts what is true today, so that closing the gap must change it.
    const secret = Buffer.from(readFileSync(join(server.dataDir, 'keys', 'jwt-secret'), 'utf8').trim(), 'base64');
    const row = server.db
      .prepare("SELECT id, name, token_version AS tv FROM staff WHERE username = 'official'")
      .get() as { id: number; name: string; tv: number };
    const minted = jwt.sign(
      { kind: 'staff', sub: String(row.id), roles: ['official'], name: row.name, tv: row.tv },
      secret,
      {
        issuer: 'exam-center',
        expiresIn: 600,
      },
    );
    const read = await http<{ reports: unknown[] }>(server.url, '/api/conduct/reports', { token: minted });
    expect(read.status).toBe(200);
    expect(Array.isArray(read.body.reports)).toBe(true);
  });

  it('records a spot check among the session’s own events and limits evidence to 5 MB', async () => {
    const sessionId = server.demo!.sessionId;
    const res = await http<{ id: number }>(server.url, '/api/conduct/inspections', {
      token: tokens.official,
      body: {
        kind: 'spot-check',
        day: '2026-11-25',
        inspectors: '赵敏',
        areas: ['procedure', 'site'],
        sessionId,
        notes: '现场抽查，秩序正常',
      },
    });
    expect(res.status).toBe(201);
    const last = server.db
      .prepare('SELECT type, payload FROM events WHERE chain = ? ORDER BY seq DESC LIMIT 1')
      .get(`session:${sessionId}`) as { type: string; payload: string };
    expect(last.type).toBe('conduct.spot-check');
    expect(JSON.parse(last.payload)).toMatchObject({ inspectionId: res.body.id });
    const noSession = await http(server.url, '/api/conduct/inspections', {
      token: tokens.official,
      body: { kind: 'spot-check', day: '2026-11-25', inspectors: '赵敏', areas: ['site'] },
    });
    expect(noSession.status).toBe(400);
    const ledger = await http<{ entries: LedgerEntry[] }>(server.url, '/api/conduct/ledger', { token: tokens.admin });
    const id = ledger.body.entries[0]!.id;
    const tooBig = await fetch(`${server.url}/api/conduct/ledger/${id}/evidence?name=big.pdf`, {
      method: 'POST',
      headers: { authorization: `Bearer ${tokens.admin}`, 'content-type': 'application/pdf' },
      body: new Uint8Array(5 * 1024 * 1024 + 1),
    });
    expect(tooBig.status).toBe(413);
  });

  it('keeps the demo official working after a restart, from the stored grant and the regulator key on disk', async () => {
    const first = await startTestServer({ keepData: true });
    const dataDir = first.dataDir;
    await first.stop();
    const again = await startTestServer({ dataDir });
    try {
      expect(existsSync(join(dataDir, 'keys', 'regulator.pub'))).toBe(true);
      expect(existsSync(join(dataDir, 'demo-regulator', 'regulator-data', 'keys', 'regulator-ed25519.key.pem'))).toBe(
        true,
      );
      const token = await staffToken(again.url, 'official', 'demo-official-2026');
      expect((await http(again.url, '/api/conduct/reports', { token })).status).toBe(200);
    } finally {
      await again.stop();
    }
  });
});
