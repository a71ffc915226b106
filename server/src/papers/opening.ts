import { timingSafeEqual } from 'node:crypto';
import type { SessionRecord } from '../sessions/sessions.repo';
import { AppError } from '../shared/errors';
import { verifyInstitutionSignature, type InstitutionKey } from '../shared/institution-key';
import { deriveDataKey, parseCustodianCode, type Slot } from './custodian-codes';
import type { SealedPaperRow, SealRecord } from './papers.repo';
import { boxHash, paperAad, seedAad, seedHash, unpackBox, unseal } from './seal-crypto';
import { sealManifestSchema, manifestHash, type SealManifest } from './seal-manifest';
import { keyCheck } from './sealing';

/** The opening window: from openWindowBeforeMinutes before the start to the late-admission limit. */
export function openingWindow(session: SessionRecord): { from: number; to: number } {
  return {
    from: session.scheduledStart - session.settings.openWindowBeforeMinutes * 60_000,
    // 迟到 30 分钟不得入场: after the admission limit nobody can sit the paper, so it need never be opened.
    to: session.scheduledStart + session.settings.lateAdmissionMinutes * 60_000,
  };
}

export type CustodianEntry = { staffId: number; name: string; code: string };

/**
 * Re-creates the data key from the two custodians' codes and proves the seal intact before anything is
 * decrypted for delivery: the codes' check symbols, the key-check value, the manifest's hash and
 * signature, the seed's hash, and every paper's ciphertext hash and GCM tag.
 */
export function unlockSeal(
  seal: SealRecord,
  bySlot: Record<Slot, CustodianEntry>,
  papers: SealedPaperRow[],
  institutionKey: InstitutionKey,
): { dataKey: Buffer; seed: Buffer; manifest: SealManifest; paperCount: number } {
  const shares = {} as Record<Slot, string>;
  for (const slot of ['A', 'B'] as const) {
    const entry = bySlot[slot];
    const parsed = parseCustodianCode(entry.code);
    if (!parsed.ok)
      throw new AppError(`code-${parsed.reason}`, `${entry.name}：${parsed.message}`, 400, { staffId: entry.staffId });
    shares[slot] = parsed.share;
  }

  const tampered = (what: string, detail: string) =>
    new AppError('seal-tampered', `封卷数据被改动（${what}）：${detail}`, 409, { what });
  let manifest: SealManifest;
  try {
    manifest = sealManifestSchema.parse(JSON.parse(seal.manifest));
  } catch {
    throw tampered('manifest', 'manifest is not a valid seal manifest');
  }
  if (manifestHash(manifest) !== seal.manifestHash) throw tampered('manifest', 'manifest hash differs');
  if (!verifyInstitutionSignature(institutionKey.publicKey, seal.manifest, Buffer.from(seal.signature, 'base64')))
    throw tampered('signature', 'the institution signature does not verify');

  const expected = Buffer.from(manifest.keyCheck, 'hex');
  const opens = (key: Buffer) => {
    const actual = Buffer.from(keyCheck(key, seal.uid), 'hex');
    return expected.length === actual.length && timingSafeEqual(expected, actual);
  };
  const dataKey = deriveDataKey(shares.A, shares.B, seal.kdfSalt);
  if (!opens(dataKey)) {
    dataKey.fill(0);
    // One more scrypt run, only on failure, to say what went wrong when the two custodians swapped slips.
    const swapped = deriveDataKey(shares.B, shares.A, seal.kdfSalt);
    const isSwap = opens(swapped);
    swapped.fill(0);
    if (isSwap) throw new AppError('codes-swapped', '两位保管人输入的开卷码互换了：请各自输入自己名下的开卷码', 400);
    throw new AppError('codes-rejected', '两组开卷码不能解开本场封卷（是否为旧封卷的码？请核对后重试）', 403);
  }
  let seed: Buffer;
  try {
    seed = unseal(dataKey, unpackBox(seal.sealedSeed), seedAad(seal.uid));
  } catch {
    dataKey.fill(0);
    throw tampered('seed', 'the sealed seed fails authentication');
  }
  if (seedHash(seed) !== manifest.seedHash || seal.seedHash !== manifest.seedHash) {
    dataKey.fill(0);
    throw tampered('seed', "the seed's hash differs from the manifest");
  }

  const listed = new Map(manifest.papers.map((p) => [p.registrationId, p.ciphertextHash]));
  if (listed.size !== papers.length) throw tampered('papers', `manifest lists ${listed.size}, stored ${papers.length}`);
  // Every paper is decrypted once here so a bad tag stops the opening, not a candidate mid-exam; the
  // plaintexts are not kept (delivery decrypts on demand from the cached key).
  for (const p of papers) {
    const hash = boxHash(p.box);
    if (listed.get(p.registrationId) !== hash || p.ciphertextHash !== hash)
      throw tampered('ciphertext', `registration ${p.registrationId}`);
    try {
      unseal(dataKey, p.box, paperAad(seal.uid, p.registrationId));
    } catch {
      throw tampered('ciphertext', `registration ${p.registrationId} fails authentication`);
    }
  }
  return { dataKey, seed, manifest, paperCount: papers.length };
}
