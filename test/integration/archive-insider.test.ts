import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { strToU8, unzipSync, zipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MANIFEST_ENTRY, SIGNATURE_ENTRY, archiveManifestSchema } from '../../server/src/audit/archive-format';
import { verifyArchive } from '../../server/src/audit/archive.verify';
import { canonicalJson, sha256Hex } from '../../server/src/shared/canonical-json';
import { staffToken, startTestServer, type TestServer } from '../support/test-server';

/**
 * Issue 13, holes 2, 5 (archive side), 6 and 7: what an insider who holds the institution's signing key can do
 * to an archive, and what an archive gives away. The insider re-signs every forged archive, so only the
 * verifier's cross-checks stand between the forgery and a VALID verdict.
 */
let server: TestServer;
let bytes: Uint8Array;
let file: string;
let pubkey: string;
let pubkeyFile: string;
let regulatorKey: string;
let regulatorKeyFile: string;

beforeAll(async () => {
  server = await startTestServer();
  const past = server.demo!.pastSession!;
  file = join(server.dataDir, past.archiveFile);
  bytes = readFileSync(file);
  pubkey = server.app.keys.institution.publicKeyPem;
  pubkeyFile = join(server.dataDir, 'keys', 'institution-ed25519.pub.pem');
  regulatorKeyFile = join(server.dataDir, 'demo-regulator', 'regulator-data', 'keys', 'regulator-x25519.key');
  regulatorKey = readFileSync(regulatorKeyFile, 'utf8');
}, 120_000);
afterAll(async () => {
  await server?.stop();
});

const text = (files: Record<string, Uint8Array>, path: string) => Buffer.from(files[path]!).toString('utf8');
const readJson = <T>(files: Record<string, Uint8Array>, path: string): T => JSON.parse(text(files, path)) as T;

/** The insider's forgery: entries changed, manifest hashes fixed, manifest re-signed with the institution key. */
function resign(files: Record<string, Uint8Array>, changes: Record<string, unknown | null>): Uint8Array {
  const next: Record<string, Uint8Array> = { ...files };
  for (const [path, v] of Object.entries(changes)) {
    if (v === null) delete next[path];
    else next[path] = strToU8(typeof v === 'string' ? v : JSON.stringify(v, null, 1) + '\n');
  }
  const manifest = archiveManifestSchema.parse(readJson(files, MANIFEST_ENTRY));
  manifest.entries = manifest.entries
    .filter((e) => next[e.path])
    .map((e) => ({ ...e, sha256: sha256Hex(Buffer.from(next[e.path]!)), size: next[e.path]!.byteLength }));
  const manifestText = canonicalJson(manifest);
  next[MANIFEST_ENTRY] = strToU8(manifestText);
  next[SIGNATURE_ENTRY] = strToU8(server.app.keys.institution.sign(manifestText).toString('base64'));
  return zipSync(next);
}

const verifyFull = (b: Uint8Array) => verifyArchive(b, pubkey, { regulatorKey });

describe('insider: archives (issue 13)', () => {
  it('insider: the archive carries no exam-pool item or answer key in the clear', () => {
    const files = unzipSync(bytes);
    const version = server.app.services.sessions.get(server.demo!.pastSession!.sessionId).bankVersionId;
    const stems = server.db
      .prepare<[number], { stem: string }>(
        `SELECT i.stem FROM bank_items i JOIN bank_version_items v ON v.item_hash = i.content_hash WHERE v.version_id = ?`,
      )
      .all(version)
      .map((r) => r.stem);
    expect(stems.length).toBeGreaterThan(50);
    const clear = Object.keys(files).filter((p) => !p.startsWith('confidential/'));
    const leaks: string[] = [];
    for (const path of clear) {
      const t = text(files, path);
      const hit = stems.find((s) => t.includes(JSON.stringify(s).slice(1, -1)));
      if (hit) leaks.push(`${path}: ${hit.slice(0, 20)}`);
      if (/"answer"\s*:/.test(t)) leaks.push(`${path}: an answer key`);
    }
    expect(leaks).toEqual([]);
    expect(Object.keys(files)).toContain('confidential/sealed.json');
  });

  it('insider: only the regulator key proves the draw and every score; without it the verdict is INCOMPLETE', () => {
    const full = verifyFull(bytes);
    expect(full.failures).toEqual([]);
    expect(full.status).toBe('VALID');
    expect(full.checks.filter((c) => ['papers-rederive', 'scores'].includes(c.name)).every((c) => c.ok)).toBe(true);
    const without = verifyArchive(bytes, pubkey);
    expect(without.status).toBe('INCOMPLETE');
    expect(without.ok).toBe(false);
    expect(without.failures).toEqual([]);
    const gapText = without.gaps.map((g) => g.text).join('\n');
    expect(gapText).toMatch(/regulator/);
    expect(gapText).toMatch(/papers|draw/);
    expect(gapText).toMatch(/score/);
    // Each gap carries a stable code beside the text, for screens to label (issue 16).
    expect(without.gaps.map((g) => g.code)).toEqual(['no-regulator-key', 'scores-not-recomputed']);
    const wrongKey = verifyArchive(bytes, pubkey, {
      regulatorKey: readFileSync(
        join(server.dataDir, 'demo-regulator', 'regulator-data', 'keys', 'regulator-ed25519.key.pem'),
        'utf8',
      ),
    });
    expect(wrongKey.status).not.toBe('VALID');
  });

  it('insider: every archive download is logged as a chained event with who and when', async () => {
    const official = await staffToken(server.url, 'official', 'demo-official-2026');
    const sessionId = server.demo!.pastSession!.sessionId;
    const id = server.db.prepare('SELECT id FROM archives WHERE session_id = ?').pluck().get(sessionId) as number;
    const res = await fetch(`${server.url}/api/archives/${id}/download`, {
      headers: { authorization: `Bearer ${official}` },
    });
    expect(res.status).toBe(200);
    const officialId = server.db.prepare("SELECT id FROM staff WHERE username = 'official'").pluck().get() as number;
    const logged = server.app.services.audit.query
      .all(`session:${sessionId}`)
      .filter((e) => e.type === 'archive.downloaded');
    expect(logged.at(-1)).toMatchObject({ actor: `staff:${officialId}`, payload: { archiveId: id } });
    expect(logged.at(-1)!.at).toBeGreaterThan(0);
  });

  it('refuses to archive without the regulator encryption key (items would have nobody to go to)', () => {
    const pub = join(server.dataDir, 'keys', 'regulator-x25519.pub');
    const saved = readFileSync(pub);
    rmSync(pub);
    try {
      expect(() => server.app.services.archives.collect(server.demo!.pastSession!.sessionId)).toThrow(
        expect.objectContaining({ code: 'regulator-key-missing' }),
      );
    } finally {
      writeFileSync(pub, saved);
    }
  });

  it('insider: a result corrected without its chained result.corrected event is found', () => {
    const files = unzipSync(bytes);
    const results = readJson<{ registration_id: number; score: number; max_score: number }[]>(files, 'results.json');
    const failed = results.find((r) => r.score < 70) ?? results[0]!;
    const corrections = readJson<Record<string, unknown>[]>(files, 'result-corrections.json');
    corrections.push({
      id: 9999,
      registration_id: failed.registration_id,
      kind: 'regrade',
      old_score: failed.score,
      old_passed: 0,
      new_score: 95,
      new_max_score: failed.max_score,
      new_passed: 1,
      new_correct_count: 95,
      reason: '复核后更正',
      corrected_by: 'staff:1',
      corrected_at: Date.now(),
    });
    const v = verifyFull(resign(files, { 'result-corrections.json': corrections }));
    expect(v.ok).toBe(false);
    expect(v.status).toBe('INVALID');
    expect(v.failures.join('\n')).toMatch(/result-corrections\.json/);
    expect(v.failures.join('\n')).toMatch(/result\.corrected/);
  });

  it('insider: a submitted registration without a result is found', () => {
    const files = unzipSync(bytes);
    const results = readJson<{ registration_id: number }[]>(files, 'results.json');
    const v = verifyFull(resign(files, { 'results.json': results.slice(1) }));
    expect(v.ok).toBe(false);
    expect(v.status).toBe('INVALID');
    expect(v.failures.join('\n')).toMatch(/no result/);
  });

  it('names the answers file when a logged save is missing from it', () => {
    const files = unzipSync(bytes);
    const path = Object.keys(files).find((p) => p.startsWith('answers/'))!;
    const a = readJson<{ history: { position: number }[]; final: { position: number }[] }>(files, path);
    // A save that is not the final one for its question: the old verifier never missed it.
    a.history.splice(0, 1);
    const v = verifyFull(resign(files, { [path]: a }));
    expect(v.ok).toBe(false);
    expect(v.status).toBe('INVALID');
    expect(v.failures.join('\n')).toContain(path);
  });

  it('insider: an archive whose seed was removed is INCOMPLETE, never VALID', () => {
    const files = unzipSync(bytes);
    const v = verifyFull(resign(files, { 'seal/seed.hex': null }));
    expect(v.status).not.toBe('VALID');
    expect(v.ok).toBe(false);
    expect(v.gaps.map((g) => g.code)).toContain('seed-missing');
  });

  it('insider: archive verify without a pinned key refuses to trust the key inside the archive', async () => {
    const run = promisify(execFile);
    const configDir = mkdtempSync(join(tmpdir(), 'exam-center-config-'));
    const env = { ...process.env, EXAM_CENTER_CONFIG_DIR: configDir };
    const cli = (args: string[]): Promise<{ code: number; stdout: string }> =>
      run('node', ['bin/exam-center.js', 'archive', ...args], { env }).then(
        (r) => ({ code: 0, stdout: r.stdout }),
        (e: { code: number; stdout: string }) => ({ code: e.code, stdout: e.stdout }),
      );
    const embedded = await cli(['verify', file, '--regulator-key', regulatorKeyFile]);
    expect(embedded.code).not.toBe(0);
    expect(embedded.stdout).toMatch(/key inside the archive/);
    expect(embedded.stdout).not.toMatch(/\bVALID\b(?! )/);
    const accepted = await cli(['verify', file, '--regulator-key', regulatorKeyFile, '--trust-embedded-key']);
    expect(accepted.stdout).toContain('VALID');
    expect(accepted.code).toBe(0);
    const pinned = await cli(['pin-key', pubkeyFile]);
    expect(pinned.code).toBe(0);
    const withPin = await cli(['verify', file, '--regulator-key', regulatorKeyFile]);
    expect(withPin.code).toBe(0);
    expect(withPin.stdout).toContain('VALID');
    const noRegulator = await cli(['verify', file]);
    expect(noRegulator.code).toBe(3);
    expect(noRegulator.stdout).toContain('INCOMPLETE');
    expect(noRegulator.stdout).toMatch(/regulator/);
    const bad = join(server.dataDir, 'tampered-insider.zip');
    writeFileSync(bad, resign(unzipSync(bytes), { 'results.json': [] }));
    const invalid = await cli(['verify', bad, '--regulator-key', regulatorKeyFile]);
    expect(invalid.code).toBe(1);
  }, 180_000);
});
