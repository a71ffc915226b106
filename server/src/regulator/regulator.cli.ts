import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { ensureClientBuilt } from '../client-build';
import { regulatorCommand as keysAndGrantsCommand, REGULATOR_USAGE as KEYS_USAGE } from '../conduct/officials.cli';
import { parse } from '../http/middleware';
import { banInput, officialInput, registerCentreInput } from '../protocol/regulator-admin';
import { systemClock } from '../shared/clock';
import { AppError } from '../shared/errors';
import { createLogger } from '../shared/logger';
import { loadOrCreateSecret } from '../shared/secrets';
import { searchCommand } from './intake/search.cli';
import { createRegulatorApp, type RegulatorApp } from './regulator-app';
import { loadRegulatorConfig, type RegulatorConfig } from './regulator-config';
import { loadOrCreateRegulatorKeys } from './regulator-keys';
import { openRegulatorDb, printRegulatorBanner, startRegulator } from './regulator-main';

export const REGULATOR_SERVER_USAGE = `Usage (the regulator's server; data folder EXAM_CENTER_REGULATOR_DATA, default ./regulator-data):
  exam-center regulator serve                      start the regulator (REGULATOR_PORT 8090, REGULATOR_HOST 0.0.0.0)
  exam-center regulator init [--admin USERNAME] [--name NAME]
                                                   create the keys and the first admin (one-time password printed once)
  exam-center regulator centres add --code CODE --name NAME --key PEMFILE [--credit-code CODE]
  exam-center regulator centres list [--json]
  exam-center regulator bans add-person --id-number N --name NAME --reason conduct|data_breach|recusal_skipped
                                        --decision-date YYYY-MM-DD --authority A --document-no D --summary S
  exam-center regulator bans add-org --credit-code C --name NAME --decision-date YYYY-MM-DD --authority A
                                     --document-no D --summary S
  exam-center regulator bans list [--json]
  exam-center regulator officials add USERNAME --name NAME [--password P]   (also: a new password)
  exam-center regulator officials disable USERNAME
  exam-center regulator officials list [--json]
  exam-center regulator search --id-number N [--json]
${KEYS_USAGE}`;

const write = (s: string) => process.stdout.write(s + '\n');
const actor = 'system:cli';

/** The regulator's services over its data folder, without listening (the server may be running: SQLite WAL). */
export function withRegulator<T>(config: RegulatorConfig, fn: (app: RegulatorApp) => T): T {
  const db = openRegulatorDb(config.dataDir);
  try {
    const app = createRegulatorApp({
      config,
      db,
      clock: systemClock,
      logger: createLogger('error'),
      keys: loadOrCreateRegulatorKeys(config.dataDir),
      jwtSecret: loadOrCreateSecret(config.dataDir, 'jwt-secret'),
    });
    return fn(app);
  } finally {
    db.close();
  }
}

/** `regulator init`: keys and the first admin; a second run changes nothing and says so. */
export function initRegulator(
  config: RegulatorConfig,
  admin = { username: 'admin', name: '监管管理员', password: null as string | null },
): { fingerprint: string; adminPassword: string | null } {
  return withRegulator(config, (app) => {
    const fingerprint = loadOrCreateRegulatorKeys(config.dataDir).fingerprint;
    if (app.services.accounts.repo.byUsername(admin.username)) return { fingerprint, adminPassword: null };
    const { password } = app.services.accounts.createAdmin(admin.username, admin.name, admin.password, 'system:init');
    return { fingerprint, adminPassword: password };
  });
}

const opts = {
  json: { type: 'boolean' },
  code: { type: 'string' },
  name: { type: 'string' },
  key: { type: 'string' },
  'credit-code': { type: 'string' },
  'id-number': { type: 'string' },
  reason: { type: 'string' },
  'decision-date': { type: 'string' },
  authority: { type: 'string' },
  'document-no': { type: 'string' },
  summary: { type: 'string' },
  password: { type: 'string' },
  admin: { type: 'string' },
} as const;

/** `exam-center regulator …`: the regulator's server and its registry; keygen|grant stay as they were. */
export async function regulatorServerCommand(args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === 'keygen' || sub === 'grant') return keysAndGrantsCommand(args);
  if (sub === 'search') return searchCommand(rest);
  const config = loadRegulatorConfig();
  if (sub === 'serve') {
    // A demo centre that starts this as its child has just built the client: no second build at once.
    if (process.env.EXAM_CENTER_CLIENT_BUILT !== '1') await ensureClientBuilt((m) => write(m));
    const started = await startRegulator(config);
    printRegulatorBanner(started, config);
    const stop = () => {
      void started.app.close().finally(() => {
        started.db.close();
        process.exit(0);
      });
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    return new Promise<number>(() => undefined); // runs until stopped
  }
  let parsed;
  try {
    parsed = parseArgs({ args: rest, options: opts, allowPositionals: true, strict: true });
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n\n${REGULATOR_SERVER_USAGE}\n`);
    return 2;
  }
  const { values: v, positionals } = parsed;
  try {
    if (sub === 'init') {
      const done = initRegulator(config, {
        username: v.admin ?? 'admin',
        name: v.name ?? '监管管理员',
        password: null,
      });
      write(`regulator data folder: ${config.dataDir}\nkey fingerprint: ${done.fingerprint}`);
      if (done.adminPassword)
        write(`first admin "${v.admin ?? 'admin'}", one-time password (shown once): ${done.adminPassword}`);
      else write('already initialised: no account created');
      return 0;
    }
    if (sub === 'centres' && positionals[0] === 'add') {
      if (!v.key) throw new AppError('invalid-input', '--key PEMFILE is required');
      const input = parse(registerCentreInput, {
        code: v.code,
        name: v.name,
        publicKeyPem: readFileSync(v.key, 'utf8'),
        ...(v['credit-code'] ? { creditCode: v['credit-code'] } : {}),
      });
      const c = withRegulator(config, (app) => app.services.centres.register(input, actor));
      write(`registered ${c.code} ${c.name}, key pinned: ${c.fingerprint}`);
      return 0;
    }
    if (sub === 'centres' && positionals[0] === 'list') {
      const rows = withRegulator(config, (app) => app.services.centres.list());
      if (v.json) write(JSON.stringify(rows, null, 2));
      else for (const c of rows) write(`${c.code.padEnd(12)} ${c.fingerprint}  pending ${c.pendingOut}  ${c.name}`);
      return 0;
    }
    if (sub === 'bans' && (positionals[0] === 'add-person' || positionals[0] === 'add-org')) {
      const common = {
        name: v.name,
        decisionDate: v['decision-date'],
        authority: v.authority,
        documentNo: v['document-no'],
        summary: v.summary,
      };
      const input = parse(
        banInput,
        positionals[0] === 'add-person'
          ? { kind: 'person', idNumber: v['id-number'], reason: v.reason ?? 'conduct', ...common }
          : { kind: 'organisation', creditCode: v['credit-code'], ...common },
      );
      const saved = withRegulator(config, (app) => app.services.bans.add(input, actor));
      write(`ban #${saved.ban.id} recorded; list version ${saved.version} queued to ${saved.queuedTo} centre(s)`);
      return 0;
    }
    if (sub === 'bans' && positionals[0] === 'list') {
      const state = withRegulator(config, (app) => app.services.bans.state());
      if (v.json) write(JSON.stringify(state, null, 2));
      else {
        write(`list version ${state.version}`);
        for (const b of state.bans)
          write(`#${b.id} ${b.kind} ${b.subject} ${b.name} ${b.documentNo}${b.lifted ? ' (lifted)' : ''}`);
      }
      return 0;
    }
    if (sub === 'officials' && positionals[0] === 'add' && positionals[1]) {
      const input = parse(officialInput, {
        username: positionals[1],
        name: v.name,
        ...(v.password ? { password: v.password } : {}),
      });
      const saved = withRegulator(config, (app) => app.services.accounts.saveOfficial(input, actor));
      write(`official ${saved.official.username}: grant queued to ${saved.queuedTo} centre(s)`);
      if (saved.oneTimePassword) write(`password (shown once): ${saved.oneTimePassword}`);
      return 0;
    }
    if (sub === 'officials' && positionals[0] === 'disable' && positionals[1]) {
      const name = positionals[1];
      const saved = withRegulator(config, (app) => app.services.accounts.disableOfficial(name, actor));
      write(`official ${saved.official.username} disabled: grant queued to ${saved.queuedTo} centre(s)`);
      return 0;
    }
    if (sub === 'officials' && positionals[0] === 'list') {
      const rows = withRegulator(config, (app) => app.services.accounts.officials());
      if (v.json) write(JSON.stringify(rows, null, 2));
      else for (const o of rows) write(`${o.username.padEnd(16)} ${o.disabled ? 'disabled' : o.lastAction}  ${o.name}`);
      return 0;
    }
  } catch (err) {
    if (err instanceof AppError) {
      process.stderr.write(`${err.code}: ${err.message}\n`);
      return 1;
    }
    throw err;
  }
  process.stderr.write(REGULATOR_SERVER_USAGE + '\n');
  return 2;
}
