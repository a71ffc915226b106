import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setLinkIdentity } from '../../server/src/link/link.service';
import type { App } from '../../server/src/app';
import type { Db } from '../../server/src/db/open';
import {
  banListSha256,
  privateKeySigner,
  signBundle,
  signFreshness,
  type Signer,
} from '../../server/src/shared/link-signing';

/**
 * The demo installation's regulator private key, where the demo keeps it: the demo regulator's own data folder
 * (issue 14) or, before that, the in-centre demo key of issue 10. Tests act as that regulator.
 */
export function demoRegulatorPem(dataDir: string): string | null {
  for (const file of [
    join(dataDir, 'demo-regulator', 'regulator-data', 'keys', 'regulator-ed25519.key.pem'),
    join(dataDir, 'demo-regulator', 'regulator.key'),
  ])
    if (existsSync(file)) return readFileSync(file, 'utf8');
  return null;
}

export function demoRegulatorSigner(dataDir: string): Signer | null {
  const pem = demoRegulatorPem(dataDir);
  return pem ? privateKeySigner(pem) : null;
}

/**
 * Makes the centre's ban list fresh the way a USB bundle from the regulator does: a bundle signed by the demo
 * regulator's key carrying its signed word that the centre's list is current now. No message is numbered, so
 * a real link to a demo regulator is not disturbed. Returns false when no demo regulator key is found.
 */
export function installFreshBanList(server: { app: App; db: Db; dataDir: string }, code = 'TEST-01'): boolean {
  const signer = demoRegulatorSigner(server.dataDir);
  if (!signer) return false;
  const link = server.app.services.link;
  if (!link.identity().centreCode) setLinkIdentity(server.db, { centreCode: code, regulatorUrl: null });
  const centreCode = link.identity().centreCode!;
  const list = link.repo.newestBanList();
  const now = link.clock.now();
  const freshness = signFreshness(
    {
      v: 1,
      kind: 'exam-center.bans-freshness',
      centreCode,
      version: list?.version ?? 0,
      listSha256: list ? banListSha256(list.body) : null,
      asOf: now,
    },
    signer,
  );
  link.importBundle(
    signBundle(
      {
        v: 1,
        kind: 'exam-center.link-bundle',
        from: 'regulator',
        to: centreCode,
        createdAt: now,
        received: 0,
        messages: [],
        freshness,
      },
      signer,
    ),
  );
  return true;
}
