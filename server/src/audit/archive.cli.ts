import { createPublicKey, type KeyObject } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { formatVerdict, verifyArchive } from './archive.verify';

export const ARCHIVE_USAGE = `Usage: exam-center archive verify FILE [--pubkey KEY] [--json]

Verifies a session archive offline: the Ed25519 signature over its manifest, every entry's SHA-256,
the event chains and their signed heads, answers against the logged saves, papers re-derived from the
seal, and every score recomputed. KEY is the institution's public key (PEM file or PEM text), e.g.
<data>/keys/institution-ed25519.pub.pem; without it the key inside the archive is used (reported).
Exit code 0: valid; 1: a check failed (named); 2: usage error.`;

function readKey(arg: string): KeyObject {
  const pem = existsSync(arg) ? readFileSync(arg, 'utf8') : arg;
  return createPublicKey(pem);
}

export async function archiveCommand(args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  if (sub !== 'verify' || rest.length === 0 || rest.includes('--help')) {
    process.stderr.write(ARCHIVE_USAGE + '\n');
    return sub === '--help' || rest.includes('--help') ? 0 : 2;
  }
  let file: string | undefined;
  let key: KeyObject | null = null;
  let json = false;
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i] as string;
    if (a === '--pubkey') {
      const v = rest[++i];
      if (!v) {
        process.stderr.write('--pubkey needs a value\n');
        return 2;
      }
      try {
        key = readKey(v);
      } catch {
        process.stderr.write(`--pubkey: not a readable public key: ${v}\n`);
        return 2;
      }
    } else if (a === '--json') json = true;
    else file = a;
  }
  if (!file || !existsSync(file)) {
    process.stderr.write(`no such archive file: ${file ?? '(none)'}\n`);
    return 2;
  }
  const verdict = verifyArchive(readFileSync(file), key);
  process.stdout.write((json ? JSON.stringify(verdict, null, 1) : formatVerdict(verdict, file)) + '\n');
  return verdict.ok ? 0 : 1;
}
