import { createPublicKey } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildArchive } from '../../server/src/audit/archive.build';
import { verifyArchive } from '../../server/src/audit/archive.verify';
import { dayOf } from '../../server/src/integrity/dates';
import type {
  LinkExchangeResponse,
  MissingArchiveRow,
  RegulatorArchiveReport,
  RegulatorCase,
  RegulatorFinding,
  RegulatorPassRates,
  RegulatorPersonDetail,
  RegulatorSearchResult,
  RegulatorSessionDetail,
} from '../../server/src/protocol';
import { searchCommand } from '../../server/src/regulator/intake/search.cli';
import { sha256Hex } from '../../server/src/shared/canonical-json';
import { ephemeralInstitutionKey } from '../../server/src/shared/institution-key';
import {
  centreMessage,
  exchangeRequest,
  startTestRegulator,
  testCentre,
  type TestCentre,
  type TestRegulator,
} from '../support/regulator-server';
import { http, startTestServer, type TestServer } from '../support/test-server';

// Issue 14, archive intake and the one view (H3): a real centre's archive at the regulator, verified against the
// pinned key; search across centres; the checks no single centre can make, each naming both ends.

let centre: TestServer;
let reg: TestRegulator;
let a: TestCentre; // the real centre, signing with its institution key
let b: TestCentre; // a second centre (a key pair of its own)
let archiveBytes: Uint8Array;
let forgedBytes: Uint8Array;
let session: { code: string; category: string; start: number; end: number };
let roster: { idNumber: string; name: string; trainingOrg: string | null; registrationId: number }[];
let failed: { idNumber: string; name: string } | null;

const DAY = 86_400_000;
const api = <T>(path: string, body?: unknown) =>
  http<T>(reg.url, `/api${path}`, { token: reg.adminToken, ...(body === undefined ? {} : { body }) });

async function send(c: TestCentre, type: Parameters<typeof centreMessage>[1], body: unknown) {
  const res = await http<LinkExchangeResponse>(reg.url, '/api/link/exchange', {
    body: exchangeRequest(c, [centreMessage(c, type, body)]),
  });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  expect(res.body.outcomes[0]?.status, JSON.stringify(res.body.outcomes)).toBe('applied');
}

const archiveMessage = (code: string, bytes: Uint8Array) => ({
  sessionCode: code,
  fileName: `${code}.zip`,
  sha256: sha256Hex(Buffer.from(bytes)),
  bytes: Buffer.from(bytes).toString('base64'),
});

beforeAll(async () => {
  centre = await startTestServer();
  reg = await startTestRegulator();
  const pastId = centre.demo!.pastSession!.sessionId;
  // Built by the real centre's archive service and builder, encrypted to THIS regulator's X25519 key.
  const content = centre.app.services.archives.collect(pastId);
  content.regulatorKey = createPublicKey(reg.keys.encPublicKeyPem);
  archiveBytes = buildArchive(content, centre.app.keys.institution, Date.now(), 'test').bytes;
  // The same records re-signed by another key, which the archive carries: self-consistent, but not the pin.
  forgedBytes = buildArchive(content, ephemeralInstitutionKey(), Date.now(), 'forger').bytes;
  const row = content.session.row;
  const start = Number(row.scheduled_start);
  session = {
    code: content.session.code,
    category: content.session.category,
    start,
    end: start + Number(row.duration_minutes) * 60_000,
  };
  roster = content.roster.map((r) => ({
    idNumber: String(r.id_number),
    name: String(r.name),
    trainingOrg: r.training_org === null ? null : String(r.training_org),
    registrationId: Number(r.registration_id),
  }));
  const fail = content.results.find((r) => Number(r.passed) === 0);
  const who = fail && roster.find((r) => r.registrationId === Number(fail.registration_id));
  failed = who ? { idNumber: who.idNumber, name: who.name } : null;

  a = {
    code: 'CENTRE-A',
    publicKey: centre.app.keys.institution.publicKey,
    publicKeyPem: centre.app.keys.institution.publicKeyPem,
    signer: centre.app.keys.institution,
    seq: 0,
  };
  b = testCentre('CENTRE-B');
  for (const c of [a, b]) {
    const r = await api('/centres', { code: c.code, name: `考点 ${c.code}`, publicKeyPem: c.publicKeyPem });
    expect([200, 201], JSON.stringify(r.body)).toContain(r.status);
  }
  // What the centre says before the archive: the session, its candidates with training organisation, its staff.
  await send(a, 'session.notice', {
    sessionCode: session.code,
    category: session.category,
    state: 'graded',
    scheduledStart: session.start,
    scheduledEnd: session.end,
    candidates: roster.map((r, i) => ({
      idNumber: r.idNumber,
      name: r.name,
      trainingOrg: { name: '阳光电梯培训学校', creditCode: i === 1 ? '91110000MA00ORG01X' : null },
    })),
    staff: [{ idNumber: '110101198001010011', name: '监考甲', duty: 'proctor' }],
  });
}, 180_000);

afterAll(async () => {
  await reg?.stop();
  await centre?.stop();
});

describe('regulator archive intake', () => {
  let validId = 0;

  it('intake: an archive built by a real centre is verified against the pinned key (VALID with the regulator key)', async () => {
    await send(a, 'archive.submitted', archiveMessage(session.code, archiveBytes));
    const detail = await api<RegulatorSessionDetail>(`/sessions/${a.code}/${encodeURIComponent(session.code)}`);
    expect(detail.status).toBe(200);
    validId = detail.body.archives.at(-1)!.id;
    const report = await api<RegulatorArchiveReport>(`/archives/${validId}`);
    expect(report.body.failures).toEqual([]);
    expect(report.body.gaps).toEqual([]);
    expect(report.body.status).toBe('VALID');
    expect(report.body.verifiedWithFingerprint).toBe(centre.app.keys.institution.fingerprint);
    expect(report.body.pinnedFingerprint).toBe(centre.app.keys.institution.fingerprint);
    expect(report.body.embeddedKeyMatchesPin).toBe(true);
    expect(report.body.sha256MatchesMessage).toBe(true);
    expect(report.body.checks.map((c) => c.name)).toEqual(expect.arrayContaining(['signature', 'scores']));
    const sha8 = sha256Hex(Buffer.from(archiveBytes)).slice(0, 8);
    expect(existsSync(join(reg.dataDir, 'archives', a.code, `${session.code}-${sha8}.zip`))).toBe(true);
    const dl = await fetch(`${reg.url}/api/archives/${validId}/download`, {
      headers: { authorization: `Bearer ${reg.adminToken}` },
    });
    expect(Buffer.from(await dl.arrayBuffer()).equals(Buffer.from(archiveBytes))).toBe(true);
    // Results and the session's records are indexed from the verified archive.
    expect(detail.body.sittings.every((s) => s.passed !== null)).toBe(true);
    expect(detail.body.anomalies.every((x) => x.source === 'archive' || x.source === 'notice')).toBe(true);
  });

  it('intake: an archive re-signed with another key is INVALID even though its embedded key matches its signature', async () => {
    // The manifest's signature verifies with the key the forged archive carries.
    const own = verifyArchive(forgedBytes, null, { trustEmbeddedKey: true, regulatorKey: reg.keys.encPrivatePem });
    expect(own.checks.find((c) => c.name === 'signature')?.ok).toBe(true);
    await send(a, 'archive.submitted', archiveMessage(session.code, forgedBytes));
    const detail = await api<RegulatorSessionDetail>(`/sessions/${a.code}/${encodeURIComponent(session.code)}`);
    const forgedId = detail.body.archives.at(-1)!.id;
    expect(forgedId).not.toBe(validId);
    const report = await api<RegulatorArchiveReport>(`/archives/${forgedId}`);
    expect(report.body.status).toBe('INVALID');
    expect(report.body.checks.find((c) => c.name === 'signature')?.ok).toBe(false);
    expect(report.body.verifiedWithFingerprint).toBe(centre.app.keys.institution.fingerprint);
    expect(report.body.embeddedKeyMatchesPin).toBe(false);
    expect(report.body.embeddedKeyFingerprint).not.toBe(report.body.pinnedFingerprint);
    // The INVALID archive does not replace the indexed results, and officials see it on the session.
    expect(detail.body.anomalies.map((x) => x.kind)).toContain('archive-invalid');
  });

  it('intake: bytes that differ from the hash the centre signed are INVALID and the message is still consumed', async () => {
    const body = { ...archiveMessage(session.code, archiveBytes), sha256: '0'.repeat(64) };
    await send(a, 'archive.submitted', body);
    const detail = await api<RegulatorSessionDetail>(`/sessions/${a.code}/${encodeURIComponent(session.code)}`);
    const report = await api<RegulatorArchiveReport>(`/archives/${detail.body.archives.at(-1)!.id}`);
    expect(report.body.status).toBe('INVALID');
    expect(report.body.sha256MatchesMessage).toBe(false);
  });

  it('search: finds the person by ID number across centres (API and CLI)', async () => {
    const person = roster[0]!;
    const res = await api<RegulatorSearchResult>(`/search?idNumber=${person.idNumber}`);
    expect(res.status).toBe(200);
    const row = res.body.rows.find((r) => r.centre.code === a.code)!;
    expect(row).toMatchObject({ sessionCode: session.code, name: person.name, category: session.category });
    expect(row.date).toBe(dayOf(session.start));
    expect(typeof row.passed).toBe('boolean');
    expect(row.score).not.toBeNull();
    const byName = await api<RegulatorSearchResult>(
      `/search?name=${encodeURIComponent(person.name)}&centre=${a.code}&from=${dayOf(session.start)}`,
    );
    expect(byName.body.rows.map((r) => r.idNumber)).toContain(person.idNumber);
    expect((await api(`/search`)).status).toBe(400);
    expect((await http(reg.url, `/api/search?idNumber=${person.idNumber}`)).status).toBe(401);

    const out: string[] = [];
    const write = process.stdout.write.bind(process.stdout);
    process.stdout.write = ((s: string) => (out.push(String(s)), true)) as typeof process.stdout.write;
    let code: number;
    try {
      code = await searchCommand(['--id-number', person.idNumber, '--json'], {
        EXAM_CENTER_REGULATOR_DATA: reg.dataDir,
      });
    } finally {
      process.stdout.write = write;
    }
    expect(code).toBe(0);
    const cli = JSON.parse(out.join('')) as RegulatorSearchResult;
    expect(cli.rows[0]).toMatchObject({ idNumber: person.idNumber, centre: { code: a.code } });
  });
});

describe('regulator cross-centre checks', () => {
  const findings = async () => (await api<RegulatorFinding[]>('/findings')).body;

  beforeAll(async () => {
    const [p0, p1, p2] = [roster[0]!, roster[2]!, roster[3]!];
    // Centre B: an overlapping session with A's candidate p0, A's candidate p1 on duty, and a late session on
    // A's exam day for the candidate who failed at A (a re-exam on the same day breaks the 补考 rule).
    await send(b, 'session.notice', {
      sessionCode: 'B-OVERLAP',
      category: session.category,
      state: 'sealed',
      scheduledStart: session.start + 10 * 60_000,
      scheduledEnd: session.end + 10 * 60_000,
      candidates: [{ idNumber: p0.idNumber, name: p0.name, trainingOrg: null }],
      staff: [{ idNumber: p1.idNumber, name: p1.name, duty: 'examiner' }],
    });
    if (failed)
      await send(b, 'session.notice', {
        sessionCode: 'B-RESIT',
        category: session.category,
        state: 'sealed',
        scheduledStart: session.end + 4 * 3600_000,
        scheduledEnd: session.end + 5 * 3600_000,
        candidates: [{ idNumber: failed.idNumber, name: failed.name, trainingOrg: null }],
        staff: [],
      });
    // Province-wide bans recorded after the records they concern: found at the next look.
    const past = dayOf(session.start - 400 * DAY);
    const pb = await api('/bans', {
      kind: 'person',
      idNumber: p2.idNumber,
      name: p2.name,
      reason: 'conduct',
      decisionDate: past,
      authority: '某省市场监督管理局',
      documentNo: '某市监特〔2025〕1号',
      summary: '考试作弊',
    });
    expect([200, 201], JSON.stringify(pb.body)).toContain(pb.status);
    const ob = await api('/bans', {
      kind: 'organisation',
      creditCode: '91110000MA00ORG01X',
      name: '阳光电梯培训学校',
      decisionDate: past,
      authority: '某省市场监督管理局',
      documentNo: '某市监特〔2025〕2号',
      summary: '出具虚假培训证明',
    });
    expect([200, 201], JSON.stringify(ob.body)).toContain(ob.status);
  });

  it('cross-centre: the same ID number in overlapping sessions at two centres is found with both ends', async () => {
    const f = (await findings()).find((x) => x.kind === 'overlapping-sessions')!;
    expect(f).toBeDefined();
    expect([f.a.centre?.code, f.b.centre?.code].sort()).toEqual([a.code, b.code]);
    expect(f.a.idNumber).toBe(roster[0]!.idNumber);
    expect(f.b.idNumber).toBe(roster[0]!.idNumber);
    expect([f.a.sessionCode, f.b.sessionCode]).toEqual(expect.arrayContaining([session.code, 'B-OVERLAP']));
  });

  it('cross-centre: staff at one centre and candidate at another within the look-back is found', async () => {
    const f = (await findings()).find((x) => x.kind === 'staff-and-candidate')!;
    expect(f).toMatchObject({
      a: { role: 'staff', centre: { code: b.code }, sessionCode: 'B-OVERLAP', idNumber: roster[2]!.idNumber },
      b: { role: 'candidate', centre: { code: a.code }, sessionCode: session.code, idNumber: roster[2]!.idNumber },
    });
  });

  it('cross-centre: staff at one centre who declared training the candidates at another is found', async () => {
    // P declared at B (in B's notice) teaching at a training school; P is on duty at A in sessions whose
    // candidates that school trained. Neither centre can see it: A has no declaration, B not A's candidates.
    const P = { idNumber: '370102198505050031', name: '培训兼监考' };
    const T = { name: '齐鲁特种设备培训中心', creditCode: '91370100MA00TRN01X' };
    const byCredit = { idNumber: '370102200101010052', name: '学员甲' }; // same credit code, other spelling
    const byName = { idNumber: '370102200303030074', name: '学员丙' }; // no credit code: exact name
    const other = { idNumber: '370102200202020063', name: '学员乙' }; // same name, another credit code
    const from = dayOf(session.start - 400 * DAY);
    const to = dayOf(session.start - 100 * DAY);
    const atA = (code: string, start: number) =>
      send(a, 'session.notice', {
        sessionCode: code,
        category: session.category,
        state: 'sealed',
        scheduledStart: start,
        scheduledEnd: start + 3600_000,
        candidates: [
          { ...byCredit, trainingOrg: { name: `${T.name}（济南）`, creditCode: T.creditCode } },
          { ...other, trainingOrg: { name: T.name, creditCode: '91370100MA00OTHER1' } },
          { ...byName, trainingOrg: { name: T.name, creditCode: null } },
        ],
        staff: [{ ...P, duty: 'examiner' }], // an older centre's notice: no engagements field at all
      });
    // On duty at A before the declaration reaches the regulator, and again after it.
    await atA('A-TRAINER-1', session.start + 20 * DAY);
    await send(b, 'session.notice', {
      sessionCode: 'B-DECL',
      category: session.category,
      state: 'sealed',
      scheduledStart: session.start + 30 * DAY,
      scheduledEnd: session.start + 30 * DAY + 3600_000,
      // B's own session with T's trainee: B's own integrity rules cover it, not a cross-centre finding.
      candidates: [{ idNumber: '370102200404040085', name: '学员丁', trainingOrg: T }],
      staff: [{ ...P, duty: 'proctor', trainingEngagements: [{ org: T, from, to }] }],
    });
    await atA('A-TRAINER-2', session.start + 40 * DAY);
    await atA('A-TRAINER-LATE', session.start + 4 * 366 * DAY); // past the look-back after the engagement ended

    const found = (await findings()).filter((x) => x.kind === 'staff-and-trainer');
    expect(found.map((f) => f.b.sessionCode).sort()).toEqual(['A-TRAINER-1', 'A-TRAINER-2']);
    for (const f of found) {
      expect(f).toMatchObject({
        a: { role: 'trainer', centre: { code: b.code }, idNumber: P.idNumber, creditCode: T.creditCode },
        b: { role: 'staff', centre: { code: a.code }, idNumber: P.idNumber, detail: 'examiner' },
      });
      expect(f.a.detail).toContain(T.name);
      expect(f.a.detail).toContain(`${from}—${to}`);
      expect(f.summary).toContain(byCredit.name);
      expect(f.summary).toContain(byName.name);
      expect(f.summary).not.toContain(other.name);
    }
    // Re-checking finds nothing twice.
    await atA('A-TRAINER-2', session.start + 40 * DAY);
    expect((await findings()).filter((x) => x.kind === 'staff-and-trainer')).toHaveLength(2);
  });

  it('cross-centre: a barred person and a barred training organisation appearing anywhere are found', async () => {
    const all = await findings();
    const person = all.find((x) => x.kind === 'barred-appearance' && x.a.idNumber === roster[3]!.idNumber)!;
    expect(person.a).toMatchObject({ role: 'ban', name: roster[3]!.name });
    expect(person.a.detail).toContain('〔2025〕1号');
    expect(person.b).toMatchObject({ role: 'candidate', centre: { code: a.code }, sessionCode: session.code });
    const org = all.find((x) => x.kind === 'barred-appearance' && x.a.creditCode === '91110000MA00ORG01X')!;
    expect(org.b).toMatchObject({ role: 'candidate', idNumber: roster[1]!.idNumber, centre: { code: a.code } });
  });

  it('cross-centre: a candidate who failed at one centre and re-sits at another inside the re-exam rule is found', async () => {
    expect(failed, 'the demo past session has a failed candidate').not.toBeNull();
    const f = (await findings()).find((x) => x.kind === 'reexam-too-soon')!;
    expect(f.a).toMatchObject({ centre: { code: a.code }, sessionCode: session.code, idNumber: failed!.idNumber });
    expect(f.b).toMatchObject({ centre: { code: b.code }, sessionCode: 'B-RESIT', idNumber: failed!.idNumber });
    expect(f.summary).toContain('not-same-day');
  });

  it('cross-centre: a finding becomes a ledger case naming both ends, once', async () => {
    const f = (await findings()).find((x) => x.kind === 'overlapping-sessions')!;
    const input = { measure: '核查两考点报名记录', responsible: 'CENTRE-B', deadline: '2026-12-31' };
    const opened = await api<RegulatorCase>(`/findings/${f.id}/case`, input);
    expect([200, 201], JSON.stringify(opened.body)).toContain(opened.status);
    expect(opened.body).toMatchObject({ findingId: f.id, a: f.a, b: f.b, openedBy: 'regadmin', status: 'open' });
    expect((await api(`/findings/${f.id}/case`, input)).status).toBe(409);
    expect((await api<RegulatorCase[]>('/cases')).body.map((c) => c.findingId)).toContain(f.id);
    expect((await findings()).find((x) => x.id === f.id)!.caseId).toBe(opened.body.id);
  });

  it('people: one person across centres shows sittings, staff duties and findings', async () => {
    const p1 = roster[2]!;
    const res = await api<RegulatorPersonDetail>(`/people/${p1.idNumber}`);
    expect(res.status).toBe(200);
    expect(res.body.names).toContain(p1.name);
    expect(res.body.sittings.map((s) => s.centre.code)).toContain(a.code);
    expect(res.body.duties).toEqual([expect.objectContaining({ centre: expect.objectContaining({ code: b.code }) })]);
    expect(res.body.findings.map((f) => f.kind)).toContain('staff-and-candidate');
    expect((await api(`/people/110101190001010000`)).status).toBe(404);
  });

  it('missing archives: a session known from notices past its end + 3 days with no archive is listed', async () => {
    await send(b, 'session.notice', {
      sessionCode: 'B-LONG-AGO',
      category: session.category,
      state: 'closed',
      scheduledStart: Date.now() - 5 * DAY,
      scheduledEnd: Date.now() - 5 * DAY + 3600_000,
      candidates: [],
      staff: [],
    });
    const missing = (await api<MissingArchiveRow[]>('/archives/missing')).body;
    expect(missing.map((m) => `${m.centre.code}/${m.sessionCode}`)).toContain('CENTRE-B/B-LONG-AGO');
    expect(missing.map((m) => m.sessionCode)).not.toContain(session.code); // its archive arrived
  });

  it('pass rates: by centre and by training organisation, with the outlier flag', async () => {
    const byCentre = (await api<RegulatorPassRates>('/pass-rates?by=centre')).body;
    const rowA = byCentre.rows.find((r) => r.group.key === a.code)!;
    expect(rowA.sat).toBe(roster.length);
    expect(typeof rowA.flagged).toBe('boolean');
    const byOrg = (await api<RegulatorPassRates>('/pass-rates?by=training-org')).body;
    expect(byOrg.rows.map((r) => r.group.key)).toContain('91110000MA00ORG01X');
  });
});
