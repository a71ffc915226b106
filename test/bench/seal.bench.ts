import { createHash, createHmac, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { BankRepo } from '../../server/src/bank/bank.repo';
import { BlueprintsRepo } from '../../server/src/bank/blueprints.repo';
import { deriveDataKey, newCustodianCode } from '../../server/src/papers/custodian-codes';
import { createFixture } from '../../server/src/papers/papers.fixture';
import { PapersRepo } from '../../server/src/papers/papers.repo';
import { seal } from '../../server/src/papers/seal-crypto';
import { drawSessionSync } from '../../server/src/papers/session-draw';
import type { Figure } from './figure';

/**
 * seal-1000-papers-ms: PapersService.sealSessionAsync (what POST /sessions/:id/seal runs) for 1,000
 * registrations, 100 questions each, drawn from a 3,000-item exam pool, into a temporary on-disk database:
 * scrypt of the two codes, draw with neighbour re-ordering, canonical JSON, AES-256-GCM per paper,
 * ciphertext hashes, seed commitments, Ed25519 signature, and the one commit with its events. Target < 1 s.
 * `extra` splits out the crypto share, re-measured on buffers of the sealed papers' exact sizes.
 */
export async function run(): Promise<Figure[]> {
  const dir = mkdtempSync(join(tmpdir(), 'exam-center-bench-'));
  try {
    const f = createFixture({ file: join(dir, 'bench.db'), items: 3000, candidates: 1000 });
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    const result = await f.papers.sealSessionAsync(f.sessionId, [f.staff.chief, f.staff.official], 'bench');
    const totalMs = performance.now() - t0;
    const cpu = process.cpuUsage(cpu0);
    // CPU time of this process (all its threads): a check on the wall time when other work shares the cores.
    const processCpuMs = (cpu.user + cpu.system) / 1000;
    if (result.paperCount !== 1000) throw new Error('bench: sealing did not complete');

    // The crypto share, on the same sizes: one scrypt, 1,000 × (AES-GCM + SHA-256 of the box + HMAC commitment), one signature.
    const repo = new PapersRepo(f.db);
    const sizes = repo.papersOf(repo.liveSeal(f.sessionId)!.id).map((p) => p.box.ciphertext.length);
    const buffers = sizes.map((n) => randomBytes(n));
    const time = (fn: () => void) => {
      const t = performance.now();
      fn();
      return performance.now() - t;
    };
    const scryptMs = time(() => deriveDataKey(newCustodianCode().share, newCustodianCode().share, randomBytes(16)));
    const key = randomBytes(32);
    const boxes: ReturnType<typeof seal>[] = [];
    const aesGcmMs = time(() => buffers.forEach((b, i) => boxes.push(seal(key, b, `aad|${i}`))));
    const hashMs = time(() =>
      boxes.forEach((b) => createHash('sha256').update(b.iv).update(b.tag).update(b.ciphertext).digest()),
    );
    const commitmentMs = time(() => buffers.forEach((b) => createHmac('sha256', key).update(b).digest()));
    const manifestBytes = Buffer.alloc(1000 * 260);
    const signMs = time(() => f.key.sign(manifestBytes));
    const cryptoMs = scryptMs + aesGcmMs + hashMs + commitmentMs + signMs;

    // The draw alone (same inputs, fresh seed), for the rest of the picture.
    const session = f.db
      .prepare('SELECT blueprint_id, bank_version_id FROM sessions WHERE id = ?')
      .get(f.sessionId) as {
      blueprint_id: number;
      bank_version_id: number;
    };
    const items = new BankRepo(f.db).itemsOfVersion(session.bank_version_id);
    const blueprint = new BlueprintsRepo(f.db).get(session.blueprint_id)!;
    const seats = repo.seatPlan(f.sessionId);
    const drawMs = time(() => drawSessionSync(blueprint.body, items, randomBytes(32), seats));
    f.db.close();

    const r = (x: number) => Math.round(x * 10) / 10;
    return [
      {
        name: 'seal-1000-papers-ms',
        value: Math.round(totalMs),
        unit: 'ms',
        target: 1000,
        extra: {
          papers: 1000,
          questionsEach: 100,
          bankItems: 3000,
          processCpuMs: r(processCpuMs),
          cryptoMs: r(cryptoMs),
          cryptoShare: r(cryptoMs / totalMs),
          scryptMs: r(scryptMs),
          aesGcmMs: r(aesGcmMs),
          ciphertextHashMs: r(hashMs),
          commitmentMs: r(commitmentMs),
          ed25519SignMs: r(signMs),
          drawMs: r(drawMs),
          avgPaperBytes: Math.round(sizes.reduce((a, b) => a + b, 0) / sizes.length),
          neighbours: result.neighbours,
        },
      },
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// Run directly: npx tsx test/bench/seal.bench.ts
if (import.meta.url === `file://${process.argv[1]}`) {
  run().then((rows) => console.log(JSON.stringify(rows, null, 2)));
}
