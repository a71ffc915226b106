import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  CentreRow,
  LinkBundleImportResult,
  LinkLogPage,
  LinkStatus,
  RegulatorArchiveReport,
  RegulatorFinding,
  RegulatorSearchResult,
  SignedLinkBundle,
} from '../../server/src/protocol';
import { loadRegulatorConfig } from '../../server/src/regulator/regulator-config';
import { initRegulator } from '../../server/src/regulator/regulator.cli';
import { regulatorKeysDir } from '../../server/src/regulator/regulator-keys';
import { freePort, spawnServer, stopGracefully } from '../load/server-child';
import { privateKeySigner, signBundle } from '../../server/src/shared/link-signing';
import { http, staffToken } from '../support/test-server';

// Issue 14, done-when: two exam centres (two data folders, two processes) and one regulator (its own process, data
// folder and key) run together. Centre A reaches the regulator over the link; centre B only by bundle files carried
// between them (a centre cut off from outside networks). Both report their archives; a ban recorded at the regulator
// stops an assignment at both; the same ID number in overlapping sessions at both is found; a tampered, replayed or
// wrongly-signed message is refused and logged.

const ROOT = resolve(import.meta.dirname, '../..');
const REG_ADMIN = { username: 'regadmin', password: 'two-centres-regadmin-2026' };
const BAN_DOC = '鲁市监特〔2026〕41号';

type Centre = { code: string; dir: string; url: string; child: ChildProcess; admin: string };
type Err = { error: { code: string; message: string } };

let work: string;
let regDir: string;
let regulator: ChildProcess;
let reg: string;
let regToken: string;
let a: Centre;
let b: Centre;
/** Every bundle file carried, in order: [direction, file]. */
const carried: { to: 'regulator' | 'centre'; file: string }[] = [];

async function startRegulatorProcess(port: number): Promise<ChildProcess> {
  const child = spawn(process.execPath, [join(ROOT, 'bin/exam-center.js'), 'regulator', 'serve'], {
    cwd: ROOT,
    env: {
      ...process.env,
      EXAM_CENTER_REGULATOR_DATA: regDir,
      REGULATOR_PORT: String(port),
      REGULATOR_HOST: '127.0.0.1',
      EXAM_CENTER_CLIENT_BUILT: '1',
      EXAM_CENTER_LOG: 'error',
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  for (const deadline = Date.now() + 60_000; Date.now() < deadline;) {
    if (child.exitCode !== null) throw new Error(`regulator exited ${child.exitCode}: ${stderr}`);
    try {
      if ((await fetch(`http://127.0.0.1:${port}/api/health`)).ok) return child;
    } catch {
      /* not listening yet */
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`regulator did not start: ${stderr}`);
}

async function startCentre(code: string, link: boolean): Promise<Centre> {
  const dir = join(work, code);
  // The regulator's public keys are handed to the centre out of band. The demo seeding keeps a demo regulator's
  // keys under <data>/demo-regulator; giving it this regulator's keys there makes the demo archive (sealed to the
  // regulator's X25519 key at seeding) and the demo official's grant this regulator's, as a real installation's are.
  mkdirSync(join(dir, 'demo-regulator', 'regulator-data'), { recursive: true });
  cpSync(regulatorKeysDir(regDir), join(dir, 'demo-regulator', 'regulator-data', 'keys'), { recursive: true });
  const port = await freePort();
  const env = {
    EXAM_CENTER_CENTRE_CODE: code,
    EXAM_CENTER_LINK_INTERVAL_S: '2',
    ...(link ? { EXAM_CENTER_REGULATOR_URL: reg } : {}),
  };
  Object.assign(process.env, env); // spawnServer passes process.env on
  const child = await spawnServer({ dataDir: dir, port, script: 'test/support/linked-centre-process.ts' });
  for (const k of Object.keys(env)) delete process.env[k];
  const url = `http://127.0.0.1:${port}`;
  return { code, dir, url, child, admin: await staffToken(url, 'admin', 'demo-admin-2026') };
}

const regGet = async <T>(path: string) => {
  const res = await http<T>(reg, path, { token: regToken });
  expect(res.status, `${path}: ${JSON.stringify(res.body)}`).toBe(200);
  return res.body;
};

const staffIdNumber = (c: Centre, username: string): string => {
  const db = new Database(join(c.dir, 'exam-center.db'), { readonly: true, fileMustExist: true });
  try {
    return db
      .prepare('SELECT p.id_number FROM staff_profiles p JOIN staff s ON s.id = p.staff_id WHERE s.username = ?')
      .pluck()
      .get(username) as string;
  } finally {
    db.close();
  }
};

/** Carries a bundle as a file (a USB stick): downloaded from one side, written to disk, read back, uploaded. */
async function carry(fromUrl: string, fromPath: string, fromToken: string, toUrl: string, toToken: string) {
  const out = await http<SignedLinkBundle>(fromUrl, fromPath, { token: fromToken });
  expect(out.status, JSON.stringify(out.body)).toBe(200);
  const file = join(work, `carried-${Date.now()}.bundle.json`);
  writeFileSync(file, JSON.stringify(out.body));
  carried.push({ to: toUrl === reg ? 'regulator' : 'centre', file });
  const back = JSON.parse(readFileSync(file, 'utf8')) as SignedLinkBundle;
  const res = await http<LinkBundleImportResult>(toUrl, '/api/link/bundle', { token: toToken, body: back });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body;
}

async function until<T>(what: string, get: () => Promise<T>, ok: (v: T) => boolean, ms = 30_000): Promise<T> {
  let last: T = await get();
  for (const deadline = Date.now() + ms; !ok(last); last = await get()) {
    if (Date.now() > deadline) throw new Error(`${what}: still ${JSON.stringify(last).slice(0, 800)}`);
    await new Promise((r) => setTimeout(r, 300));
  }
  return last;
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'exam-two-centres-'));
  regDir = join(work, 'regulator-data');
  initRegulator(
    { ...loadRegulatorConfig({ EXAM_CENTER_REGULATOR_DATA: regDir }), dataDir: regDir },
    {
      username: REG_ADMIN.username,
      name: '省局监管管理员',
      password: REG_ADMIN.password,
    },
  );
  const regPort = await freePort();
  reg = `http://127.0.0.1:${regPort}`;
  regulator = await startRegulatorProcess(regPort);
  regToken = (await http<{ token: string }>(reg, '/api/auth/login', { body: REG_ADMIN })).body.token;
  // One after the other: each takes its link settings from the environment it is started in.
  a = await startCentre('JN-01', true);
  b = await startCentre('QD-02', false);
}, 180_000);

afterAll(async () => {
  await Promise.all([a?.child, b?.child, regulator].filter(Boolean).map((c) => stopGracefully(c!)));
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('two exam centres and one regulator, each its own process', () => {
  it('registers both centres by their keys; A links, B is reached by bundle files; both report their archives', async () => {
    for (const c of [a, b]) {
      const publicKeyPem = readFileSync(join(c.dir, 'keys', 'institution-ed25519.pub.pem'), 'utf8');
      const res = await http(reg, '/api/centres', {
        token: regToken,
        body: { code: c.code, name: `${c.code} 考试机构`, publicKeyPem },
      });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
    }
    // A: over the link, on its own timer. Its archive (the demo's past session) arrives and verifies.
    await until(
      'centre A fresh over the link',
      async () => (await http<LinkStatus>(a.url, '/api/link/status', { token: a.admin })).body,
      (s) => s.banList.stale === false && s.pendingOut === 0 && s.lastError === null,
    );
    // B: no URL. Its admin downloads a bundle, carries it to the regulator, and carries the answer back.
    const toRegulator = await carry(b.url, '/api/link/bundle', b.admin, reg, regToken);
    expect(toRegulator.outcomes.every((o) => o.status === 'applied')).toBe(true);
    const toCentre = await carry(reg, `/api/centres/${b.code}/bundle`, regToken, b.url, b.admin);
    expect(toCentre.outcomes.map((o) => o.status)).not.toContain('refused');
    const bStatus = (await http<LinkStatus>(b.url, '/api/link/status', { token: b.admin })).body;
    expect(bStatus).toMatchObject({ linked: true, centreCode: b.code });
    expect(bStatus.banList.stale).toBe(false);

    const centres = await regGet<CentreRow[]>('/api/centres');
    expect(centres.map((c) => [c.code, c.lastContactVia])).toEqual(
      expect.arrayContaining([
        [a.code, 'link'],
        [b.code, 'bundle'],
      ]),
    );
    // Each centre's archive, verified against the key the regulator pinned for that centre.
    for (const c of [a, b]) {
      // The demo's past session: archived at the centre's first start, before either centre was registered.
      const found = await regGet<RegulatorSearchResult>(`/api/search?centre=${c.code}`);
      const withArchive = found.rows.find((r) => r.archiveId !== null);
      expect(withArchive, `${c.code}: ${JSON.stringify(found.rows)}`).toBeTruthy();
      expect(withArchive!.score).not.toBeNull();
      const report = await regGet<RegulatorArchiveReport>(`/api/archives/${withArchive!.archiveId}`);
      expect(report.status, JSON.stringify(report.failures)).toBe('VALID');
      expect(report.centre.code).toBe(c.code);
      expect(report.verifiedWithFingerprint).toBe(report.pinnedFingerprint);
      expect(report.embeddedKeyMatchesPin).toBe(true);
    }
  }, 120_000);

  it('finds the same ID number registered for overlapping sessions at both centres', async () => {
    // Both demo centres seal a session for the same five people at the same hour.
    const findings = await regGet<RegulatorFinding[]>('/api/findings');
    const overlaps = findings.filter((f) => f.kind === 'overlapping-sessions');
    expect(overlaps.length).toBeGreaterThan(0);
    const f = overlaps[0]!;
    expect([f.a.centre?.code, f.b.centre?.code].sort()).toEqual([a.code, b.code].sort());
    expect(f.a.idNumber).toBe(f.b.idNumber);
    expect(f.a.sessionCode && f.b.sessionCode).toBeTruthy();
  });

  it('a ban recorded at the regulator stops an assignment at both centres, and neither can revoke it', async () => {
    const idNumber = staffIdNumber(a, 'proctor2');
    expect(staffIdNumber(b, 'proctor2')).toBe(idNumber);
    const ban = await http(reg, '/api/bans', {
      token: regToken,
      body: {
        kind: 'person',
        idNumber,
        name: '陈静',
        reason: 'conduct',
        decisionDate: '2026-11-20',
        authority: '山东省市场监督管理局',
        documentNo: BAN_DOC,
        summary: '监考期间向考生提示答案，纪律处分',
      },
    });
    expect(ban.status, JSON.stringify(ban.body)).toBe(201);
    await http(a.url, '/api/link/sync', { token: a.admin, body: {} });
    await carry(reg, `/api/centres/${b.code}/bundle`, regToken, b.url, b.admin);

    for (const c of [a, b]) {
      const options = (
        await http<{
          blueprints: { id: number; category: string }[];
          bankVersions: { id: number; category: string }[];
        }>(c.url, '/api/planning/options', { token: c.admin })
      ).body;
      const bp = options.blueprints[0]!;
      const bankVersion = options.bankVersions.find((v) => v.category === bp.category)!;
      const room = await http<{ roomId: number }>(c.url, '/api/rooms', {
        token: c.admin,
        body: { name: `${c.code} 二号考场`, seatCount: 20 },
      });
      const session = await http<{ sessionId: number }>(c.url, '/api/sessions', {
        token: c.admin,
        body: {
          name: '禁入名单测试场次',
          category: bp.category,
          blueprintId: bp.id,
          bankVersionId: bankVersion.id,
          roomId: room.body.roomId,
          scheduledStart: Date.now() + 7 * 86_400_000,
        },
      });
      expect(session.status, JSON.stringify(session.body)).toBe(201);
      const staff = await http<{ staff: { id: number; username: string }[] }>(c.url, '/api/people/staff', {
        token: c.admin,
      });
      const proctor2 = staff.body.staff.find((s) => s.username === 'proctor2')!;
      const refused = await http<Err>(c.url, `/api/sessions/${session.body.sessionId}/staff`, {
        token: c.admin,
        body: { staffId: proctor2.id, duty: 'proctor' },
      });
      expect(refused.status, `${c.code}: ${JSON.stringify(refused.body)}`).toBe(409);
      expect(refused.body.error.code).toBe('staff-banned');
      expect(refused.body.error.message).toContain(BAN_DOC);
      // The record is not the centre's: it is not among the local records its admin could revoke.
      const local = await http<{ disciplinary: { documentNo: string }[] }>(c.url, '/api/people/records', {
        token: c.admin,
      });
      expect(local.status).toBe(200);
      expect(JSON.stringify(local.body)).not.toContain(BAN_DOC);
    }
  }, 60_000);

  it("an official's account made at the regulator reaches both centres, by link and by bundle", async () => {
    const password = 'inspector-two-centres-2026';
    const made = await http(reg, '/api/officials', {
      token: regToken,
      body: { username: 'inspector2', name: '孙监察（省局）', password },
    });
    expect(made.status, JSON.stringify(made.body)).toBe(200);
    // Before it arrives, neither centre knows the official.
    expect((await http(b.url, '/api/auth/login', { body: { username: 'inspector2', password } })).status).toBe(401);
    await http(a.url, '/api/link/sync', { token: a.admin, body: {} });
    await carry(reg, `/api/centres/${b.code}/bundle`, regToken, b.url, b.admin);
    for (const c of [a, b]) expect(await staffToken(c.url, 'inspector2', password)).toBeTruthy();
  });

  it('refuses and logs a tampered, a replayed and a wrongly-signed message, at the regulator and at a centre', async () => {
    const read = (to: 'regulator' | 'centre') =>
      JSON.parse(readFileSync(carried.find((c) => c.to === to)!.file, 'utf8')) as SignedLinkBundle;
    // At centre B. Replayed: the regulator's first bundle again changes nothing and each message is logged.
    const fromRegulator = read('centre');
    const again = await http<LinkBundleImportResult>(b.url, '/api/link/bundle', {
      token: b.admin,
      body: fromRegulator,
    });
    expect(again.status).toBe(200);
    expect(again.body.outcomes.length).toBeGreaterThan(0);
    expect(again.body.outcomes.every((o) => o.status === 'duplicate')).toBe(true);
    // Tampered: a ban list edited on the stick after the regulator signed it.
    const tampered = structuredClone(fromRegulator);
    tampered.bundle.createdAt += 1;
    const forged = await http<Err>(b.url, '/api/link/bundle', { token: b.admin, body: tampered });
    expect(forged.status).toBe(400);
    expect(forged.body.error.code).toBe('bad-signature');
    const centreLog = (await http<{ status: string; code: string }[]>(b.url, '/api/link/log', { token: b.admin })).body;
    expect(centreLog.filter((r) => r.status === 'duplicate').length).toBeGreaterThanOrEqual(again.body.outcomes.length);
    expect(centreLog.some((r) => r.status === 'refused' && r.code === 'bad-signature')).toBe(true);

    // At the regulator. B's first bundle: each message is already applied there.
    const fromB = read('regulator');
    const replayed = await http<{ outcomes: { status: string }[] }>(reg, '/api/link/bundle', {
      token: regToken,
      body: fromB,
    });
    expect(replayed.status).toBe(200);
    expect(replayed.body.outcomes.every((o) => o.status === 'duplicate')).toBe(true);
    // An insider at B, holding B's key, rewrites an archive message already sent and re-signs the bundle: the
    // message's own signature no longer verifies, and the number is taken.
    const privatePem = readFileSync(join(b.dir, 'keys', 'institution-ed25519.key.pem'), 'utf8');
    const rewritten = structuredClone(fromB.bundle);
    const first = rewritten.messages[0]!;
    first.message.sentAt += 1;
    const insider = await http<{ outcomes: { status: string; code?: string }[] }>(reg, '/api/link/bundle', {
      token: regToken,
      body: signBundle(rewritten, privateKeySigner(privatePem)),
    });
    expect(insider.status).toBe(200);
    expect(insider.body.outcomes[0]).toMatchObject({ status: 'refused', code: 'bad-signature' });
    // Wrongly signed: B's bundle presented as A's.
    const asA = structuredClone(fromB.bundle);
    asA.from = a.code;
    const wrong = await http<Err>(reg, '/api/link/bundle', {
      token: regToken,
      body: signBundle(asA, privateKeySigner(privatePem)),
    });
    expect(wrong.status).toBe(400);
    expect(wrong.body.error.code).toBe('bad-signature');

    const regLog = await regGet<LinkLogPage>('/api/link/log');
    expect(regLog.chainValid).toBe(true);
    const logged = (centre: string, outcome: string, code: string | null) =>
      regLog.rows.some((r) => r.centreCode === centre && r.outcome === outcome && r.code === code);
    expect(regLog.rows.some((r) => r.centreCode === b.code && r.outcome === 'duplicate')).toBe(true);
    expect(logged(b.code, 'refused', 'bad-signature')).toBe(true);
    expect(logged(a.code, 'refused', 'bad-signature')).toBe(true);
  });
});
