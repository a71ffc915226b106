import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  BankVersionView,
  BlueprintCheck,
  BlueprintView,
  ImportJobView,
  PracticeItemsResponse,
  VersionItemsResponse,
} from '../../server/src/protocol';
import { candidateToken, http, staffToken, startTestServer, type TestServer } from '../support/test-server';

const EXTERNAL = resolve(import.meta.dirname, '../fixtures/external');

let server: TestServer;
const tokens: Record<string, string> = {};

beforeAll(async () => {
  server = await startTestServer();
  tokens.bank = await staffToken(server.url, 'bank', 'demo-bank-2026');
  tokens.admin = await staffToken(server.url, 'admin', 'demo-admin-2026');
  tokens.chief = await staffToken(server.url, 'chief', 'demo-chief-2026');
  tokens.proctor = await staffToken(server.url, 'proctor1', 'demo-proctor-2026');
  tokens.official = await staffToken(server.url, 'official', 'demo-official-2026');
  const c = server.demo!.candidates[0]!;
  tokens.candidate = await candidateToken(server.url, c.admissionNo, c.idNumber);
});
afterAll(() => server.stop());

/** Uploads a file as the raw body, the way the staff page does. */
async function upload(path: string, query: Record<string, string>, token: string, body: Uint8Array) {
  const res = await fetch(`${server.url}/api/bank/${path}?${new URLSearchParams(query)}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/octet-stream' },
    body: Buffer.from(body),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

async function waitForJob(id: string): Promise<ImportJobView> {
  for (let i = 0; i < 200; i++) {
    const r = await http<{ job: ImportJobView }>(server.url, `/api/bank/imports/${id}`, { token: tokens.bank });
    if (r.body.job.status !== 'running') return r.body.job;
    await new Promise((ok) => setTimeout(ok, 50));
  }
  throw new Error('import job did not finish');
}

const versions = async (query = '') =>
  (await http<{ versions: BankVersionView[] }>(server.url, `/api/bank/versions${query}`, { token: tokens.bank })).body
    .versions;

describe('bank routes: access', () => {
  const routes: [string, string][] = [
    ['GET', '/api/bank/versions'],
    ['GET', '/api/bank/categories'],
    ['GET', '/api/bank/versions/1/items'],
    ['GET', '/api/bank/versions/1/export'],
    ['POST', '/api/bank/versions/1/retire'],
    ['POST', '/api/bank/imports?fileName=a.csv'],
    ['POST', '/api/bank/validate?fileName=a.csv'],
    ['GET', '/api/bank/blueprints'],
    ['POST', '/api/bank/blueprints'],
  ];
  it.each(['official', 'proctor', 'chief', 'candidate'])('answers 403 to a %s on every bank route', async (who) => {
    for (const [method, path] of routes) {
      const res = await http(server.url, path, {
        method,
        token: tokens[who],
        ...(method === 'POST' ? { body: {} } : {}),
      });
      expect(res.status, `${method} ${path}`).toBe(403);
    }
  });

  it('answers 401 without a token, also on the practice API', async () => {
    expect((await http(server.url, '/api/bank/versions')).status).toBe(401);
    expect((await http(server.url, '/api/practice/N1/items')).status).toBe(401);
  });

  it('refuses an upload over the size limit with 413 before reading it', async () => {
    const res = await upload(
      'imports',
      { fileName: 'big.csv', category: 'N1', pool: 'exam' },
      tokens.bank!,
      new Uint8Array(31 * 1024 * 1024),
    );
    expect(res.status).toBe(413);
    expect((res.body.error as { code: string }).code).toBe('file-too-large');
  });
});

describe('bank routes: import, versions, export, retire, blueprints', () => {
  it('imports through a job with progress, logs it, and lists the new version', async () => {
    const before = await versions('?category=N1&pool=practice');
    const bytes = new Uint8Array(readFileSync(join(EXTERNAL, 'moodle-xml/nested-categories-truefalse-essay.xml')));
    const started = await upload(
      'imports',
      { fileName: 'nested.xml', category: 'N1', pool: 'practice' },
      tokens.bank!,
      bytes,
    );
    expect(started.status).toBe(202);
    const job = await waitForJob((started.body.job as ImportJobView).id);
    expect(job.status).toBe('done');
    expect(job.summary).toMatchObject({
      outcome: 'imported',
      imported: 4,
      skipped: 1,
      errors: [expect.objectContaining({ kind: 'unsupported' })],
    });
    const after = await versions('?category=N1&pool=practice');
    expect(after[0]).toMatchObject({
      id: job.summary!.version!.id,
      parentId: before[0]!.id,
      latest: true,
      itemCount: before[0]!.itemCount + 4,
    });
    const log = await http<{ imports: { fileName: string; actor: string; outcome: string }[] }>(
      server.url,
      '/api/bank/imports',
      { token: tokens.admin },
    );
    expect(log.body.imports[0]).toMatchObject({
      fileName: 'nested.xml',
      outcome: 'imported',
      actor: expect.stringMatching(/^staff:/),
    });
  });

  it('validates without storing, and a refused import says why', async () => {
    const bad = new TextEncoder().encode('题型,题干,选项A,选项B,答案\n单选,叉车的动力来自？,内燃机,人力,C\n');
    const v = await upload('validate', { fileName: 'bad.csv', category: 'N1' }, tokens.bank!, bad);
    expect(v.body).toMatchObject({
      outcome: 'invalid',
      errors: [expect.objectContaining({ where: 'bad.csv 第 2 行', field: '答案 answer' })],
    });
    const count = (await versions()).length;
    const started = await upload('imports', { fileName: 'bad.csv', category: 'N1', pool: 'exam' }, tokens.bank!, bad);
    const job = await waitForJob((started.body.job as ImportJobView).id);
    expect(job).toMatchObject({ status: 'failed', summary: { outcome: 'refused' } });
    expect((await versions()).length).toBe(count);
  });

  it('exports a version and re-importing the export changes nothing', async () => {
    const exam = (await versions('?category=N1&pool=exam'))[0]!;
    const res = await fetch(`${server.url}/api/bank/versions/${exam.id}/export?format=xlsx`, {
      headers: { authorization: `Bearer ${tokens.bank}` },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toContain(`N1-exam-v${exam.id}.xlsx`);
    const started = await upload(
      'imports',
      { fileName: 'export.xlsx', category: 'N1', pool: 'exam' },
      tokens.bank!,
      new Uint8Array(await res.arrayBuffer()),
    );
    const job = await waitForJob((started.body.job as ImportJobView).id);
    expect(job.summary).toMatchObject({
      outcome: 'unchanged',
      version: { id: exam.id, fingerprint: exam.fingerprint },
    });
  });

  it('retires an item into a new version (latest version only)', async () => {
    const exam = (await versions('?category=N1&pool=exam'))[0]!;
    const items = (
      await http<VersionItemsResponse>(server.url, `/api/bank/versions/${exam.id}/items`, { token: tokens.bank })
    ).body.items;
    const retired = await http<{ version: BankVersionView }>(server.url, `/api/bank/versions/${exam.id}/retire`, {
      token: tokens.bank,
      body: { itemHashes: [items[0]!.contentHash], reason: '答案有误，待修订' },
    });
    expect(retired.status).toBe(201);
    expect(retired.body.version).toMatchObject({
      parentId: exam.id,
      itemCount: exam.itemCount - 1,
      note: '答案有误，待修订',
    });
    const again = await http(server.url, `/api/bank/versions/${exam.id}/retire`, {
      token: tokens.bank,
      body: { itemHashes: [items[1]!.contentHash], reason: '过时' },
    });
    expect(again.status).toBe(409);
  });

  it('stores a blueprint as a new row and checks it against a version', async () => {
    const list = (
      await http<{ blueprints: BlueprintView[] }>(server.url, '/api/bank/blueprints?category=N1', {
        token: tokens.bank,
      })
    ).body.blueprints;
    const current = list[0]!;
    const exam = (await versions('?category=N1&pool=exam'))[0]!;
    const practice = (await versions('?category=N1&pool=practice'))[0]!;
    const ok = await http<BlueprintCheck>(
      server.url,
      `/api/bank/blueprints/${current.id}/check?versionId=${exam.id}&papers=2`,
      { token: tokens.bank },
    );
    expect(ok.body).toMatchObject({ satisfiable: true, shortfalls: [] });
    const bad = await http<BlueprintCheck>(
      server.url,
      `/api/bank/blueprints/${current.id}/check?versionId=${practice.id}`,
      { token: tokens.bank },
    );
    expect(bad.body.satisfiable).toBe(false);
    expect(bad.body.shortfalls).toContain(
      `version #${practice.id} is a practice pool: papers are drawn from the exam pool only`,
    );
    expect(bad.body.shortfalls.some((s) => /^N1 单选 needs 40, pool has \d+$/.test(s))).toBe(true);
    const body = { ...(current.body as object), name: 'N1 叉车司机 理论考试（2027 版）' };
    const created = await http<{ blueprint: BlueprintView }>(server.url, '/api/bank/blueprints', {
      token: tokens.admin,
      body,
    });
    expect(created.status).toBe(201);
    expect(created.body.blueprint.id).toBeGreaterThan(current.id);
    const invalid = await http<{ error: { code: string; message: string } }>(server.url, '/api/bank/blueprints', {
      token: tokens.admin,
      body: { ...body, passMark: 170 },
    });
    expect(invalid.status).toBe(400);
    expect(invalid.body.error.message).toContain('passMark');
  });
});

describe('practice API', () => {
  it('gives a candidate the practice pool and never an exam item', async () => {
    const res = await http<PracticeItemsResponse>(server.url, '/api/practice/N1/items', { token: tokens.candidate });
    expect(res.status).toBe(200);
    expect(res.body.items.length).toBeGreaterThan(0);
    const examStems = new Set<string>();
    for (const v of await versions('?category=N1&pool=exam')) {
      const items = (
        await http<VersionItemsResponse>(server.url, `/api/bank/versions/${v.id}/items`, { token: tokens.bank })
      ).body.items;
      items.forEach((i) => examStems.add(i.stem));
    }
    expect(examStems.size).toBeGreaterThan(0);
    for (const item of res.body.items) expect(examStems.has(item.stem), item.stem).toBe(false);
  });
});
