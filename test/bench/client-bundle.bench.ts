import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { CLIENT_DIST } from '../../server/src/app';
import { ensureClientBuilt } from '../../server/src/client-build';
import type { Figure } from './figure';

/**
 * The candidate screen's JavaScript, gzipped (target ≤ 200 KB: old exam-room PCs load it at once). Counts the
 * candidate entry and every chunk its HTML pulls in, not the staff console.
 */
export async function run(): Promise<Figure[]> {
  await ensureClientBuilt();
  const html = readFileSync(join(CLIENT_DIST, 'index.html'), 'utf8');
  const direct = [...html.matchAll(/(?:src|href)="\/(assets\/[^"]+\.js)"/g)].map((m) => m[1] as string);
  // Chunks imported by those entries (static imports only: the candidate screen has no lazy imports).
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    const code = readFileSync(join(CLIENT_DIST, file), 'utf8');
    for (const m of code.matchAll(/from\s*"\.\/([^"]+\.js)"|import\s*"\.\/([^"]+\.js)"/g))
      visit(`assets/${m[1] ?? m[2]}`);
  };
  direct.forEach(visit);
  const gzipBytes = [...seen].reduce((t, f) => t + gzipSync(readFileSync(join(CLIENT_DIST, f))).length, 0);
  const staffJs = readdirSync(join(CLIENT_DIST, 'assets')).filter((f) => f.endsWith('.js') && !seen.has(`assets/${f}`));
  return [
    {
      name: 'client-bundle-gzip-kb',
      value: Math.round((gzipBytes / 1024) * 10) / 10,
      unit: 'KB',
      target: 200,
      extra: { files: [...seen], otherChunks: staffJs.length },
    },
  ];
}
