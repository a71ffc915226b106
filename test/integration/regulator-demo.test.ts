import { once } from 'node:events';
import { readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CentreRow } from '../../server/src/protocol';
import {
  DEMO_CENTRE_CODE,
  prepareDemoRegulator,
  startDemoRegulatorProcess,
} from '../../server/src/regulator/demo-regulator';
import { http, startTestServer, type TestServer } from '../support/test-server';

let server: TestServer;

async function freePort(): Promise<number> {
  const s = createServer().listen(0, '127.0.0.1');
  await once(s, 'listening');
  const port = (s.address() as { port: number }).port;
  s.close();
  return port;
}

beforeAll(async () => {
  server = await startTestServer();
}, 120_000);
afterAll(async () => {
  await server?.stop();
});

describe('demo regulator', () => {
  it("keeps the regulator's private keys in its own data folder; the centre holds only the public halves", () => {
    const regKeys = join(server.dataDir, 'demo-regulator', 'regulator-data', 'keys');
    const centreKeys = join(server.dataDir, 'keys');
    expect(readFileSync(join(centreKeys, 'regulator.pub'), 'utf8')).toBe(
      readFileSync(join(regKeys, 'regulator.pub'), 'utf8'),
    );
    expect(readFileSync(join(centreKeys, 'regulator-x25519.pub'), 'utf8')).toBe(
      readFileSync(join(regKeys, 'regulator-x25519.pub'), 'utf8'),
    );
    const secrets = ['regulator-ed25519.key.pem', 'regulator-x25519.key'].map((f) =>
      readFileSync(join(regKeys, f), 'utf8'),
    );
    for (const f of readdirSync(centreKeys)) {
      const text = readFileSync(join(centreKeys, f), 'utf8');
      for (const s of secrets) expect(text.includes(s.trim()), `${f} holds a regulator private key`).toBe(false);
    }
  });

  it('runs as its own process with the demo centre registered and the same official login', async () => {
    const dataDir = prepareDemoRegulator(server.dataDir, server.app.keys.institution.publicKeyPem)!;
    expect(prepareDemoRegulator(server.dataDir, server.app.keys.institution.publicKeyPem)).toBe(dataDir); // once only
    const { child, url } = await startDemoRegulatorProcess(dataDir, await freePort());
    try {
      expect(child.pid).not.toBe(process.pid);
      const official = await http<{ token: string }>(url, '/api/auth/login', {
        body: { username: 'official', password: 'demo-official-2026' },
      });
      expect(official.status).toBe(200);
      const admin = await http<{ token: string }>(url, '/api/auth/login', {
        body: { username: 'regadmin', password: 'demo-regadmin-2026' },
      });
      const centres = await http<CentreRow[]>(url, '/api/centres', { token: admin.body.token });
      expect(centres.body).toEqual([
        expect.objectContaining({
          code: DEMO_CENTRE_CODE,
          fingerprint: server.app.keys.institution.fingerprint,
          pendingOut: 3, // centre.registered, the ban list, the official's grant
        }),
      ]);
    } finally {
      child.kill('SIGTERM');
      if (child.exitCode === null) await once(child, 'exit');
    }
  }, 90_000);
});
