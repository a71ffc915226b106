import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { migrate, readMigrations } from '../db/migrate';
import { openDatabase, type Db } from '../db/open';
import { lanAddresses } from '../main';
import { systemClock, type Clock } from '../shared/clock';
import { createLogger } from '../shared/logger';
import { loadOrCreateSecret } from '../shared/secrets';
import { createRegulatorApp, type RegulatorApp } from './regulator-app';
import type { RegulatorConfig } from './regulator-config';
import { loadOrCreateRegulatorKeys, type RegulatorKeys } from './regulator-keys';

export const REGULATOR_MIGRATIONS_DIR = resolve(import.meta.dirname, 'migrations');
export const regulatorDatabaseFile = (regDataDir: string) => join(regDataDir, 'regulator.db');

/** Opens (or creates) the regulator's database and migrates it. */
export function openRegulatorDb(regDataDir: string): Db {
  mkdirSync(regDataDir, { recursive: true });
  const db = openDatabase(regulatorDatabaseFile(regDataDir));
  migrate(db, readMigrations(REGULATOR_MIGRATIONS_DIR));
  return db;
}

export type RegulatorStarted = {
  app: RegulatorApp;
  db: Db;
  port: number;
  keys: RegulatorKeys;
  firstAdminPassword: string | null;
};

/** The regulator's own process: its data folder, keys, database and port; shares nothing with any centre. */
export async function startRegulator(config: RegulatorConfig, clock: Clock = systemClock): Promise<RegulatorStarted> {
  const db = openRegulatorDb(config.dataDir);
  const keys = loadOrCreateRegulatorKeys(config.dataDir);
  const app = createRegulatorApp({
    config,
    db,
    clock,
    logger: createLogger(config.logLevel),
    keys,
    jwtSecret: loadOrCreateSecret(config.dataDir, 'jwt-secret'),
  });
  let firstAdminPassword: string | null = null;
  if (app.services.accounts.repo.count() === 0)
    firstAdminPassword = app.services.accounts.createAdmin('admin', '监管管理员', null, 'system:install').password;
  await new Promise<void>((done, fail) => {
    app.http.once('error', fail);
    app.http.listen(config.port, config.host, () => done());
  });
  const address = app.http.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  return { app, db, port, keys, firstAdminPassword };
}

export function printRegulatorBanner(s: RegulatorStarted, config: RegulatorConfig): void {
  const hosts = config.host === '0.0.0.0' ? ['localhost', ...lanAddresses()] : [config.host];
  const lines = ['', '  监管端已启动 regulator is running', ''];
  for (const h of hosts) lines.push(`  监管控制台 console:  http://${h}:${s.port}/`);
  lines.push(
    '',
    `  数据目录 data folder: ${config.dataDir}`,
    `  监管公钥指纹 key fingerprint: ${s.keys.fingerprint}`,
    `  给考试中心 for each centre: ${join(config.dataDir, 'keys', 'regulator.pub')}, regulator-x25519.pub`,
  );
  if (s.firstAdminPassword)
    lines.push(
      '',
      '  首次安装 first installation: log in as "admin" with this one-time password (shown once):',
      `    ${s.firstAdminPassword}`,
    );
  process.stdout.write(lines.join('\n') + '\n\n');
}
