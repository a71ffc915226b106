import { createHash } from 'node:crypto';

/** Seeded, deterministic random source (SHA-256 in counter mode) so paper draws re-derive from a seed. */
export interface RandomSource {
  /** Uniform integer in [0, max). */
  int(max: number): number;
}

export function seededRandom(seed: string): RandomSource {
  let counter = 0;
  return randomFromBlocks(() => createHash('sha256').update(`${seed}:${counter++}`).digest());
}

/**
 * A RandomSource over any deterministic stream of bytes, given in blocks (SHA-256 counter mode above, AES-CTR
 * in papers/seal-crypto.ts).
 */
export function randomFromBlocks(nextBlock: () => Buffer): RandomSource {
  let pool: Buffer = Buffer.alloc(0);
  let offset = 0;
  const nextUint32 = (): number => {
    if (offset + 4 > pool.length) {
      pool = nextBlock();
      offset = 0;
    }
    const v = pool.readUInt32BE(offset);
    offset += 4;
    return v;
  };
  return {
    int(max: number): number {
      if (!Number.isInteger(max) || max <= 0) throw new RangeError(`max must be a positive integer, got ${max}`);
      // Rejection sampling avoids modulo bias.
      const limit = Math.floor(0x100000000 / max) * max;
      for (;;) {
        const v = nextUint32();
        if (v < limit) return v % max;
      }
    },
  };
}

export function shuffle<T>(items: readonly T[], random: RandomSource): T[] {
  const out = items.slice();
  for (let i = out.length - 1; i > 0; i--) {
    const j = random.int(i + 1);
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}
