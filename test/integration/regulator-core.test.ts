import { createPublicKey, generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  BanListState,
  BanSaved,
  BundleImportResult,
  CentreDetail,
  CentreRow,
  LinkExchangeResponse,
  LinkLogPage,
  OfficialSaved,
  SignedLinkBundle,
  SignedLinkMessage,
} from '../../server/src/protocol';
import { grantSignatureValid } from '../../server/src/conduct/grants';
import { verifyPassword } from '../../server/src/auth/passwords';
import { publicKeyFingerprint } from '../../server/src/shared/institution-key';
import {
  banListSha256,
  bundleSignatureValid,
  freshnessValid,
  judgeLinkMessage,
  privateKeySigner,
  signBundle,
  signPayload,
} from '../../server/src/shared/link-signing';
import { REGULATOR_TO_CENTRE, type BanListBody, type LinkMessage } from '../../server/src/protocol/regulator';
import { http } from '../support/test-server';
import {
  centreMessage,
  exchangeRequest,
  startTestRegulator,
  testCentre,
  type TestCentre,
  type TestRegulator,
} from '../support/regulator-server';

let reg: TestRegulator;
const alpha = testCentre('ALPHA-01');
const beta = testCentre('BETA-02');

const stale = (sessionCode: string) => ({
  sessionCode,
  reason: '与监管端网络中断',
  recordedBy: 'chief1',
  listVersion: 1,
  listAsOf: Date.now() - 8 * 24 * 3600_000,
});
const exchange = (c: TestCentre, messages: SignedLinkMessage[], opts: Parameters<typeof exchangeRequest>[2] = {}) =>
  http<LinkExchangeResponse>(reg.url, '/api/link/exchange', { body: exchangeRequest(c, messages, opts) });
const logRows = async () => (await http<LinkLogPage>(reg.url, '/api/link/log', { token: reg.adminToken })).body;
const register = (c: TestCentre, name: string) =>
  http<CentreDetail>(reg.url, '/api/centres', {
    token: reg.adminToken,
    body: { code: c.code, name, publicKeyPem: c.publicKeyPem },
  });

/** What a centre does with the regulator's messages: the same rule, against the regulator's public key. */
function centreApplies(c: TestCentre, messages: SignedLinkMessage[]): LinkMessage[] {
  const applied: { seq: number; hash: string }[] = [];
  const out: LinkMessage[] = [];
  for (const m of messages) {
    const j = judgeLinkMessage(m, {
      me: c.code,
      expectedFrom: 'regulator',
      senderKey: reg.keys.publicKeyPem,
      allowedTypes: REGULATOR_TO_CENTRE,
      channel: { lastSeq: applied.length, hashAt: (s) => applied[s - 1]?.hash ?? null },
    });
    expect(j.outcome.status).toBe('applied');
    applied.push({ seq: j.outcome.seq, hash: j.hash! });
    out.push(j.message!);
  }
  return out;
}

beforeAll(async () => {
  reg = await startTestRegulator();
}, 60_000);
afterAll(async () => {
  await reg?.stop();
});

describe('regulator: accounts', () => {
  it('logs an admin in and refuses a wrong password', async () => {
    const me = await http<{ username: string; role: string }>(reg.url, '/api/auth/me', { token: reg.adminToken });
    expect(me.body).toMatchObject({ username: 'regadmin', role: 'regulator_admin' });
    const bad = await http(reg.url, '/api/auth/login', { body: { username: 'regadmin', password: 'wrong-password' } });
    expect(bad.status).toBe(401);
    expect((await http(reg.url, '/api/centres')).status).toBe(401);
  });
});

describe('regulator: every console route needs a login', () => {
  it('refuses every route but login, health and the signed exchange without a token (401)', async () => {
    const open = new Set(['POST /api/auth/login', 'GET /api/health', 'POST /api/link/exchange']);
    const routes = reg.app.routes().filter((r) => r.path.startsWith('/api/') && !open.has(`${r.method} ${r.path}`));
    expect(routes.length).toBeGreaterThan(12);
    const failures: string[] = [];
    for (const r of routes) {
      const path = r.path.replace(/:[a-zA-Z]+/g, 'X1').replace(/\*[a-zA-Z]+/g, 'x');
      const res = await http(reg.url, path, { method: r.method, ...(r.method === 'GET' ? {} : { body: {} }) });
      if (res.status !== 401) failures.push(`${r.method} ${r.path} → ${res.status}`);
    }
    expect(failures).toEqual([]);
  });
});

describe('regulator: centres and the link', () => {
  it('registers a centre with its key pinned and queues centre.registered and the ban list', async () => {
    const res = await register(alpha, '甲考试中心');
    expect(res.status).toBe(201);
    expect(res.body.fingerprint).toBe(publicKeyFingerprint(alpha.publicKeyPem));
    expect(res.body.keys).toHaveLength(1);
    const ex = await exchange(alpha, []);
    expect(ex.status).toBe(200);
    const msgs = centreApplies(alpha, ex.body.messages);
    expect(msgs.map((m) => m.type)).toEqual(['centre.registered', 'bans.list']);
    expect(msgs[0]!.body).toMatchObject({ centreCode: 'ALPHA-01', pinnedFingerprint: res.body.fingerprint });
    expect(freshnessValid(ex.body.freshness!, reg.keys.publicKeyPem)).toBe(true);
    expect(ex.body.freshness!.statement).toMatchObject({ centreCode: 'ALPHA-01', version: 1 });
    expect(ex.body.freshness!.statement.listSha256).toBe(banListSha256(msgs[1]!.body as BanListBody));
    // The same key cannot be pinned for a second centre.
    const again = await http(reg.url, '/api/centres', {
      token: reg.adminToken,
      body: { code: 'OTHER-03', name: '丙', publicKeyPem: alpha.publicKeyPem },
    });
    expect(again.body).toMatchObject({ error: { code: 'key-in-use' } });
  });

  it('applies a correctly signed message once and logs the same message again as a duplicate', async () => {
    const m = centreMessage(alpha, 'stale-list.exception', stale('S-001'));
    const first = await exchange(alpha, [m], { received: 2 });
    expect(first.body.outcomes).toEqual([{ seq: 1, status: 'applied' }]);
    expect(first.body.messages).toEqual([]); // acknowledged: nothing more to send
    const second = await exchange(alpha, [m], { received: 2 });
    expect(second.body.outcomes).toEqual([{ seq: 1, status: 'duplicate' }]);
    const log = await logRows();
    expect(log.rows[0]).toMatchObject({ centreCode: 'ALPHA-01', seq: 1, outcome: 'duplicate', via: 'link' });
    const centre = (await http<CentreRow[]>(reg.url, '/api/centres', { token: reg.adminToken })).body[0]!;
    expect(centre).toMatchObject({ receivedSeq: 1, ackedSeq: 2, pendingOut: 0, lastContactVia: 'link' });
  });

  it('refuses a replayed message (another message under a used number) and logs it', async () => {
    const replay = centreMessage(alpha, 'stale-list.exception', stale('S-XXX'), { seq: 1 });
    const res = await exchange(alpha, [replay]);
    expect(res.body.outcomes).toEqual([expect.objectContaining({ seq: 1, status: 'refused', code: 'replayed' })]);
    expect((await logRows()).rows[0]).toMatchObject({ seq: 1, outcome: 'refused', code: 'replayed' });
  });

  it('refuses an out-of-order message and logs it; the missing one then goes through', async () => {
    const m2 = centreMessage(alpha, 'stale-list.exception', stale('S-002'));
    const m3 = centreMessage(alpha, 'stale-list.exception', stale('S-003'));
    const res = await exchange(alpha, [m3]);
    expect(res.body.outcomes).toEqual([expect.objectContaining({ seq: 3, status: 'refused', code: 'out-of-order' })]);
    expect((await logRows()).rows[0]).toMatchObject({ seq: 3, outcome: 'refused', code: 'out-of-order' });
    const both = await exchange(alpha, [m2, m3]);
    expect(both.body.outcomes.map((o) => o.status)).toEqual(['applied', 'applied']);
  });

  it('refuses a message signed by another key and logs it', async () => {
    const forger = privateKeySigner(generateKeyPairSync('ed25519').privateKey);
    const forged = centreMessage(alpha, 'stale-list.exception', stale('S-004'), { seq: 4, signer: forger });
    const res = await exchange(alpha, [forged]);
    expect(res.body.outcomes).toEqual([expect.objectContaining({ seq: 4, status: 'refused', code: 'bad-signature' })]);
    expect((await logRows()).rows[0]).toMatchObject({ seq: 4, code: 'bad-signature' });
  });

  it('refuses a message addressed to another party and logs it', async () => {
    const misdirected = centreMessage(alpha, 'stale-list.exception', stale('S-004'), { seq: 4, to: 'BETA-02' });
    const res = await exchange(alpha, [misdirected]);
    expect(res.body.outcomes).toEqual([expect.objectContaining({ status: 'refused', code: 'wrong-recipient' })]);
    expect((await logRows()).rows[0]).toMatchObject({ seq: 4, code: 'wrong-recipient' });
  });

  it('refuses a message type only the regulator may send, and logs it', async () => {
    const wrong = centreMessage(alpha, 'bans.list', { version: 99, issuedAt: Date.now(), records: [] }, { seq: 4 });
    const res = await exchange(alpha, [wrong]);
    expect(res.body.outcomes).toEqual([expect.objectContaining({ status: 'refused', code: 'wrong-direction' })]);
  });

  it('refuses an exchange not signed by the pinned key, from an unknown centre, or stale, and logs each', async () => {
    const forger = privateKeySigner(generateKeyPairSync('ed25519').privateKey);
    expect((await exchange(alpha, [], { signer: forger })).status).toBe(401);
    expect((await logRows()).rows[0]).toMatchObject({ centreCode: 'ALPHA-01', code: 'bad-signature', seq: 0 });
    expect((await exchange(testCentre('NOBODY-9'), [])).status).toBe(403);
    expect((await logRows()).rows[0]).toMatchObject({ centreCode: 'NOBODY-9', code: 'unknown-sender' });
    expect((await exchange(alpha, [], { at: Date.now() - 11 * 60_000 })).status).toBe(401);
    expect((await logRows()).rows[0]).toMatchObject({ code: 'stale-request' });
  });

  it('bounds the log rows an unauthenticated sender can add, while still refusing every request', async () => {
    const flood = testCentre('FLOOD-01');
    for (let i = 0; i < 60; i++) expect((await exchange(flood, [])).status).toBe(403);
    const page = await http<LinkLogPage>(reg.url, '/api/link/log?centre=FLOOD-01&limit=1000', {
      token: reg.adminToken,
    });
    expect(page.body.rows).toHaveLength(51);
    expect(page.body.rows[0]!.reason).toMatch(/without a log row/);
  });

  it('keeps the link log append-only and hash-chained', async () => {
    const page = await logRows();
    expect(page.chainValid).toBe(true);
    expect(page.rows[0]!.prevHash).toBe(page.rows[1]!.hash);
    expect(() => reg.db.prepare("UPDATE reg_link_log SET reason = 'edited'").run()).toThrow(/append-only/);
    expect(() => reg.db.prepare('DELETE FROM reg_link_log').run()).toThrow(/append-only/);
  });

  it('repins a centre key on a key change signed by the old key and by the new one', async () => {
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    const newPem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
    const newSigner = privateKeySigner(privateKey);
    const change = centreMessage(alpha, 'centre.key-changed', {
      newPublicKeyPem: newPem,
      newKeySignature: signPayload(newPem, newSigner),
    });
    const res = await exchange(alpha, [change]);
    expect(res.body.outcomes).toEqual([{ seq: change.message.seq, status: 'applied' }]);
    const detail = (await http<CentreDetail>(reg.url, '/api/centres/ALPHA-01', { token: reg.adminToken })).body;
    expect(detail.fingerprint).toBe(publicKeyFingerprint(newPem));
    expect(detail.keys.map((k) => k.replacedAt === null)).toEqual([false, true]);
    // From now on the old key is refused and the new one accepted.
    const oldSigned = centreMessage(alpha, 'stale-list.exception', stale('S-005'), { seq: 6 });
    expect((await exchange(alpha, [oldSigned], { signer: newSigner })).body.outcomes[0]).toMatchObject({
      code: 'bad-signature',
    });
    alpha.signer = newSigner;
    alpha.publicKeyPem = newPem;
    alpha.publicKey = createPublicKey(newPem);
    expect((await exchange(alpha, [], {})).status).toBe(200);
  });
});

describe('regulator: bans', () => {
  it('publishes a new signed list version to every centre at each change; a lift drops the record', async () => {
    expect((await register(beta, '乙考试中心')).status).toBe(201);
    const person = await http<BanSaved>(reg.url, '/api/bans', {
      token: reg.adminToken,
      body: {
        kind: 'person',
        idNumber: '110101199003071234',
        name: '张某',
        reason: 'conduct',
        decisionDate: '2026-03-01',
        authority: '省市场监督管理局',
        documentNo: '省市监特〔2026〕1号',
        summary: '考试中替考',
      },
    });
    expect(person.status).toBe(201);
    expect(person.body).toMatchObject({ version: 2, queuedTo: 2, ban: { barredUntil: null } });
    const org = await http<BanSaved>(reg.url, '/api/bans', {
      token: reg.adminToken,
      body: {
        kind: 'organisation',
        creditCode: '91110000MA01ABCD1X',
        name: '某培训学校',
        decisionDate: '2026-02-29'.replace('29', '28'),
        authority: '省市场监督管理局',
        documentNo: '省市监特〔2026〕2号',
        summary: '培训记录造假',
      },
    });
    expect(org.body).toMatchObject({ version: 3, ban: { barredUntil: '2029-02-27' } });
    const lifted = await http<BanSaved>(reg.url, `/api/bans/${person.body.ban.id}/lift`, {
      token: reg.adminToken,
      body: { authority: '省市场监督管理局', documentNo: '省市监特〔2026〕9号', reason: '复议撤销' },
    });
    expect(lifted.body).toMatchObject({ version: 4, ban: { lifted: { documentNo: '省市监特〔2026〕9号' } } });
    const state = (await http<BanListState>(reg.url, '/api/bans', { token: reg.adminToken })).body;
    expect(state.version).toBe(4);
    // Beta sees its registration, list v1, then v2, v3, v4 — each signed by the regulator.
    const ex = await exchange(beta, []);
    const lists = centreApplies(beta, ex.body.messages)
      .filter((m) => m.type === 'bans.list')
      .map((m) => m.body as BanListBody);
    expect(lists.map((l) => l.version)).toEqual([1, 2, 3, 4]);
    expect(lists[3]!.records.map((r) => r.kind)).toEqual(['organisation']);
    expect(ex.body.freshness!.statement).toMatchObject({ version: 4, listSha256: banListSha256(lists[3]!) });
  });

  it('refuses ban changes to an official', async () => {
    await http(reg.url, '/api/officials', {
      token: reg.adminToken,
      body: { username: 'reader1', name: '李监督', password: 'reader1-pass-2026' },
    });
    const login = await http<{ token: string }>(reg.url, '/api/auth/login', {
      body: { username: 'reader1', password: 'reader1-pass-2026' },
    });
    const res = await http(reg.url, '/api/bans', { token: login.body.token, body: {} });
    expect(res.status).toBe(403);
    expect((await http(reg.url, '/api/centres', { token: login.body.token })).status).toBe(200);
  });
});

describe("regulator: officials' grants", () => {
  it('creates an official with a signed grant queued to every centre, then disables it', async () => {
    const saved = await http<OfficialSaved>(reg.url, '/api/officials', {
      token: reg.adminToken,
      body: { username: 'wang', name: '王监督' },
    });
    expect(saved.status).toBe(200);
    expect(saved.body.queuedTo).toBe(2);
    const pw = saved.body.oneTimePassword!;
    const login = await http<{ token: string; account: { role: string } }>(reg.url, '/api/auth/login', {
      body: { username: 'wang', password: pw },
    });
    expect(login.body.account.role).toBe('official');
    const ex = await exchange(beta, []);
    const grants = centreApplies(beta, ex.body.messages).filter((m) => m.type === 'official.grant');
    const wang = grants.map((m) => (m.body as { grant: Parameters<typeof grantSignatureValid>[0] }).grant).at(-1)!;
    expect(wang.grant).toMatchObject({ username: 'wang', action: 'create' });
    expect(grantSignatureValid(wang, createPublicKey(reg.keys.publicKeyPem))).toBe(true);
    // The same password logs in at the regulator and, through the grant, at any centre.
    expect(verifyPassword(pw, { hash: wang.grant.passwordHash, salt: wang.grant.passwordSalt })).toBe(true);

    const off = await http<OfficialSaved>(reg.url, '/api/officials/wang/disable', { token: reg.adminToken, body: {} });
    expect(off.body.official.disabled).toBe(true);
    expect((await http(reg.url, '/api/auth/me', { token: login.body.token })).status).toBe(401);
    expect((await http(reg.url, '/api/auth/login', { body: { username: 'wang', password: pw } })).status).toBe(401);
  });

  it("changes an official's own password, ends older tokens and sends the new one to every centre", async () => {
    const old = await http<{ token: string }>(reg.url, '/api/auth/login', {
      body: { username: 'reader1', password: 'reader1-pass-2026' },
    });
    const wrong = await http(reg.url, '/api/auth/password', {
      token: old.body.token,
      body: { currentPassword: 'not-it-at-all', newPassword: 'reader1-new-pass-2026' },
    });
    expect(wrong.status).toBe(403);
    const changed = await http<{ token: string; account: { mustChangePassword: boolean } }>(
      reg.url,
      '/api/auth/password',
      { token: old.body.token, body: { currentPassword: 'reader1-pass-2026', newPassword: 'reader1-new-pass-2026' } },
    );
    expect(changed.status).toBe(200);
    expect((await http(reg.url, '/api/auth/me', { token: old.body.token })).status).toBe(401);
    expect((await http(reg.url, '/api/auth/me', { token: changed.body.token })).status).toBe(200);
    const ex = await exchange(beta, []);
    const last = centreApplies(beta, ex.body.messages).at(-1)!;
    const g = (
      last.body as {
        grant: { grant: { username: string; action: string; passwordHash: string; passwordSalt: string } };
      }
    ).grant.grant;
    expect(g).toMatchObject({ username: 'reader1', action: 'update' });
    expect(verifyPassword('reader1-new-pass-2026', { hash: g.passwordHash, salt: g.passwordSalt })).toBe(true);
  });

  it('sends a newly registered centre every current grant', async () => {
    const gamma = testCentre('GAMMA-03');
    await register(gamma, '丙考试中心');
    const ex = await exchange(gamma, []);
    const msgs = centreApplies(gamma, ex.body.messages);
    const grants = msgs
      .filter((m) => m.type === 'official.grant')
      .map((m) => (m.body as { grant: { grant: { username: string; action: string } } }).grant.grant);
    expect(msgs[0]!.type).toBe('centre.registered');
    expect(grants.map((g) => `${g.username}:${g.action}`).sort()).toEqual(['reader1:update', 'wang:disable']);
  });
});

describe('regulator: bundles', () => {
  it('exports a signed bundle for a centre and imports one from it as the link would', async () => {
    const delta = testCentre('DELTA-04');
    await register(delta, '丁考试中心');
    const out = await http<SignedLinkBundle>(reg.url, '/api/centres/DELTA-04/bundle', { token: reg.adminToken });
    expect(bundleSignatureValid(out.body, reg.keys.publicKeyPem)).toBe(true);
    expect(out.body.bundle).toMatchObject({ from: 'regulator', to: 'DELTA-04', received: 0 });
    const n = out.body.bundle.messages.length;
    expect(centreApplies(delta, out.body.bundle.messages)[0]!.type).toBe('centre.registered');

    const m1 = centreMessage(delta, 'stale-list.exception', stale('D-001'));
    const bundle = signBundle(
      {
        v: 1,
        kind: 'exam-center.link-bundle',
        from: 'DELTA-04',
        to: 'regulator',
        createdAt: Date.now(),
        received: n,
        messages: [m1],
        freshness: null,
      },
      delta.signer,
    );
    const imported = await http<BundleImportResult>(reg.url, '/api/link/bundle', {
      token: reg.adminToken,
      body: bundle,
    });
    expect(imported.body).toEqual({ from: 'DELTA-04', outcomes: [{ seq: 1, status: 'applied' }], acked: n });
    const again = await http<BundleImportResult>(reg.url, '/api/link/bundle', { token: reg.adminToken, body: bundle });
    expect(again.body.outcomes).toEqual([{ seq: 1, status: 'duplicate' }]);
    expect((await logRows()).rows[0]).toMatchObject({ centreCode: 'DELTA-04', via: 'bundle', outcome: 'duplicate' });
    // Signed by another key: refused whole, logged.
    const forged = signBundle(bundle.bundle, privateKeySigner(generateKeyPairSync('ed25519').privateKey));
    const bad = await http(reg.url, '/api/link/bundle', { token: reg.adminToken, body: forged });
    expect(bad.body).toMatchObject({ error: { code: 'bad-signature' } });
    expect((await logRows()).rows[0]).toMatchObject({ centreCode: 'DELTA-04', via: 'bundle', code: 'bad-signature' });
    const centre = (await http<CentreRow[]>(reg.url, '/api/centres', { token: reg.adminToken })).body.find(
      (c) => c.code === 'DELTA-04',
    )!;
    expect(centre).toMatchObject({ pendingOut: 0, receivedSeq: 1, lastContactVia: 'bundle' });
  });
});
