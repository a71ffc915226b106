import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';

/** Starts echo-server.ts (the bare socket.io baseline) in its own process; resolves with its port. */
export function spawnEcho(): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(process.execPath, ['--import', 'tsx', resolve(import.meta.dirname, 'echo-server.ts')], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((res) =>
    child.stdout!.on('data', (d: Buffer) => {
      const m = /READY (\d+)/.exec(d.toString());
      if (m) res({ child, port: Number(m[1]) });
    }),
  );
}
