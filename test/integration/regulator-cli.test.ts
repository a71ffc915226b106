import { generateKeyPairSync } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { runCli } from '../../server/src/cli';
import type { BundleImportResult, CentreRow } from '../../server/src/protocol';
import {
  parseBundleFile,
  bundleSignatureValid,
  privateKeySigner,
  signBundle,
} from '../../server/src/shared/link-signing';
import { centreMessage, testCentre } from '../support/regulator-server';

let dir: string;
let regData: string;
const saved = { ...process.env };
const centre = testCentre('CLI-01');

/** Runs the CLI in-process and returns its exit code and what it printed. */
async function cli(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const o = vi.spyOn(process.stdout, 'write').mockImplementation((s) => ((out += String(s)), true));
  const e = vi.spyOn(process.stderr, 'write').mockImplementation((s) => ((err += String(s)), true));
  try {
    return { code: await runCli(args), out, err };
  } finally {
    o.mockRestore();
    e.mockRestore();
  }
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'exam-regulator-cli-'));
  regData = join(dir, 'regulator-data');
  process.env.EXAM_CENTER_REGULATOR_DATA = regData;
  process.env.EXAM_CENTER_DATA = join(dir, 'no-centre-here');
  writeFileSync(join(dir, 'centre.pub'), centre.publicKeyPem);
});
afterAll(() => {
  process.env = saved;
  rmSync(dir, { recursive: true, force: true });
});

describe('regulator CLI', () => {
  it('init creates the keys and a first admin once, with a one-time password', async () => {
    const first = await cli('regulator', 'init');
    expect(first.code).toBe(0);
    expect(first.out).toMatch(/one-time password \(shown once\): \S{14}/);
    expect(statSync(join(regData, 'keys', 'regulator-ed25519.key.pem')).mode & 0o777).toBe(0o600);
    expect(existsSync(join(regData, 'keys', 'regulator.pub'))).toBe(true);
    expect(existsSync(join(regData, 'keys', 'regulator-x25519.pub'))).toBe(true);
    const again = await cli('regulator', 'init');
    expect(again.out).toContain('already initialised');
  });

  it('registers a centre, records a ban and an official, and exports their bundle for the centre', async () => {
    expect(
      (
        await cli(
          'regulator',
          'centres',
          'add',
          '--code',
          'CLI-01',
          '--name',
          '命令行中心',
          '--key',
          join(dir, 'centre.pub'),
        )
      ).code,
    ).toBe(0);
    const ban = await cli(
      'regulator',
      'bans',
      'add-person',
      '--id-number',
      '110101199003071234',
      '--name',
      '张某',
      '--decision-date',
      '2026-01-05',
      '--authority',
      '省局',
      '--document-no',
      '〔2026〕3号',
      '--summary',
      '替考',
    );
    expect(ban.out).toContain('list version 2 queued to 1 centre(s)');
    expect((await cli('regulator', 'officials', 'add', 'qian', '--name', '钱监督')).out).toMatch(
      /password \(shown once\)/,
    );
    const list = JSON.parse((await cli('regulator', 'centres', 'list', '--json')).out) as CentreRow[];
    expect(list).toEqual([expect.objectContaining({ code: 'CLI-01', pendingOut: 4 })]);

    const file = join(dir, 'to-centre.bundle.json');
    expect((await cli('regulator-sync', 'export', file, '--centre', 'CLI-01')).code).toBe(0);
    const bundle = parseBundleFile(readFileSync(file, 'utf8'));
    const pub = readFileSync(join(regData, 'keys', 'regulator.pub'), 'utf8');
    expect(bundleSignatureValid(bundle, pub)).toBe(true);
    expect(bundle.bundle.messages.map((m) => m.message.type)).toEqual([
      'centre.registered',
      'bans.list',
      'bans.list',
      'official.grant',
    ]);
  });

  it('imports a centre bundle at the regulator and refuses one signed by another key', async () => {
    const m = centreMessage(centre, 'stale-list.exception', {
      sessionCode: 'C-1',
      reason: '断网',
      recordedBy: 'chief',
      listVersion: 2,
      listAsOf: Date.now(),
    });
    const body = {
      v: 1 as const,
      kind: 'exam-center.link-bundle' as const,
      from: 'CLI-01',
      to: 'regulator',
      createdAt: Date.now(),
      received: 4,
      messages: [m],
      freshness: null,
    };
    const good = join(dir, 'from-centre.bundle.json');
    writeFileSync(good, JSON.stringify(signBundle(body, centre.signer)));
    const ok = await cli('regulator-sync', 'import', good);
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.out) as BundleImportResult).toEqual({
      from: 'CLI-01',
      outcomes: [{ seq: 1, status: 'applied' }],
      acked: 4,
    });
    const forged = join(dir, 'forged.bundle.json');
    writeFileSync(
      forged,
      JSON.stringify(signBundle(body, privateKeySigner(generateKeyPairSync('ed25519').privateKey))),
    );
    const bad = await cli('regulator-sync', 'import', forged);
    expect(bad.code).toBe(1);
    expect(bad.err).toContain('bad-signature');
    const list = JSON.parse((await cli('regulator', 'centres', 'list', '--json')).out) as CentreRow[];
    expect(list[0]).toMatchObject({ pendingOut: 0, receivedSeq: 1, lastContactVia: 'bundle' });
  });

  it('keeps `regulator keygen` writing a key pair to a folder', async () => {
    const out = join(dir, 'keygen');
    expect((await cli('regulator', 'keygen', '--out', out)).code).toBe(0);
    expect(existsSync(join(out, 'regulator.key'))).toBe(true);
    expect(existsSync(join(out, 'regulator-x25519.pub'))).toBe(true);
  });
});
