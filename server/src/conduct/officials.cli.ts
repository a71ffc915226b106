import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { existingDatabaseFile } from '../db/data-folder';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { hashPassword } from '../auth/passwords';
import { loadConfig } from '../config';
import { migrate } from '../db/migrate';
import { openDatabase } from '../db/open';
import { AppError } from '../shared/errors';
import { systemClock } from '../shared/clock';
import {
  generateRegulatorKeys,
  loadRegulatorPublicKey,
  REGULATOR_ENCRYPTION_KEY_FILE,
  REGULATOR_ENCRYPTION_PUBLIC_KEY_FILE,
  signGrant,
  type GrantBody,
} from './grants';
import { OfficialsService } from './officials.service';

export const REGULATOR_USAGE = `Usage (run on the REGULATOR's computer, never on the exam centre's server):
  exam-center regulator keygen [--out DIR]
      writes DIR/regulator.key (private, keep it safe) and DIR/regulator.pub (give this to each exam centre:
      <data>/keys/regulator.pub, or EXAM_CENTER_REGULATOR_PUB=/path/to/regulator.pub), and the archive
      encryption pair DIR/regulator-x25519.key (private: \`archive verify --regulator-key\`) and
      DIR/regulator-x25519.pub (exam centre: <data>/keys/regulator-x25519.pub or EXAM_CENTER_REGULATOR_ENC_PUB)
  exam-center regulator grant --username U --name NAME --password P --key regulator.key
                              [--action create|update|disable] [--valid-days 365] [--out grant.json]
      signs a grant: create an official, set a new password (update) or disable the account`;

export const OFFICIALS_USAGE = `Usage: exam-center officials apply GRANT.json
  installs a regulator-signed grant into this exam centre's database (also: staff console, admin upload)`;

const write = (s: string) => process.stdout.write(s + '\n');
const DAY = 24 * 3600_000;

/** `exam-center regulator …`: the regulator's side of officials' accounts (README "Officials' accounts"). */
export async function regulatorCommand(args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  const { values } = parseArgs({
    args: rest,
    options: {
      out: { type: 'string' },
      username: { type: 'string' },
      name: { type: 'string' },
      password: { type: 'string' },
      key: { type: 'string' },
      action: { type: 'string', default: 'create' },
      'valid-days': { type: 'string', default: '365' },
    },
    strict: true,
  });
  if (sub === 'keygen') {
    const dir = resolve(values.out ?? '.');
    mkdirSync(dir, { recursive: true });
    const keys = generateRegulatorKeys();
    writeFileSync(join(dir, 'regulator.key'), keys.privatePem, { mode: 0o600, flag: 'wx' });
    writeFileSync(join(dir, 'regulator.pub'), keys.publicPem, { flag: 'wx' });
    writeFileSync(join(dir, REGULATOR_ENCRYPTION_KEY_FILE), keys.encPrivatePem, { mode: 0o600, flag: 'wx' });
    writeFileSync(join(dir, REGULATOR_ENCRYPTION_PUBLIC_KEY_FILE), keys.encPublicPem, { flag: 'wx' });
    write(
      `wrote ${join(dir, 'regulator.key')} and ${join(dir, REGULATOR_ENCRYPTION_KEY_FILE)} (keep private), ` +
        `${join(dir, 'regulator.pub')} and ${join(dir, REGULATOR_ENCRYPTION_PUBLIC_KEY_FILE)} (give to exam centres)`,
    );
    return 0;
  }
  if (sub === 'grant') {
    const { username, name, password, key } = values;
    const action = values.action as GrantBody['action'];
    const days = Number(values['valid-days']);
    if (
      !username ||
      !name ||
      !password ||
      !key ||
      !['create', 'update', 'disable'].includes(action) ||
      !(days > 0 && days <= 5 * 366)
    ) {
      process.stderr.write(REGULATOR_USAGE + '\n');
      return 2;
    }
    const { hash, salt } = hashPassword(password);
    const now = Date.now();
    const body: GrantBody = {
      v: 1,
      kind: 'exam-center.official-grant',
      action,
      username,
      name,
      passwordHash: hash,
      passwordSalt: salt,
      issuedAt: now,
      expiresAt: now + days * DAY,
    };
    const text = JSON.stringify(signGrant(body, readFileSync(key, 'utf8')), null, 2);
    if (values.out) writeFileSync(values.out, text + '\n');
    else write(text);
    return 0;
  }
  process.stderr.write(REGULATOR_USAGE + '\n');
  return 2;
}

/** `exam-center officials apply GRANT` on the exam centre's server. */
export async function officialsCommand(args: string[]): Promise<number> {
  const [sub, file] = args;
  if (sub !== 'apply' || !file || args.length !== 2) {
    process.stderr.write(OFFICIALS_USAGE + '\n');
    return 2;
  }
  const config = loadConfig();
  const dbFile = existingDatabaseFile(config.dataDir);
  if (!dbFile) return 2;
  const db = openDatabase(dbFile);
  try {
    migrate(db);
    const officials = new OfficialsService(db, systemClock, loadRegulatorPublicKey(config.dataDir));
    const done = officials.install(JSON.parse(readFileSync(file, 'utf8')) as unknown, 'system:cli');
    write(`installed: ${done.action} official ${done.username} (staff #${done.staffId})`);
    return 0;
  } catch (err) {
    if (err instanceof AppError) {
      process.stderr.write(`${err.code}: ${err.message}\n`);
      return 1;
    }
    throw err;
  } finally {
    db.close();
  }
}
