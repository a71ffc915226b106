import { mkdirSync } from 'node:fs';
import { databaseFileIn } from './db/data-folder';
import { networkInterfaces } from 'node:os';
import { createApp, type App } from './app';
import { generateOneTimePassword } from './auth/passwords';
import type { Config } from './config';
import { migrate } from './db/migrate';
import { openDatabase, type Db } from './db/open';
import { seedDemo, type DemoInfo } from './demo/seed';
import { StaffRepo } from './people/staff.repo';
import { systemClock, type Clock } from './shared/clock';
import { createLogger } from './shared/logger';
import { loadOrCreateSecret } from './shared/secrets';
import { compensateOutage } from './delivery/outage';
import { loadOrCreateInstitutionKey } from './shared/institution-key';
import { PAPER_WRAP_KEY_FILE } from './papers/seal-crypto';

export type Started = { app: App; db: Db; port: number; demo: DemoInfo | null; firstAdminPassword: string | null };

/** Opens (or creates) the data folder, migrates, seeds a new installation, and listens. */
export async function startServer(config: Config, clock: Clock = systemClock): Promise<Started> {
  mkdirSync(config.dataDir, { recursive: true });
  const logger = createLogger(config.logLevel);
  const db = openDatabase(databaseFileIn(config.dataDir));
  migrate(db);
  // Before anything else runs: the time this server was down is given back to running sessions.
  for (const c of compensateOutage(db, clock))
    logger.info({ sessionId: c.sessionId, compensatedMs: c.compensatedMs }, 'server outage compensated');
  const app = createApp({
    config,
    db,
    clock,
    logger,
    jwtSecret: loadOrCreateSecret(config.dataDir, 'jwt-secret'),
    keys: {
      institution: loadOrCreateInstitutionKey(config.dataDir),
      paperWrapKey: loadOrCreateSecret(config.dataDir, PAPER_WRAP_KEY_FILE),
    },
  });
  let demo: DemoInfo | null = null;
  let firstAdminPassword: string | null = null;
  if (new StaffRepo(db).count() === 0) {
    if (config.demo) demo = seedDemo(app, db, clock);
    else {
      firstAdminPassword = generateOneTimePassword();
      app.services.auth.createStaff(
        {
          username: 'admin',
          name: '系统管理员',
          roles: ['admin'],
          password: firstAdminPassword,
          mustChangePassword: true,
        },
        'system:install',
      );
    }
  }
  await new Promise<void>((resolve, reject) => {
    app.http.once('error', reject);
    app.http.listen(config.port, config.host, () => resolve());
  });
  const address = app.http.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  return { app, db, port, demo, firstAdminPassword };
}

export function lanAddresses(): string[] {
  return Object.values(networkInterfaces())
    .flat()
    .filter((a) => a && a.family === 'IPv4' && !a.internal)
    .map((a) => a!.address);
}

export function printBanner(s: Started, config: Config): void {
  const hosts = config.host === '0.0.0.0' ? ['localhost', ...lanAddresses()] : [config.host];
  const lines = ['', '  考试中心已启动 exam-center is running', ''];
  for (const h of hosts) {
    const base = `http://${h}:${s.port}`;
    lines.push(
      `  考生 candidates:  ${base}/`,
      `  工作人员 staff:   ${base}/staff`,
      `  监管 officials:   ${base}/official`,
      '',
    );
  }
  lines.push(`  数据目录 data folder: ${config.dataDir}`);
  if (s.demo) {
    lines.push('', '  演示账号 demo logins (staff: username / password):');
    for (const st of s.demo.staff)
      lines.push(`    ${st.username.padEnd(9)} ${st.password.padEnd(20)} ${st.roles.join(',')}  ${st.name}`);
    lines.push('', '  演示考生 demo candidates (准考证号 / 身份证号):');
    for (const c of s.demo.candidates) lines.push(`    ${c.admissionNo}  ${c.idNumber}  座位 ${c.seatNo}  ${c.name}`);
    lines.push('', '  演示场次已封卷 demo session is sealed; open it (staff → session → 启封) with both codes:');
    for (const c of s.demo.custodianCodes)
      lines.push(`    开卷码 ${c.slot}  ${c.code}  ${c.username.padEnd(9)} ${c.name}`);
  }
  if (s.firstAdminPassword) {
    lines.push(
      '',
      '  首次安装 first installation: log in as "admin" with this one-time password (shown once, change it at once):',
      `    ${s.firstAdminPassword}`,
    );
  }
  process.stdout.write(lines.join('\n') + '\n\n');
}
