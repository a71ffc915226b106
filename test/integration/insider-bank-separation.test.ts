import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BankRepo } from '../../server/src/bank/bank.repo';
import { itemContentHash } from '../../server/src/bank/bank-format';
import type {
  BankItemView,
  BankVersionView,
  ImportJobView,
  PracticeItemsResponse,
  SessionIntegrityView,
  VersionItemsResponse,
} from '../../server/src/protocol';
import { candidateToken, http, staffToken, startTestServer, type TestServer } from '../support/test-server';

// Issue 13 hole 3: 考培分离 must hold across categories — an N1 exam item filed as G1 practice is the
// same leak as one filed as N1 practice.

let server: TestServer;
const tokens: Record<string, string> = {};

beforeAll(async () => {
  server = await startTestServer();
  tokens.bank = await staffToken(server.url, 'bank', 'demo-bank-2026');
  const c = server.demo!.candidates[0]!;
  tokens.candidate = await candidateToken(server.url, c.admissionNo, c.idNumber);
});
afterAll(() => server.stop());

const LETTERS = 'ABCDEF';

async function latestVersion(category: string, pool: string): Promise<BankVersionView> {
  const r = await http<{ versions: BankVersionView[] }>(
    server.url,
    `/api/bank/versions?category=${category}&pool=${pool}`,
    { token: tokens.bank },
  );
  return r.body.versions[0]!;
}

async function itemsOf(versionId: number): Promise<BankItemView[]> {
  return (await http<VersionItemsResponse>(server.url, `/api/bank/versions/${versionId}/items`, { token: tokens.bank }))
    .body.items;
}

/** The item as a bank-file entry, options reversed and written in full-width with extra spaces: a copy an
 * insider would make to get round an exact match. */
function disguised(item: BankItemView, id: string) {
  const options = [...item.options].reverse();
  const answer = item.answer
    .map((i) => LETTERS[options.indexOf(item.options[i]!)])
    .sort()
    .join('');
  return {
    id,
    type: item.type,
    stem: `  ${item.stem.replace(/，/g, ' ， ')}  `,
    options: options.map((o) => `${o}。`),
    answer,
    knowledgePoint: '锅炉基础',
    difficulty: 2,
  };
}

async function importG1Practice(items: object[]): Promise<ImportJobView> {
  const file = {
    format: 'exam-center-bank/1',
    category: 'G1',
    categoryName: '工业锅炉司炉',
    pool: 'practice',
    items,
  };
  const res = await fetch(
    `${server.url}/api/bank/imports?${new URLSearchParams({ fileName: 'g1-practice.json', category: 'G1', pool: 'practice' })}`,
    {
      method: 'POST',
      headers: { authorization: `Bearer ${tokens.bank}`, 'content-type': 'application/octet-stream' },
      body: Buffer.from(JSON.stringify(file)),
    },
  );
  expect(res.status).toBe(202);
  const { job } = (await res.json()) as { job: ImportJobView };
  for (let i = 0; i < 200; i++) {
    const r = await http<{ job: ImportJobView }>(server.url, `/api/bank/imports/${job.id}`, { token: tokens.bank });
    if (r.body.job.status !== 'running') return r.body.job;
    await new Promise((ok) => setTimeout(ok, 50));
  }
  throw new Error('import job did not finish');
}

describe('insider: 考培分离 across categories', () => {
  it('insider: an N1 exam item imported into G1 practice is refused naming the clash', async () => {
    const exam = await latestVersion('N1', 'exam');
    const item = (await itemsOf(exam.id)).find((i) => i.type === 'single')!;
    const job = await importG1Practice([disguised(item, 'G1-P-X01')]);
    expect(job.status).toBe('failed');
    expect(job.summary).toMatchObject({ outcome: 'refused' });
    const error = job.summary!.errors.find((e) => e.where === 'G1-P-X01');
    expect(error?.message).toContain(`N1 考试池 版本 #`);
    expect(error?.message).toContain(item.externalId);
  });

  it('insider: a retired N1 exam item (only in an old version) imported into G1 practice is refused', async () => {
    const exam = await latestVersion('N1', 'exam');
    const item = (await itemsOf(exam.id)).filter((i) => i.type === 'single')[1]!;
    const retired = await http<{ version: BankVersionView }>(server.url, `/api/bank/versions/${exam.id}/retire`, {
      token: tokens.bank,
      body: { itemHashes: [item.contentHash], reason: '题目泄露，停用' },
    });
    expect(retired.status).toBe(201);
    expect((await itemsOf(retired.body.version.id)).some((i) => i.contentHash === item.contentHash)).toBe(false);
    const job = await importG1Practice([disguised(item, 'G1-P-X02')]);
    expect(job.summary).toMatchObject({ outcome: 'refused' });
    expect(job.summary!.errors.find((e) => e.where === 'G1-P-X02')?.message).toContain(item.externalId);
  });

  it('insider: the practice route never serves an exam item of another category', async () => {
    const exam = await latestVersion('N1', 'exam');
    const item = (await itemsOf(exam.id)).filter((i) => i.type === 'single')[2]!;
    // A practice version written around the service (a direct database write, an old build): the
    // practice query itself must still leave the item out.
    const repo = new BankRepo(server.db);
    const parent = await latestVersion('G1', 'practice');
    const parentItems = repo.itemsOfVersion(parent.id);
    const copy = {
      ...item,
      externalId: 'G1-P-X03',
      category: 'G1',
      options: [...item.options].reverse(),
      answer: item.answer.map((i) => item.options.length - 1 - i).sort((a, b) => a - b),
      knowledgePoint: '锅炉基础',
      explanation: null,
    };
    const hashed = { ...copy, contentHash: itemContentHash(copy) };
    repo.insertVersion(
      {
        category: 'G1',
        pool: 'practice',
        fingerprint: 'written-around-the-service',
        parentId: parent.id,
        source: 'test',
        note: null,
        createdBy: 'test',
        createdAt: Date.now(),
      },
      [...parentItems, hashed],
    );
    const res = await http<PracticeItemsResponse>(server.url, '/api/practice/G1/items', { token: tokens.candidate });
    expect(res.status).toBe(200);
    expect(res.body.items.length).toBe(parentItems.length);
    expect(res.body.items.map((i) => i.id)).not.toContain('G1-P-X03');
  });

  it("insider: the pool-separation rule officials read flags the exam items in another category's practice pool", async () => {
    // Relies on the practice version the previous test wrote around the service.
    const official = await staffToken(server.url, 'official', 'demo-official-2026');
    const view = await http<SessionIntegrityView>(server.url, `/api/sessions/${server.demo!.sessionId}/integrity`, {
      token: official,
    });
    const findings = view.body.current.results.flatMap((r) => r.findings);
    expect(findings.map((f) => f.code)).toContain('exam-pool-in-practice');
  });
});
