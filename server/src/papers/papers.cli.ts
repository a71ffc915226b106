import Database from 'better-sqlite3';
import { existingDatabaseFile } from '../db/data-folder';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig } from '../config';
import { readInstitutionPublicKey } from '../shared/institution-key';
import { loadOrCreateSecret } from '../shared/secrets';
import { SealEvidenceRepo, PapersRepo } from './papers.repo';
import { PAPER_WRAP_KEY_FILE } from './seal-crypto';
import { verifySeal, type SealVerification } from './verify-seal';

export const PAPERS_USAGE = `Usage: exam-center papers verify SESSION|--all

  SESSION   a session id or code (e.g. N1-20261125-01)
  --all     every session that has a seal

Checks each seal's signature (institution public key in <data>/keys), every ciphertext hash, the bank
version and blueprint it names, and — once opened — re-derives every paper from the disclosed seed.
Exit status 0 only when every check passes.`;

const write = (s: string) => process.stdout.write(s + '\n');

function print(v: SealVerification): void {
  write(`${v.ok ? '✔' : '✘'} session ${v.sessionId}${v.sealUid ? ` seal ${v.sealUid} (${v.state})` : ''}`);
  for (const c of v.checks) write(`    ${c.skipped ? '–' : c.ok ? '✔' : '✘'} ${c.name.padEnd(13)} ${c.detail}`);
}

/** `exam-center papers …` (registered in cli.ts). */
export async function papersCommand(args: string[]): Promise<number> {
  const [sub, target] = args;
  if (sub !== 'verify' || !target) {
    process.stderr.write(PAPERS_USAGE + '\n');
    return 2;
  }
  const config = loadConfig();
  const file = existingDatabaseFile(config.dataDir);
  if (!file) return 2;
  const publicKey = readInstitutionPublicKey(config.dataDir);
  if (!publicKey) {
    process.stderr.write(`no institution key in ${join(config.dataDir, 'keys')}\n`);
    return 2;
  }
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
    return ok ? 0 : 1;
  } finally {
    db.close();
  }
}
