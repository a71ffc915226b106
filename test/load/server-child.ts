import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '../..');

export function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      srv.close(() => (typeof address === 'object' && address ? res(address.port) : rej(new Error('no port'))));
    });
  });
}

/** Starts test/load/server-process.ts (or `script`) in its own process and resolves once it listens. */
export function spawnServer(env: {
  dataDir: string;
  port: number;
  candidates?: number;
  script?: string;
}): Promise<ChildProcess> {
  const script = resolve(ROOT, env.script ?? 'test/load/server-process.ts');
  const child = spawn(process.execPath, ['--import', 'tsx', script], {
    cwd: ROOT,
    env: {
      ...process.env,
      EXAM_CENTER_DATA: env.dataDir,
      PORT: String(env.port),
      HOST: '127.0.0.1',
      LOAD_CANDIDATES: String(env.candidates ?? 0),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((res, rej) => {
    const timer = setTimeout(() => rej(new Error(`server did not start in 60 s:\n${stderr}`)), 60_000);
    child.stdout!.on('data', (d: Buffer) => {
      if (d.toString().includes('READY')) {
        clearTimeout(timer);
        res(child);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      rej(new Error(`server exited with ${code}:\n${stderr}`));
    });
  });
}

export function killHard(child: ChildProcess): Promise<void> {
  return new Promise((res) => {
    child.removeAllListeners('exit');
    child.once('exit', () => res());
    child.kill('SIGKILL');
  });
}

export function stopGracefully(child: ChildProcess): Promise<void> {
  return new Promise((res) => {
    child.removeAllListeners('exit');
    child.once('exit', () => res());
    child.kill('SIGTERM');
  });
}
