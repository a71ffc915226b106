import express from 'express';
import { generateKeyPairSync } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../../server/src/auth/passwords';
import { signGrant } from '../../server/src/conduct/grants';
import { centreSyncExport, centreSyncImport } from '../../server/src/link/link.cli';
import { sessionNotice } from '../../server/src/link/link-outgoing';
import { setLinkIdentity } from '../../server/src/link/link.service';
import {
  CENTRE_TO_REGULATOR,
  type BanListBody,
  type LinkBundleImportResult,
  type LinkExchangeResponse,
  type LinkLogEntry,
  type LinkMessageType,
  type LinkStatus,
  type SignedBanFreshness,
  type SignedLinkBundle,
  type SignedLinkMessage,
  type StaleListExceptionView,
} from '../../server/src/protocol';
import { ManualClock } from '../../server/src/shared/clock';
import {
  banListSha256,
  bundleSignatureValid,
  judgeLinkMessage,
  linkMessageHash,
  privateKeySigner,
  signBundle,
  signedPayloadValid,
  signFreshness,
  signLinkMessage,
  type Signer,
} from '../../server/src/shared/link-signing';
import { demoRegulatorPem } from '../support/link';
import { http, staffToken, startTestServer, type TestServer } from '../support/test-server';

// Issue 14, the centre's side of the regulator link, against a small fake regulator endpoint that follows the
// shared acceptance rule (shared/link-signing.ts) and signs with the demo regulator's key (keys/regulator.pub).

type ErrorBody = { error: { code: string; message: string } };
const CODE = 'LINK-01';
const CREDIT_CODE = '91370100MA3TEST01X';
const DAY = 24 * 3600_000;
const clock = new ManualClock(Date.now());
let server: TestServer;
let admin: string;
let official: string;
let regulatorPem: string;
let regulator: Signer;
let fake: Server;
let fakeUrl: string;

/** The fake regulator: its outbox to the centre, what it applied from the centre, what it answers with. */
const reg = {
  seq: 0,
  outbox: [] as SignedLinkMessage[],
  applied: new Map<number, { hash: string; message: SignedLinkMessage }>(),
  extra: [] as unknown[],
  freshness: null as SignedBanFreshness | null,
  requests: 0,
};
const message = (type: LinkMessageType, body: unknown, seq: number, signer: Signer = regulator, to = CODE) =>
  signLinkMessage(
    { v: 1, kind: 'exam-center.link-message', from: 'regulator', to, seq, sentAt: clock.now(), type, body },
    signer,
  );
const queue = (type: LinkMessageType, body: unknown) => {
  const m = message(type, body, ++reg.seq);
  reg.outbox.push(m);
  return m;
};
const freshnessFor = (list: BanListBody | null) => {
  clock.advance(1000);
  return signFreshness(
    {
      v: 1,
      kind: 'exam-center.bans-freshness',
      centreCode: CODE,
      version: list?.version ?? 0,
      listSha256: list ? banListSha256(list) : null,
      asOf: clock.now(),
    },
    regulator,
  );
};
/** The regulator's side of judging the centre's messages: the same rule, the key it pinned for the centre. */
const regulatorJudges = (raw: unknown) => {
  const lastSeq = Math.max(0, ...reg.applied.keys());
  const j = judgeLinkMessage(raw, {
    me: 'regulator',
    expectedFrom: CODE,
    senderKey: server.app.keys.institution.publicKeyPem,
    allowedTypes: CENTRE_TO_REGULATOR,
    channel: { lastSeq, hashAt: (s) => reg.applied.get(s)?.hash ?? null },
  });
  if (j.outcome.status === 'applied')
    reg.applied.set(j.outcome.seq, { hash: j.hash!, message: raw as SignedLinkMessage });
  return j.outcome;
};

const status = async (token = admin) => (await http<LinkStatus>(server.url, '/api/link/status', { token })).body;
const sync = async () => {
  const res = await http<LinkStatus>(server.url, '/api/link/sync', { token: admin, body: {} });
  expect(res.status).toBe(200);
  return res.body;
};
const staffId = (username: string) =>
  server.db.prepare('SELECT id FROM staff WHERE username = ?').pluck().get(username) as number;
const outboxTypes = () =>
  server.db.prepare('SELECT seq, type, body FROM link_outbox ORDER BY seq').all() as {
    seq: number;
    type: string;
    body: string;
  }[];
const newSession = () => {
  const demo = server.app.services.sessions.get(server.demo!.sessionId);
  const repo = server.app.services.sessions.repo;
  const roomId = repo.insertRoom(`链接测试考场 ${Math.random()}`, 30);
  return repo.insertSession(
    {
      ...demo,
      code: `N1-LINK-${Math.floor(Math.random() * 1e9)}`,
      name: '链接测试场次',
      roomId,
      state: 'draft',
      scheduledStart: clock.now(),
    },
    clock.now(),
  );
};

beforeAll(async () => {
  server = await startTestServer({ clock });
  admin = await staffToken(server.url, 'admin', 'demo-admin-2026');
  official = await staffToken(server.url, 'official', 'demo-official-2026');
  regulatorPem = demoRegulatorPem(server.dataDir)!;
  regulator = privateKeySigner(regulatorPem);
  const app = express();
  app.use(express.json({ limit: '200mb' }));
  app.post('/api/link/exchange', (req, res) => {
    reg.requests++;
    const { request, signature } = req.body as {
      request: { received: number; messages: unknown[] };
      signature: string;
    };
    if (!signedPayloadValid(request, signature, server.app.keys.institution.publicKeyPem)) {
      res.status(403).json({ error: { code: 'bad-signature', message: 'request signature' } });
      return;
    }
    const outcomes = request.messages.map(regulatorJudges);
    const answer: LinkExchangeResponse = {
      outcomes,
      messages: [...reg.outbox.filter((m) => m.message.seq > request.received), ...(reg.extra as SignedLinkMessage[])],
      freshness: reg.freshness,
    };
    reg.extra = [];
    res.json(answer);
  });
  fake = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const addr = fake.address();
  fakeUrl = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
  setLinkIdentity(server.db, { centreCode: CODE, regulatorUrl: fakeUrl });
});
afterAll(async () => {
  await server?.stop();
  await new Promise((r) => fake?.close(r));
});

describe('the centre side of the regulator link (issue 14)', () => {
  it('link: registration, a grant and a ban list from the regulator are applied; the centre reports its sessions and archives', async () => {
    queue('centre.registered', {
      centreCode: CODE,
      name: '链接测试考试机构',
      pinnedFingerprint: server.app.keys.institution.fingerprint,
    });
    const pw = hashPassword('inspector-2026-pass');
    const now = clock.now();
    queue('official.grant', {
      grant: signGrant(
        {
          v: 1,
          kind: 'exam-center.official-grant',
          action: 'create',
          username: 'inspector2',
          name: '监管员乙',
          passwordHash: pw.hash,
          passwordSalt: pw.salt,
          issuedAt: now,
          expiresAt: now + 365 * DAY,
        },
        regulatorPem,
      ),
    });
    // The first list was issued 8 days ago and nothing since vouches for it: stale (max 7 days).
    queue('bans.list', { version: 1, issuedAt: clock.now() - 8 * DAY, records: [] });
    const st = await sync();
    expect(st).toMatchObject({ linked: true, centreCode: CODE, lastError: null, pendingOut: 0 });
    expect(st.banList).toMatchObject({ version: 1, stale: true, maxAgeDays: 7 });
    expect(await staffToken(server.url, 'inspector2', 'inspector-2026-pass')).toBeTruthy();

    // What the centre queued before it was registered went over with the first exchange: notices and the archive.
    const sent = [...reg.applied.values()].map((a) => a.message.message);
    expect(sent.map((m) => m.type)).toContain('session.notice');
    const archive = server.db.prepare('SELECT file, sha256 FROM archives ORDER BY id DESC LIMIT 1').get() as {
      file: string;
      sha256: string;
    };
    const submitted = sent.find((m) => m.type === 'archive.submitted')?.body as { sha256: string; bytes: string };
    expect(submitted.sha256).toBe(archive.sha256);
    expect(Buffer.from(submitted.bytes, 'base64').equals(readFileSync(join(server.dataDir, archive.file)))).toBe(true);
  });

  it('archive: archive.submitted is queued when an archive is built, with the archive itself', () => {
    const past = server.demo!.pastSession!;
    const archive = server.db.prepare('SELECT file, sha256 FROM archives WHERE session_id = ?').get(past.sessionId) as {
      file: string;
      sha256: string;
    };
    const queued = outboxTypes().filter((m) => m.type === 'archive.submitted');
    expect(queued).toHaveLength(1);
    const body = JSON.parse(queued[0]!.body) as { sha256: string; fileName: string; bytes: string };
    expect(body.sha256).toBe(archive.sha256);
    expect(archive.file.endsWith(body.fileName)).toBe(true);
    expect(Buffer.from(body.bytes, 'base64').equals(readFileSync(join(server.dataDir, archive.file)))).toBe(true);
    // Queued in the archived transition, right after that transition's session.notice.
    const notice = outboxTypes().find((m) => m.seq === queued[0]!.seq - 1)!;
    expect(notice.type).toBe('session.notice');
    expect(JSON.parse(notice.body)).toMatchObject({ state: 'archived' });
  });

  it('stale list: every screen is warned, and opening is refused until the chief records an exception that officials see', async () => {
    const proctor = await staffToken(server.url, 'proctor1', 'demo-proctor-2026');
    expect((await status(proctor)).banList.stale).toBe(true);
    expect((await status(official)).banList.stale).toBe(true);
    const sessionId = server.demo!.sessionId;
    const chief = staffId('chief');
    const codes = server.demo!.custodianCodes.map((c) => ({ username: c.username, code: c.code }));
    expect(() => server.app.services.papers.openSession(sessionId, { codes }, `staff:${chief}`)).toThrow(
      expect.objectContaining({ code: 'ban-list-stale' }),
    );
    const body = { sessionId, reason: '监管端网络中断，已电话报告省局' };
    expect((await http<ErrorBody>(server.url, '/api/link/stale-exception', { token: proctor, body })).status).toBe(403);
    const chiefToken = await staffToken(server.url, 'chief', 'demo-chief-2026');
    const made = await http<StaleListExceptionView>(server.url, '/api/link/stale-exception', {
      token: chiefToken,
      body,
    });
    expect(made.status).toBe(201);
    expect(made.body).toMatchObject({ sessionId, listVersion: 1 });
    const seen = await http<StaleListExceptionView[]>(server.url, `/api/link/stale-exceptions?sessionId=${sessionId}`, {
      token: official,
    });
    expect(seen.body.map((x) => x.id)).toContain(made.body.id);
    const events = server.db
      .prepare("SELECT type FROM events WHERE chain = ? AND type = 'link.stale-list-exception'")
      .all(`session:${sessionId}`);
    expect(events).toHaveLength(1);
    expect(outboxTypes().some((m) => m.type === 'stale-list.exception')).toBe(true);
    server.app.services.papers.openSession(sessionId, { codes }, `staff:${chief}`);
    expect(server.app.services.sessions.get(sessionId).state).toBe('open');

    // Another session without an exception stays blocked until the regulator vouches for the list again.
    const other = newSession();
    expect(() => server.app.services.link.checkOpening(other)).toThrow(
      expect.objectContaining({ code: 'ban-list-stale' }),
    );
    // The regulator's signed word that list 1 (by its hash) is still current.
    const stored = server.app.services.link.repo.newestBanList()!;
    reg.freshness = freshnessFor(stored.body);
    const st = await sync();
    expect(st.banList.stale).toBe(false);
    expect(() => server.app.services.link.checkOpening(other)).not.toThrow();
  });

  it('link: a duplicate, a replayed, an out-of-order, a wrongly addressed and a badly signed message are refused and logged', async () => {
    const last = reg.seq;
    const stranger = privateKeySigner(generateKeyPairSync('ed25519').privateKey);
    reg.extra = [
      reg.outbox[0], // the same message again: a harmless duplicate
      message('bans.list', { version: 9, issuedAt: clock.now(), records: [] }, 1), // another message under seq 1
      message('bans.list', { version: 9, issuedAt: clock.now(), records: [] }, last + 5), // a gap
      message('bans.list', { version: 9, issuedAt: clock.now(), records: [] }, last + 1, stranger), // not the regulator
      message('bans.list', { version: 9, issuedAt: clock.now(), records: [] }, last + 1, regulator, 'OTHER-01'),
    ];
    await sync();
    const log = await http<LinkLogEntry[]>(server.url, '/api/link/log', { token: admin });
    const codes = log.body.map((e) => e.code);
    for (const c of ['duplicate', 'replayed', 'out-of-order', 'bad-signature', 'wrong-recipient'])
      expect(codes).toContain(c);
    expect((await status()).banList.version).toBe(1);
    // The channel is not jammed: the next correctly numbered message applies.
    const list2: BanListBody = { version: 2, issuedAt: clock.now(), records: [] };
    queue('bans.list', list2);
    reg.freshness = freshnessFor(list2);
    expect((await sync()).banList).toMatchObject({ version: 2, stale: false });
    expect(server.db.prepare('SELECT COUNT(*) FROM link_inbox').pluck().get()).toBe(reg.seq);
    // A well-formed message whose content the centre rejects (an older list) is consumed and logged, not jammed.
    queue('bans.list', { version: 1, issuedAt: clock.now(), records: [] });
    expect((await sync()).banList.version).toBe(2);
    const problems = (await http<LinkLogEntry[]>(server.url, '/api/link/log', { token: official })).body;
    expect(problems.find((e) => e.seq === reg.seq)).toMatchObject({ status: 'problem', code: 'rejected' });
    expect(server.db.prepare('SELECT MAX(seq) FROM link_inbox').pluck().get()).toBe(reg.seq);

    // A tampered bundle is refused whole and logged.
    const bundle = signBundle(
      {
        v: 1,
        kind: 'exam-center.link-bundle',
        from: 'regulator',
        to: CODE,
        createdAt: clock.now(),
        received: 0,
        messages: [],
        freshness: null,
      },
      regulator,
    );
    const tampered = { ...bundle, bundle: { ...bundle.bundle, received: 99 } };
    const res = await http<ErrorBody>(server.url, '/api/link/bundle', { token: admin, body: tampered });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('bad-signature');
  });

  it('province ban: a staff member on the regulator list cannot be assigned, and the centre cannot revoke the record', async () => {
    const sessionId = newSession();
    const assign = () =>
      http<ErrorBody>(server.url, `/api/sessions/${sessionId}/staff`, {
        token: admin,
        body: { staffId: staffId('proctor2'), duty: 'proctor' },
      });
    server.db.prepare("UPDATE organisations SET credit_code = ? WHERE kind = 'exam_institution'").run(CREDIT_CODE);
    const idNumber = server.db
      .prepare('SELECT id_number FROM staff_profiles WHERE staff_id = ?')
      .pluck()
      .get(staffId('proctor2')) as string;
    const list3: BanListBody = {
      version: 3,
      issuedAt: clock.now(),
      records: [
        {
          kind: 'person',
          id: 41,
          idNumber,
          name: '省名单人员',
          reason: 'conduct',
          decisionDate: '2026-01-05',
          authority: '某省市场监督管理局',
          documentNo: '某市监特处〔2026〕7号',
          summary: '行风问题，纪律处分',
        },
        {
          kind: 'organisation',
          id: 42,
          creditCode: CREDIT_CODE,
          name: '本考试机构',
          decisionDate: '2026-02-01',
          barredUntil: '2029-01-31',
          authority: '某省市场监督管理局',
          documentNo: '某市监信〔2026〕3号',
          summary: '严重失信，三年内不得承担考试工作',
        },
      ],
    };
    queue('bans.list', list3);
    reg.freshness = freshnessFor(list3);
    await sync();
    const refused = await assign();
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('staff-banned');
    expect(refused.body.error.message).toContain('某省市场监督管理局');
    expect(refused.body.error.message).toContain('某市监特处〔2026〕7号');
    expect(refused.body.error.message).toContain('省级监管部门禁入名单');
    // The centre's revoke route works on its own records only; the province record is not among them.
    const revoke = await http<ErrorBody>(server.url, '/api/people/disciplinary/41/revoke', {
      token: admin,
      body: { reason: '本机构认为处理不当', authority: '本机构', documentNo: '内部〔2026〕1号' },
    });
    expect(revoke.status).not.toBe(200);
    expect(() => server.db.prepare('DELETE FROM province_ban_lists').run()).toThrow(/cannot be changed/);
    expect((await assign()).status).toBe(409);
    // Barred by the province list like by a local record: no staff login at all.
    const login = await http<ErrorBody>(server.url, '/api/auth/login', {
      body: { username: 'proctor2', password: 'demo-proctor-2026' },
    });
    expect(login.status).toBe(403);
    expect(login.body.error.code).toBe('staff-barred');
    expect(login.body.error.message).toContain('某市监特处〔2026〕7号');

    // The institution itself is on the list by its credit code: nobody can be assigned, and it cannot revoke it.
    const other = await http<ErrorBody>(server.url, `/api/sessions/${sessionId}/staff`, {
      token: admin,
      body: { staffId: staffId('proctor1'), duty: 'proctor' },
    });
    expect(other.status).toBe(409);
    expect(other.body.error.code).toBe('organisation-banned');
    expect(other.body.error.message).toContain('某市监信〔2026〕3号');
    expect(other.body.error.message).toContain('2029-01-31');
    const revokeOrg = await http<ErrorBody>(server.url, '/api/people/dishonesty/42/revoke', {
      token: admin,
      body: { reason: '本机构认为处理不当', authority: '本机构', documentNo: '内部〔2026〕2号' },
    });
    expect(revokeOrg.status).not.toBe(200);
  });

  it('bundle: what the centre exports is what the regulator applies, and the regulator bundle back does what the link does', async () => {
    setLinkIdentity(server.db, { centreCode: CODE, regulatorUrl: null }); // cut off: exam day
    const sessionId = newSession();
    server.app.services.sessions.transition(sessionId, 'scheduled', 'staff:test');
    const dir = mkdtempSync(join(tmpdir(), 'link-bundle-'));
    try {
      const out = join(dir, 'centre.bundle.json');
      const exported = centreSyncExport(server.dataDir, out);
      expect(exported.messages).toBeGreaterThan(0);
      const bundle = JSON.parse(readFileSync(out, 'utf8')) as SignedLinkBundle;
      expect(bundleSignatureValid(bundle, server.app.keys.institution.publicKeyPem)).toBe(true);
      expect(bundle.bundle.received).toBe(reg.seq);
      const outcomes = bundle.bundle.messages.map(regulatorJudges);
      expect(outcomes.every((o) => o.status === 'applied')).toBe(true);

      const list4: BanListBody = { version: 4, issuedAt: clock.now(), records: [] };
      queue('bans.list', list4);
      const back = signBundle(
        {
          v: 1,
          kind: 'exam-center.link-bundle',
          from: 'regulator',
          to: CODE,
          createdAt: clock.now(),
          received: Math.max(...reg.applied.keys()),
          messages: reg.outbox.slice(-1),
          freshness: freshnessFor(list4),
        },
        regulator,
      );
      const file = join(dir, 'regulator.bundle.json');
      writeFileSync(file, JSON.stringify(back));
      const result = centreSyncImport(server.dataDir, file);
      expect(result.outcomes).toEqual([{ seq: reg.seq, status: 'applied' }]);
      expect(result.freshnessAccepted).toBe(true);
      const st = await status();
      expect(st).toMatchObject({ pendingOut: 0 });
      expect(st.banList).toMatchObject({ version: 4, stale: false });
      // Imported again: every message a duplicate, logged, nothing changes.
      const again = centreSyncImport(server.dataDir, file);
      expect(again.outcomes).toEqual([{ seq: reg.seq, status: 'duplicate' }]);
      // A province-sized list is bigger than the API's usual body limit: an admin's upload still takes it.
      const list5: BanListBody = {
        version: 5,
        issuedAt: clock.now(),
        records: Array.from({ length: 2500 }, (_, i) => ({
          kind: 'person' as const,
          id: 1000 + i,
          idNumber: `11010119800101${String(i).padStart(4, '0')}`,
          name: `名单人员${i}`,
          reason: 'conduct' as const,
          decisionDate: '2025-06-01',
          authority: '某省市场监督管理局',
          documentNo: `某市监特处〔2025〕${i}号`,
          summary: '行风问题，纪律处分，不得再从事考试工作',
        })),
      };
      queue('bans.list', list5);
      const big = signBundle(
        {
          v: 1,
          kind: 'exam-center.link-bundle',
          from: 'regulator',
          to: CODE,
          createdAt: clock.now(),
          received: Math.max(...reg.applied.keys()),
          messages: reg.outbox.slice(-1),
          freshness: freshnessFor(list5),
        },
        regulator,
      );
      expect(JSON.stringify(big).length).toBeGreaterThan(256 * 1024);
      const proctor = await staffToken(server.url, 'proctor1', 'demo-proctor-2026');
      expect((await http(server.url, '/api/link/bundle', { token: proctor, body: big })).status).toBe(403);
      const uploaded = await http<LinkBundleImportResult>(server.url, '/api/link/bundle', { token: admin, body: big });
      expect(uploaded.status).toBe(200);
      expect(uploaded.body.status.banList).toMatchObject({ version: 5, stale: false });
      expect(linkMessageHash(reg.outbox.at(-2)!)).toBe(
        server.db
          .prepare('SELECT hash FROM link_inbox WHERE seq = ?')
          .pluck()
          .get(reg.seq - 1),
      );
      expect(linkMessageHash(reg.outbox.at(-1)!)).toBe(
        server.db.prepare('SELECT hash FROM link_inbox WHERE seq = ?').pluck().get(reg.seq),
      );
    } finally {
      if (existsSync(dir)) rmSync(dir, { recursive: true, force: true });
    }
  });

  it('notice: each staff member on duty carries the training engagements of the declaration in force', () => {
    const { registry, declarations } = server.app.services.people;
    const org = (name: string, creditCode: string | null) =>
      registry.createOrganisation({ name, kind: 'training', creditCode }, 'test');
    const before = org('链接测试旧培训学校', null);
    const now = org('链接测试培训学校', '91370100MA3TRAN01X');
    const chief = staffId('chief');
    const engagement = (orgId: number, from: string, to: string | null) => ({ orgId, from, to, note: '兼职讲师' });
    declarations.signed(
      chief,
      { relationships: [], engagements: [engagement(before.id, '2020-01-01', '2021-12-31')] },
      'test',
    );
    declarations.signed(
      chief,
      {
        relationships: [],
        engagements: [engagement(now.id, '2024-03-01', '2025-06-30'), engagement(before.id, '2026-01-01', null)],
      },
      'test',
    );
    const sessionId = server.demo!.sessionId;
    const notice = sessionNotice(server.app.services.link, sessionId)!;
    expect(notice).not.toBeNull();
    const idOf = (id: number) =>
      server.db.prepare('SELECT id_number FROM staff_profiles WHERE staff_id = ?').pluck().get(id) as string;
    const onDuty = notice.staff.find((p) => p.idNumber === idOf(chief))!;
    expect(onDuty.trainingEngagements).toEqual([
      { org: { name: '链接测试培训学校', creditCode: '91370100MA3TRAN01X' }, from: '2024-03-01', to: '2025-06-30' },
      { org: { name: '链接测试旧培训学校', creditCode: null }, from: '2026-01-01', to: null },
    ]);
    // Everyone else on duty says so too: declared none is an empty list, not silence.
    for (const p of notice.staff.filter((x) => x !== onDuty)) expect(p.trainingEngagements).toEqual([]);
    // And it is what a transition queues for the regulator.
    server.app.services.sessions.transition(sessionId, 'running', 'staff:test'); // opened by the stale-list test
    const queued = outboxTypes()
      .filter((m) => m.type === 'session.notice')
      .at(-1)!;
    expect(JSON.parse(queued.body)).toMatchObject({ state: 'running', staff: expect.arrayContaining([onDuty]) });
  });
});
