import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Db } from '../../server/src/db/open';
import {
  REGULATOR_PARTY,
  type LinkMessageType,
  type SignedLinkExchange,
  type SignedLinkMessage,
} from '../../server/src/protocol/regulator';
import { openRegulatorDb } from '../../server/src/regulator/regulator-main';
import { createRegulatorApp, type RegulatorApp } from '../../server/src/regulator/regulator-app';
import { loadOrCreateRegulatorKeys, type RegulatorKeys } from '../../server/src/regulator/regulator-keys';
import { ManualClock, systemClock, type Clock } from '../../server/src/shared/clock';
import { createLogger } from '../../server/src/shared/logger';
import { privateKeySigner, signLinkMessage, signPayload, type Signer } from '../../server/src/shared/link-signing';
import { http } from './test-server';

export type TestRegulator = {
  url: string;
  app: RegulatorApp;
  db: Db;
  keys: RegulatorKeys;
  dataDir: string;
  adminToken: string;
  adminPassword: string;
  stop(): Promise<void>;
};

/** An in-process regulator on a free port with a temporary data folder and an admin logged in. */
export async function startTestRegulator(clock: Clock = systemClock): Promise<TestRegulator> {
  const dataDir = mkdtempSync(join(tmpdir(), 'exam-regulator-'));
  const db = openRegulatorDb(dataDir);
  const keys = loadOrCreateRegulatorKeys(dataDir);
  const app = createRegulatorApp({
    config: { dataDir, missingArchiveDays: 3, tokenMinutes: 60 },
    db,
    clock,
    logger: createLogger('silent'),
    keys,
    jwtSecret: Buffer.from('regulator-test-secret-0123456789abcdef'),
    clientDir: join(dataDir, 'no-client'),
  });
  const adminPassword = 'regadmin-test-2026';
  app.services.accounts.createAdmin('regadmin', '监管管理员', adminPassword, 'test');
  await new Promise<void>((r) => app.http.listen(0, '127.0.0.1', () => r()));
  const address = app.http.address();
  const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  const login = await http<{ token: string }>(url, '/api/auth/login', {
    body: { username: 'regadmin', password: adminPassword },
  });
  return {
    url,
    app,
    db,
    keys,
    dataDir,
    adminToken: login.body.token,
    adminPassword,
    async stop() {
      await app.close();
      db.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A centre as the regulator sees it: a code and an Ed25519 key pair, signing what it sends. */
export type TestCentre = { code: string; publicKey: KeyObject; publicKeyPem: string; signer: Signer; seq: number };

export function testCentre(code: string): TestCentre {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return {
    code,
    publicKey,
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    signer: privateKeySigner(privateKey),
    seq: 0,
  };
}

export function centreMessage(
  c: TestCentre,
  type: LinkMessageType,
  body: unknown,
  opts: { seq?: number; to?: string; signer?: Signer; sentAt?: number } = {},
): SignedLinkMessage {
  const seq = opts.seq ?? ++c.seq;
  return signLinkMessage(
    {
      v: 1,
      kind: 'exam-center.link-message',
      from: c.code,
      to: opts.to ?? REGULATOR_PARTY,
      seq,
      sentAt: opts.sentAt ?? Date.now(),
      type,
      body,
    },
    opts.signer ?? c.signer,
  );
}

export function exchangeRequest(
  c: TestCentre,
  messages: SignedLinkMessage[],
  opts: { received?: number; at?: number; signer?: Signer } = {},
): SignedLinkExchange {
  const request = {
    v: 1 as const,
    kind: 'exam-center.link-exchange' as const,
    centreCode: c.code,
    received: opts.received ?? 0,
    at: opts.at ?? Date.now(),
    messages,
  };
  return { request, signature: signPayload(request, opts.signer ?? c.signer) };
}

export { ManualClock };
