import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { InstitutionKeyInfo, OpenResult, SealStatus } from '../../server/src/protocol';
import { papersCommand } from '../../server/src/papers/papers.cli';
import { publicKeyFingerprint } from '../../server/src/shared/institution-key';
import { http, staffToken, startTestServer, type TestServer } from '../support/test-server';

let server: TestServer;
let dataDir: string;
let chief: string;
let official: string;

beforeAll(async () => {
  server = await startTestServer({ keepData: true });
  dataDir = server.dataDir;
  chief = await staffToken(server.url, 'chief', 'demo-chief-2026');
  official = await staffToken(server.url, 'official', 'demo-official-2026');
});
afterAll(async () => {
  await server?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

async function cli(args: string[]): Promise<{ code: number; out: string }> {
  const saved = process.env.EXAM_CENTER_DATA;
  process.env.EXAM_CENTER_DATA = dataDir;
  const chunks: string[] = [];
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((s: string | Uint8Array) => {
    chunks.push(String(s));
    return true;
  });
  try {
    // The institution key as an official would hold it, apart from the data folder (issue 13: without a pinned
    // key `papers verify` trusts nothing and exits 3).
    const pubkey = join(dataDir, 'keys', 'institution-ed25519.pub.pem');
    return { code: await papersCommand([...args, '--pubkey', pubkey]), out: chunks.join('') };
  } finally {
    spy.mockRestore();
    if (saved === undefined) delete process.env.EXAM_CENTER_DATA;
    else process.env.EXAM_CENTER_DATA = saved;
  }
}

describe('sealed papers over REST', () => {
  it('shows the institution key fingerprint to staff and officials, matching the key file', async () => {
    const res = await http<InstitutionKeyInfo>(server.url, '/api/institution/key', { token: official });
    expect(res.status).toBe(200);
    const pem = readFileSync(join(dataDir, 'keys', 'institution-ed25519.pub.pem'), 'utf8');
    expect(res.body.fingerprint).toBe(publicKeyFingerprint(pem));
    expect(res.body.fingerprint).toMatch(/^([0-9a-f]{4} ){15}[0-9a-f]{4}$/);
  });

  it('keeps the demo session sealed at first start, with its manifest fingerprint and custodians', async () => {
    const id = server.demo!.sessionId;
    const res = await http<SealStatus>(server.url, `/api/sessions/${id}/seal`, { token: official });
    expect(res.status).toBe(200);
    expect(res.body.sessionState).toBe('sealed');
    expect(res.body.seal).toMatchObject({ state: 'sealed', paperCount: 5 });
    expect(res.body.seal!.custodians.map((c) => c.name)).toEqual(server.demo!.custodianCodes.map((c) => c.name));
  });

  it('verifies with the CLI before opening (exit 0)', async () => {
    const { code, out } = await cli(['verify', '--all']);
    expect(out).toContain('signature');
    expect(code).toBe(0);
  });

  it('holds a single code until the other custodian enters theirs, then opens and starts the exam', async () => {
    const id = server.demo!.sessionId;
    const codeOf = (u: string) => server.demo!.custodianCodes.find((c) => c.username === u)!.code;
    // Each custodian enters their own code with their own login and password (issue 13, hole 4).
    const one = await http<{ opened: unknown }>(server.url, `/api/sessions/${id}/open/code`, {
      token: chief,
      body: { password: 'demo-chief-2026', code: codeOf('chief') },
    });
    expect([one.status, one.body.opened]).toEqual([200, null]);
    const tooEarly = await http<{ error: { code: string } }>(server.url, `/api/sessions/${id}/start`, {
      token: chief,
      body: {},
    });
    expect(tooEarly.body.error.code).toBe('session-not-open');
    const opened = await http<{ opened: OpenResult }>(server.url, `/api/sessions/${id}/open/code`, {
      token: official,
      body: { password: 'demo-official-2026', code: codeOf('official') },
    });
    expect(opened.status).toBe(200);
    expect(opened.body.opened).toMatchObject({ state: 'open', paperCount: 5 });
    const started = await http<{ state: string }>(server.url, `/api/sessions/${id}/start`, { token: chief, body: {} });
    expect([started.status, started.body.state]).toEqual([200, 'running']);
  });

  it('serves the same papers after a restart (data key unwrapped with the server key)', async () => {
    const regs = server.db.prepare('SELECT id FROM registrations WHERE session_id = ?').all(server.demo!.sessionId) as {
      id: number;
    }[];
    const before = regs.map((r) => server.app.services.papers.paperFor(r.id).hash);
    await server.stop();
    server = await startTestServer({ dataDir, keepData: true });
    expect(regs.map((r) => server.app.services.papers.paperFor(r.id).hash)).toEqual(before);
  });

  it('re-derives every paper with the CLI after opening, and exits 1 once a ciphertext is altered', async () => {
    const ok = await cli(['verify', String(server.db.prepare('SELECT id FROM sessions LIMIT 1').pluck().get())]);
    expect(ok.out).toContain('equal to the decrypted ciphertexts');
    expect(ok.code).toBe(0);
    server.db
      .prepare("UPDATE sealed_papers SET ciphertext_hash = 'x' WHERE rowid = (SELECT min(rowid) FROM sealed_papers)")
      .run();
    const bad = await cli(['verify', '--all']);
    expect(bad.out).toMatch(/✘ ciphertexts/);
    expect(bad.code).toBe(1);
  });
});
