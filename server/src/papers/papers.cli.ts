import Database from 'better-sqlite3';
import { existingDatabaseFile } from '../db/data-folder';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { chooseVerifyingKey } from '../audit/archive-pinned-key';
import { loadConfig } from '../config';
import { readInstitutionPublicKey } from '../shared/institution-key';
import { loadOrCreateSecret } from '../shared/secrets';
import { SealEvidenceRepo, PapersRepo } from './papers.repo';
import { PAPER_WRAP_KEY_FILE } from './seal-crypto';
import { verifySeal, type SealVerification } from './verify-seal';

export const PAPERS_USAGE = `Usage: exam-center papers verify SESSION|--all [--pubkey KEY] [--trust-embedded-key]

  SESSION   a session id or code (e.g. N1-20261125-01)
  --all     every session that has a seal
  --pubkey  the institution's public key (PEM file or text) obtained apart from this data folder; without it
            the key pinned with \`exam-center archive pin-key\` is used
  --trust-embedded-key   accept the key in the data folder's keys/ (whoever can write the folder can replace it)

Checks each seal's signature, every ciphertext hash, the bank version and blueprint it names, the seat plan
as sealed with the seat moves as logged, and — once opened — re-derives every paper from the disclosed seed.
Exit status 0 only when every check passes; 3 when no pinned key was given (the data folder's own key would
only prove the folder agrees with itself).`;

const write = (s: string) => process.stdout.write(s + '\n');

function print(v: SealVerification): void {
  write(`${v.ok ? '✔' : '✘'} session ${v.sessionId}${v.sealUid ? ` seal ${v.sealUid} (${v.state})` : ''}`);
  for (const c of v.checks) write(`    ${c.skipped ? '–' : c.ok ? '✔' : '✘'} ${c.name.padEnd(13)} ${c.detail}`);
}

/** `exam-center papers …` (registered in cli.ts). */
export async function papersCommand(args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  let parsed;
  try {
    parsed = parseArgs({
      args: rest,
      allowPositionals: true,
      options: {
        all: { type: 'boolean', default: false },
        pubkey: { type: 'string' },
        'trust-embedded-key': { type: 'boolean', default: false },
      },
    });
  } catch {
    parsed = null;
  }
  const target = parsed?.values.all ? '--all' : parsed?.positionals[0];
  if (sub !== 'verify' || !parsed || !target) {
    process.stderr.write(PAPERS_USAGE + '\n');
    return 2;
  }
  const config = loadConfig();
  const file = existingDatabaseFile(config.dataDir);
  if (!file) return 2;
  // Issue 13, hole 7: the key in <data>/keys sits beside the evidence it would vouch for.
  let chosen;
  try {
    chosen = chooseVerifyingKey(parsed.values.pubkey);
  } catch {
    process.stderr.write(`--pubkey: not a readable public key: ${parsed.values.pubkey}\n`);
    return 2;
  }
  const embedded = readInstitutionPublicKey(config.dataDir);
  const publicKey = chosen.key ?? embedded;
  if (!publicKey) {
    process.stderr.write(`no institution key given and none in ${join(config.dataDir, 'keys')}\n`);
    return 2;
  }
  const trustedEmbedded = !chosen.key;
  if (trustedEmbedded)
    write(
      `! no pinned institution key: checking with the key in the data folder (${join(config.dataDir, 'keys')}), ` +
        'which proves only that the folder agrees with itself; give --pubkey or pin the published key ' +
        `(exam-center archive pin-key)${parsed.values['trust-embedded-key'] ? ' — accepted as told (--trust-embedded-key)' : ''}`,
    );
  else write(`institution key: ${chosen.source}`);
  // Read-only: verifying must never change the evidence it checks.
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const evidence = new SealEvidenceRepo(db);
    let ids: number[];
    if (target === '--all') ids = new PapersRepo(db).sessionsWithSeals();
    else {
      const id = /^\d+$/.test(target) ? Number(target) : evidence.sessionIdByCode(target);
      if (id === undefined) {
        process.stderr.write(`no session ${target}\n`);
        return 1;
      }
      ids = [id];
    }
    if (ids.length === 0) {
      write('no sealed sessions to verify');
      return 0;
    }
    // The server key lets this machine also compare decrypted papers with re-derived ones.
    const wrapKeyFile = join(config.dataDir, 'keys', PAPER_WRAP_KEY_FILE);
    const wrapKey = existsSync(wrapKeyFile) ? loadOrCreateSecret(config.dataDir, PAPER_WRAP_KEY_FILE) : undefined;
    let ok = true;
    for (const id of ids) {
      const v = verifySeal(db, id, { publicKey, wrapKey });
      print(v);
      ok &&= v.ok;
    }
    if (!ok) return 1;
    if (trustedEmbedded && !parsed.values['trust-embedded-key']) {
      write('结论 VERDICT: INCOMPLETE — no check failed, but the signer key was not pinned');
      return 3;
    }
    return 0;
  } finally {
    db.close();
  }
}
