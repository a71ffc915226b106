import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { demoRegulatorDataDir } from '../conduct/grants';
import type { Db } from '../db/open';
import { DEMO_INSTITUTION, DEMO_STAFF } from '../demo/demo-people';
import { setLinkIdentity } from '../link/link.service';
import { loadRegulatorConfig } from './regulator-config';
import { withRegulator } from './regulator.cli';

// DEMO ONLY (issue 14): `npm start` on a demo data folder also runs a demo regulator as its own process, with its
// own data folder (<data>/demo-regulator/regulator-data) and port, the demo centre registered with it.

export const DEMO_CENTRE_CODE = 'DEMO-01';
export const DEMO_REGULATOR_ADMIN = { username: 'regadmin', name: '演示监管管理员', password: 'demo-regadmin-2026' };
const BIN = resolve(import.meta.dirname, '../../../bin/exam-center.js');

export type DemoRegulatorInfo = {
  url: string;
  dataDir: string;
  logins: { username: string; password: string; role: string; name: string }[];
};

/**
 * Accounts and registration in the demo regulator's folder, each only once: the admin, the demo officials with
 * the same password as at the demo centre (one person, one password), and the demo centre with its key pinned.
 * Returns null when the data folder has no demo regulator (a real installation, EXAM_CENTER_DEMO=0).
 */
export function prepareDemoRegulator(centreDataDir: string, institutionPublicKeyPem: string): string | null {
  const dataDir = demoRegulatorDataDir(centreDataDir);
  if (!existsSync(dataDir)) return null;
  const config = { ...loadRegulatorConfig({ ...process.env, EXAM_CENTER_REGULATOR_DATA: dataDir }), dataDir };
  withRegulator(config, ({ services }) => {
    const { accounts, centres } = services;
    if (!accounts.repo.byUsername(DEMO_REGULATOR_ADMIN.username))
      accounts.createAdmin(
        DEMO_REGULATOR_ADMIN.username,
        DEMO_REGULATOR_ADMIN.name,
        DEMO_REGULATOR_ADMIN.password,
        'system:demo',
      );
    for (const o of DEMO_STAFF.filter((s) => s.roles.includes('official')))
      if (!accounts.repo.byUsername(o.username))
        accounts.saveOfficial({ username: o.username, name: o.name, password: o.password }, 'system:demo');
    // Registered after the officials: registration sends the centre every current grant, once.
    if (!centres.repo.byCode(DEMO_CENTRE_CODE))
      centres.register(
        { code: DEMO_CENTRE_CODE, name: DEMO_INSTITUTION, publicKeyPem: institutionPublicKeyPem },
        'system:demo',
      );
  });
  return dataDir;
}

/** The demo's logins at the regulator, for the banner. */
export function demoRegulatorLogins(): DemoRegulatorInfo['logins'] {
  return [
    { ...DEMO_REGULATOR_ADMIN, role: 'regulator_admin' },
    ...DEMO_STAFF.filter((s) => s.roles.includes('official')).map((o) => ({
      username: o.username,
      password: o.password,
      name: o.name,
      role: 'official',
    })),
  ];
}

/** Starts `exam-center regulator serve` as a child process and waits until it answers. */
export async function startDemoRegulatorProcess(
  dataDir: string,
  port: number,
): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [BIN, 'regulator', 'serve'], {
    env: {
      ...process.env,
      EXAM_CENTER_REGULATOR_DATA: dataDir,
      REGULATOR_PORT: String(port),
      EXAM_CENTER_CLIENT_BUILT: '1',
      REGULATOR_HOST: process.env.REGULATOR_HOST ?? process.env.HOST ?? '0.0.0.0',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the demo regulator exited (code ${child.exitCode})`);
    try {
      if ((await fetch(`${url}/api/health`)).ok) return { child, url };
    } catch {
      /* not listening yet */
    }
    if (Date.now() > deadline) {
      child.kill('SIGTERM');
      throw new Error('the demo regulator did not start within 60 s');
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}

export function printDemoRegulatorBanner(info: DemoRegulatorInfo): void {
  const lines = [
    '  演示监管端 demo regulator (own process and data folder):',
    `    ${info.url.replace('127.0.0.1', 'localhost')}/   数据目录 ${info.dataDir}`,
    ...info.logins.map((l) => `    ${l.username.padEnd(9)} ${l.password.padEnd(20)} ${l.role}  ${l.name}`),
    `    考试中心代码 centre code: ${DEMO_CENTRE_CODE}`,
  ];
  process.stdout.write(lines.join('\n') + '\n\n');
}

/**
 * `npm start` with the demo: prepares and starts the demo regulator, points the centre's link at it, prints its
 * URL and logins. A failure is reported and the centre runs alone. Returns a stop function (kills the child).
 */
export async function runDemoRegulator(
  centre: { dataDir: string; port: number; institutionPublicKeyPem: string; db: Db; sendNow?: () => void },
  env: NodeJS.ProcessEnv = process.env,
): Promise<(() => void) | null> {
  try {
    const dataDir = prepareDemoRegulator(centre.dataDir, centre.institutionPublicKeyPem);
    if (!dataDir) return null;
    const port = env.REGULATOR_PORT ? Number(env.REGULATOR_PORT) : centre.port + 10;
    const { child, url } = await startDemoRegulatorProcess(dataDir, port);
    setLinkIdentity(centre.db, { centreCode: DEMO_CENTRE_CODE, regulatorUrl: url, centreName: DEMO_INSTITUTION });
    // The first exchange now, not at the next interval: the demo regulator shows the centre at once.
    centre.sendNow?.();
    printDemoRegulatorBanner({ url, dataDir, logins: demoRegulatorLogins() });
    const stop = () => {
      if (child.exitCode === null) child.kill('SIGTERM');
    };
    process.once('exit', stop);
    return stop;
  } catch (err) {
    process.stderr.write(`demo regulator not started: ${(err as Error).message}\n`);
    return null;
  }
}
