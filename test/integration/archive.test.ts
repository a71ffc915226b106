import { execFile } from 'node:child_process';
import { generateKeyPairSync, sign } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { strToU8, unzipSync, zipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MANIFEST_ENTRY, SIGNATURE_ENTRY, archiveManifestSchema } from '../../server/src/audit/archive-format';
import { buildArchive } from '../../server/src/audit/archive.build';
import { verifyArchive } from '../../server/src/audit/archive.verify';
import { canonicalJson, sha256Hex } from '../../server/src/shared/canonical-json';
import { http, staffToken, startTestServer, type TestServer } from '../support/test-server';

let server: TestServer;
let bytes: Uint8Array;
let file: string;
let pubkey: string;
// The regulator's X25519 private key (the demo regulator's, under <data>/demo-regulator/regulator-data/keys): archives carry items and keys
// only encrypted to it (issue 13), so the draw and the scores are proved with it.
let regulatorKey: string;
let regulatorKeyFile: string;

beforeAll(async () => {
  server = await startTestServer();
  const past = server.demo!.pastSession!;
  file = join(server.dataDir, past.archiveFile);
  bytes = readFileSync(file);
  pubkey = server.app.keys.institution.publicKeyPem;
  regulatorKeyFile = join(server.dataDir, 'demo-regulator', 'regulator-data', 'keys', 'regulator-x25519.key');
  regulatorKey = readFileSync(regulatorKeyFile, 'utf8');
}, 120_000);
afterAll(async () => {
  await server?.stop();
});

/** Re-packs the archive with one entry's bytes replaced (a forger who rebuilds the zip cleanly). */
function repack(files: Record<string, Uint8Array>, path: string, change: (b: Uint8Array) => Uint8Array): Uint8Array {
  return zipSync({ ...files, [path]: change(files[path]!) });
}

const flipByte = (b: Uint8Array): Uint8Array => {
  const copy = Uint8Array.from(b);
  const i = Math.floor(copy.length / 2);
  // Stay printable so JSON stays JSON where it was: swap one digit or letter for another.
  copy[i] = copy[i] === 0x31 ? 0x32 : copy[i] === 0x20 ? 0x21 : 0x31;
  return copy;
};

describe('session archive', () => {
  it('the demo past session was archived under the data folder and verifies with the institution key', () => {
    expect(server.app.services.sessions.get(server.demo!.pastSession!.sessionId).state).toBe('archived');
    const v = verifyArchive(bytes, pubkey, { regulatorKey });
    expect(v.failures).toEqual([]);
    expect(v.ok).toBe(true);
    expect(v.checks.map((c) => c.name)).toEqual(
      expect.arrayContaining(['signature', 'entry-hashes', 'answers', 'papers-rederive', 'scores']),
    );
  });

  it('detects and names a changed byte in every entry of the archive', () => {
    const files = unzipSync(bytes);
    const paths = Object.keys(files);
    expect(paths.length).toBeGreaterThan(20);
    for (const path of paths) {
      const v = verifyArchive(repack(files, path, flipByte), pubkey);
      expect(v.ok, path).toBe(false);
      const named = path === MANIFEST_ENTRY || path === SIGNATURE_ENTRY ? 'signature' : path;
      expect(v.failures.join('\n'), path).toContain(named);
    }
  }, 120_000); // one full verification per entry (~40 entries) on a loaded 2-core machine

  it('detects a changed byte in the stored records of the file itself', () => {
    // Bytes inside the entries' stored data, read from the zip's local file headers (a flip in a header's
    // date field changes no record, so random offsets in the file would not test what is meant).
    const ranges: [number, number][] = [];
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    for (let at = 0; at + 30 <= bytes.length;) {
      if (view.getUint32(at, true) !== 0x04034b50) break;
      const size = view.getUint32(at + 18, true);
      const start = at + 30 + view.getUint16(at + 26, true) + view.getUint16(at + 28, true);
      if (size > 0) ranges.push([start, start + size]);
      at = start + size;
    }
    expect(ranges.length).toBeGreaterThan(20);
    const picks = [ranges[0]!, ranges[Math.floor(ranges.length / 2)]!, ranges[ranges.length - 1]!];
    for (const at of picks.map(([a, b]) => Math.floor((a + b) / 2))) {
      const copy = Uint8Array.from(bytes);
      copy[at] = copy[at]! ^ 0x01;
      expect(verifyArchive(copy, pubkey).ok, `byte ${at}`).toBe(false);
    }
  });

  it('the stored archive is also checked against the file hash recorded when it was built (zip metadata included)', () => {
    const { archives } = server.app.services;
    const info = archives.repo.archives(server.demo!.pastSession!.sessionId)[0]!;
    // The server holds no regulator key: nothing fails, the draw and scores are left to the regulator.
    expect(archives.verifyStored(info.id)).toMatchObject({ status: 'INCOMPLETE', failures: [] });
    const copy = Uint8Array.from(bytes);
    copy[copy.length - 30] = copy[copy.length - 30]! ^ 0x01; // central directory: no record changes
    writeFileSync(file, copy);
    try {
      const v = archives.verifyStored(info.id);
      expect(v.ok).toBe(false);
      expect(v.failures.join()).toContain('file-hash');
    } finally {
      writeFileSync(file, bytes);
    }
  });

  it('refuses an archive re-signed with another key when the institution key is given', () => {
    const files = unzipSync(bytes);
    const other = generateKeyPairSync('ed25519');
    const manifestText = Buffer.from(files[MANIFEST_ENTRY]!).toString('utf8');
    const forged = zipSync({
      ...files,
      [SIGNATURE_ENTRY]: strToU8(sign(null, Buffer.from(manifestText), other.privateKey).toString('base64')),
    });
    const v = verifyArchive(forged, pubkey);
    expect(v.ok).toBe(false);
    expect(v.failures.join()).toContain('signature');
  });

  it('names the candidate when an insider changes a score and re-signs the manifest', () => {
    const files = unzipSync(bytes);
    const results = JSON.parse(Buffer.from(files['results.json']!).toString('utf8')) as { score: number }[];
    results[0]!.score += 10;
    const changed = strToU8(JSON.stringify(results));
    const manifest = archiveManifestSchema.parse(JSON.parse(Buffer.from(files[MANIFEST_ENTRY]!).toString('utf8')));
    manifest.entries = manifest.entries.map((e) =>
      e.path === 'results.json' ? { ...e, sha256: sha256Hex(Buffer.from(changed)), size: changed.length } : e,
    );
    const text = canonicalJson(manifest);
    const sig = server.app.keys.institution.sign(text).toString('base64');
    const v = verifyArchive(
      zipSync({ ...files, 'results.json': changed, [MANIFEST_ENTRY]: strToU8(text), [SIGNATURE_ENTRY]: strToU8(sig) }),
      pubkey,
      { regulatorKey },
    );
    expect(v.ok).toBe(false);
    expect(v.failures.join()).toMatch(/scores: results\.json: .*recorded .* recomputed/);
  });

  it('`archive verify` prints a verdict and exits 0, or 1 naming what failed', async () => {
    const run = promisify(execFile);
    const keyFile = join(server.dataDir, 'keys', 'institution-ed25519.pub.pem');
    const ok = await run('node', [
      'bin/exam-center.js',
      'archive',
      'verify',
      file,
      '--pubkey',
      keyFile,
      '--regulator-key',
      regulatorKeyFile,
    ]);
    expect(ok.stdout).toContain('VALID');
    const files = unzipSync(bytes);
    const bad = join(server.dataDir, 'tampered.zip');
    writeFileSync(bad, repack(files, 'results.json', flipByte));
    const failed = await run('node', ['bin/exam-center.js', 'archive', 'verify', bad, '--pubkey', keyFile]).catch(
      (e: { code: number; stdout: string }) => e,
    );
    expect((failed as { code: number }).code).toBe(1);
    expect((failed as { stdout: string }).stdout).toContain('results.json');
    expect((failed as { stdout: string }).stdout).toContain('INVALID');
  }, 60_000);

  it('records room video by hash, size and time range, and includes the file when asked', async () => {
    const sessionId = server.demo!.pastSession!.sessionId;
    const { proctoring, archives } = server.app.services;
    // Room video is attached only from the recordings folder (issue 13), never from the data folder.
    const recording = join(server.recordingsDir!, 'cam-front.mp4');
    writeFileSync(recording, Buffer.alloc(50_000, 3));
    const referenced = join(server.recordingsDir!, 'cam-back.mp4');
    writeFileSync(referenced, Buffer.alloc(70_000, 4));
    await proctoring.attachVideo(
      sessionId,
      { path: recording, startsAt: 1, endsAt: 3_600_000, includeFile: true },
      'staff:1',
    );
    await proctoring.attachVideo(
      sessionId,
      { path: referenced, startsAt: 1, endsAt: 3_600_000, includeFile: false },
      'staff:1',
    );
    const built = buildArchive(archives.collect(sessionId), server.app.keys.institution, Date.now(), 'test');
    const files = unzipSync(built.bytes);
    const index = JSON.parse(Buffer.from(files['video/recordings.json']!).toString('utf8')) as {
      name: string;
      size: number;
      sha256: string;
      startsAt: number;
      endsAt: number;
      archived: string | null;
      path: string;
    }[];
    expect(index.map((v) => [v.name, v.size, v.archived !== null])).toEqual([
      ['cam-front.mp4', 50_000, true],
      ['cam-back.mp4', 70_000, false],
    ]);
    expect(index[1]!.path).toBe(referenced);
    expect(verifyArchive(built.bytes, pubkey, { regulatorKey }).ok).toBe(true);
    const v = verifyArchive(repack(files, index[0]!.archived!, flipByte), pubkey);
    expect(v.failures.join()).toContain(index[0]!.archived!);
  });

  it('refuses to delete an archive inside its retention period, through the API too', async () => {
    const admin = await staffToken(server.url, 'admin', 'demo-admin-2026');
    const id = server.db.prepare('SELECT id FROM archives LIMIT 1').pluck().get() as number;
    const res = await http<{ error: { code: string } }>(server.url, `/api/archives/${id}`, {
      method: 'DELETE',
      token: admin,
    });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('archive-retained');
  });

  it('refuses to delete an archive record inside its retention period', () => {
    expect(() => server.db.prepare('DELETE FROM archives').run()).toThrow(/retention/);
    expect(() => server.db.prepare('UPDATE archives SET size = 0').run()).toThrow(/immutable/);
  });
});
