import { createPrivateKey, type KeyObject } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { chooseVerifyingKey, pinKey, readPublicKeyArg } from './archive-pinned-key';
import { formatVerdict, verifyArchive } from './archive.verify';

export const ARCHIVE_USAGE = `Usage: exam-center archive verify FILE [--pubkey KEY] [--regulator-key PATH] [--trust-embedded-key] [--json]
       exam-center archive pin-key KEY

Verifies a session archive offline: the Ed25519 signature over its manifest, every entry's SHA-256, the
event chains and their signed heads, answers against the logged saves (both ways), results, corrections and
their chained events, and — with the regulator's X25519 private key (PATH, e.g. regulator-x25519.key) — the
papers re-derived from the seal and every score recomputed from the keys encrypted to the regulator.

KEY is the institution's public key (PEM file or text), e.g. <data>/keys/institution-ed25519.pub.pem. Without
--pubkey the key pinned with \`archive pin-key\` is used (in $EXAM_CENTER_CONFIG_DIR or ~/.config/exam-center);
with neither, the key inside the archive proves nothing and the verdict is INCOMPLETE, unless
--trust-embedded-key says to accept it.
Exit code 0: VALID; 1: a check failed (named); 3: INCOMPLETE (what was not checked is listed); 2: usage error.`;

const fail = (msg: string): number => {
  process.stderr.write(msg + '\n');
  return 2;
};

export async function archiveCommand(args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  if ((sub !== 'verify' && sub !== 'pin-key') || rest.length === 0 || rest.includes('--help')) {
    process.stderr.write(ARCHIVE_USAGE + '\n');
    return sub === '--help' || rest.includes('--help') ? 0 : 2;
  }
  let parsed;
  try {
    parsed = parseArgs({
      args: rest,
      allowPositionals: true,
      options: {
        pubkey: { type: 'string' },
        'regulator-key': { type: 'string' },
        'trust-embedded-key': { type: 'boolean', default: false },
        json: { type: 'boolean', default: false },
      },
    });
  } catch (err) {
    return fail(`${(err as Error).message}\n${ARCHIVE_USAGE}`);
  }
  const { values, positionals } = parsed;
  if (sub === 'pin-key') {
    const arg = positionals[0];
    if (!arg) return fail(ARCHIVE_USAGE);
    let pinned;
    try {
      pinned = pinKey(readPublicKeyArg(arg));
    } catch {
      return fail(`not a readable public key: ${arg}`);
    }
    process.stdout.write(`pinned institution key ${pinned.fingerprint}\n  in ${pinned.file}\n`);
    return 0;
  }
  const file = positionals[0];
  if (!file || !existsSync(file)) return fail(`no such archive file: ${file ?? '(none)'}`);
  let key: KeyObject | null;
  try {
    key = chooseVerifyingKey(values.pubkey).key;
  } catch {
    return fail(`--pubkey: not a readable public key: ${values.pubkey}`);
  }
  let regulatorKey: KeyObject | null = null;
  if (values['regulator-key']) {
    try {
      regulatorKey = createPrivateKey(readFileSync(values['regulator-key'], 'utf8'));
    } catch {
      return fail(`--regulator-key: not a readable private key: ${values['regulator-key']}`);
    }
  }
  const verdict = verifyArchive(readFileSync(file), key, {
    regulatorKey,
    trustEmbeddedKey: values['trust-embedded-key'],
  });
  process.stdout.write((values.json ? JSON.stringify(verdict, null, 1) : formatVerdict(verdict, file)) + '\n');
  return verdict.status === 'VALID' ? 0 : verdict.status === 'INVALID' ? 1 : 3;
}
