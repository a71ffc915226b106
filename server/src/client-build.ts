import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { CLIENT_DIST } from './app';

const ROOT = resolve(import.meta.dirname, '../..');

function hashTree(paths: string[]): string {
  const hash = createHash('sha256');
  const walk = (p: string) => {
    if (statSync(p).isDirectory()) for (const f of readdirSync(p).sort()) walk(join(p, f));
    else hash.update(p).update(readFileSync(p));
  };
  paths.filter(existsSync).forEach(walk);
  return hash.digest('hex');
}

/** Builds the browser client with Vite when its sources changed since the last build ("if needed"). */
export async function ensureClientBuilt(log: (msg: string) => void = () => undefined): Promise<void> {
  const sources = ['client', 'server/src/protocol', 'vite.config.ts', 'package-lock.json'].map((p) => join(ROOT, p));
  const stampFile = join(CLIENT_DIST, '.source-hash');
  const hash = hashTree(sources);
  if (existsSync(stampFile) && readFileSync(stampFile, 'utf8') === hash) return;
  log('building the browser client (vite)…');
  const { build } = await import('vite');
  // Vite keeps an NODE_ENV already set (vitest sets 'test'), which would bundle React's development build:
  // the client served to exam rooms is always the production build, whoever triggers it.
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await build({ configFile: join(ROOT, 'vite.config.ts'), logLevel: 'warn', mode: 'production' });
  } finally {
    if (nodeEnv === undefined) delete process.env.NODE_ENV;
    else process.env.NODE_ENV = nodeEnv;
  }
  writeFileSync(stampFile, hash);
}
