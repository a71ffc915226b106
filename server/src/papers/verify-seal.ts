import type { KeyObject } from 'node:crypto';
import { itemContentHash, versionFingerprint } from '../bank/bank-format';
import { BankRepo } from '../bank/bank.repo';
import { BlueprintsRepo } from '../bank/blueprints.repo';
import type { Db } from '../db/open';
import { canonicalJson, sha256Hex } from '../shared/canonical-json';
import { publicKeyFingerprint, verifyInstitutionSignature } from '../shared/institution-key';
import { canonicalPaperBytes } from './paper-encoding';
import { PapersRepo, SealEvidenceRepo } from './papers.repo';
import { boxHash, paperAad, paperCommitment, seedHash, unpackBox, unseal, wrapAad } from './seal-crypto';
import { manifestHash, sealManifestSchema, type SealManifest } from './seal-manifest';
import { DRAW_ALGORITHM, drawSessionSync } from './session-draw';

export type SealCheck = { name: string; ok: boolean; detail: string; skipped?: boolean };
export type SealVerification = {
  sessionId: number;
  sealUid: string | null;
  state: string | null;
  ok: boolean;
  checks: SealCheck[];
};

export type VerifySealOptions = {
  /** The institution's public key: all an offline verifier (an official, the archive checker) needs. */
  publicKey: KeyObject | string;
  /** With the server key (on the centre's own machine) an opened seal's ciphertexts are decrypted too. */
  wrapKey?: Buffer;
};

const listShort = (xs: (string | number)[]) =>
  xs.length > 5 ? `${xs.slice(0, 5).join(', ')} … (${xs.length})` : xs.join(', ');

/**
 * Checks a session's latest seal: the manifest against the sealing event, the signature, the bank
 * version and blueprint it names, the seat plan, every ciphertext hash, the disclosed seed, and — once
 * the seed is disclosed — re-derives every paper and compares it with the signed commitment (and with the
 * decrypted paper and recorded results where available). Each failure names what is wrong.
 */
export function verifySeal(db: Db, sessionId: number, opts: VerifySealOptions): SealVerification {
  const papersRepo = new PapersRepo(db);
  const evidence = new SealEvidenceRepo(db);
  const checks: SealCheck[] = [];
  const add = (name: string, ok: boolean, detail: string, skipped = false) =>
    checks.push({ name, ok, detail, ...(skipped ? { skipped } : {}) });
  const seal = papersRepo.latestSeal(sessionId);
  if (!seal) {
    add('seal', false, 'this session has no seal');
    return { sessionId, sealUid: null, state: null, ok: false, checks };
  }
  add('seal', true, `seal ${seal.uid} (${seal.state})`);

  let manifest: SealManifest;
  try {
    manifest = sealManifestSchema.parse(JSON.parse(seal.manifest));
  } catch {
    add('manifest', false, 'manifest is not a valid seal manifest (altered)');
    return { sessionId, sealUid: seal.uid, state: seal.state, ok: false, checks };
  }
  const sealedEvent = evidence
    .sealEvents(sessionId)
    .find((e) => e.type === 'papers.sealed' && e.payload.sealUid === seal.uid);
  const recomputed = manifestHash(manifest);
  const manifestProblems = [
    recomputed !== sha256Hex(seal.manifest) ? 'stored manifest is not in canonical form' : '',
    recomputed !== seal.manifestHash ? 'hash differs from the seal record' : '',
    !sealedEvent ? 'no papers.sealed event for this seal' : '',
    sealedEvent && sealedEvent.payload.manifestHash !== recomputed ? 'hash differs from the papers.sealed event' : '',
    manifest.session.id !== sessionId || manifest.sealUid !== seal.uid ? 'manifest names another session or seal' : '',
  ].filter(Boolean);
  add('manifest', manifestProblems.length === 0, manifestProblems.join('; ') || `manifest ${recomputed}`);

  const key = opts.publicKey;
  const fingerprint = publicKeyFingerprint(key);
  const sigOk = verifyInstitutionSignature(key, seal.manifest, Buffer.from(seal.signature, 'base64'));
  add(
    'signature',
    sigOk && fingerprint === manifest.institutionKey,
    !sigOk
      ? 'Ed25519 signature does not verify over the manifest'
      : fingerprint !== manifest.institutionKey
        ? `signed by key ${manifest.institutionKey}, verifying with ${fingerprint}`
        : `signed by ${fingerprint}`,
  );

  const bank = new BankRepo(db);
  const version = bank.version(manifest.bankVersion.id);
  const items = version ? bank.itemsOfVersion(version.id) : [];
  const badItems = items.filter((i) => itemContentHash(i) !== i.contentHash).map((i) => i.externalId);
  const fp = versionFingerprint(items);
  add(
    'bank-version',
    !!version && fp === manifest.bankVersion.fingerprint && badItems.length === 0,
    !version
      ? `bank version ${manifest.bankVersion.id} is missing`
      : badItems.length
        ? `item content altered: ${listShort(badItems)}`
        : fp !== manifest.bankVersion.fingerprint
          ? 'bank version fingerprint differs from the manifest'
          : `version ${version.id} ${fp.slice(0, 16)}…`,
  );
  const blueprint = new BlueprintsRepo(db).get(manifest.blueprint.id);
  const bpFingerprint = blueprint && sha256Hex(canonicalJson(blueprint.body));
  add(
    'blueprint',
    !!blueprint && bpFingerprint === manifest.blueprint.fingerprint,
    !blueprint
      ? `blueprint ${manifest.blueprint.id} is missing`
      : bpFingerprint === manifest.blueprint.fingerprint
        ? 'matches'
        : 'blueprint differs from the manifest',
  );

  // The seat plan as sealed, with every seat move as logged on the chain applied in order (issue 13): a move a
  // proctor made for a failed PC is legitimate; a seat changed without its logged move is not.
  const plan = papersRepo.seatPlan(sessionId);
  const expected = new Map(manifest.papers.map((p) => [p.registrationId, p.seatNo]));
  const moves = evidence.seatMoves(sessionId);
  const badMoves: string[] = [];
  for (const m of moves) {
    if (expected.get(m.registrationId) !== m.fromSeat)
      badMoves.push(`move of registration ${m.registrationId} from seat ${m.fromSeat} does not follow the plan`);
    expected.set(m.registrationId, m.toSeat);
  }
  const planKey = (p: { registrationId: number; seatNo: number }) => `${p.registrationId}@${p.seatNo}`;
  const inPlan = new Set(plan.map(planKey));
  const planDiff = [...expected]
    .map(([registrationId, seatNo]) => planKey({ registrationId, seatNo }))
    .filter((k) => !inPlan.delete(k))
    .concat([...inPlan]);
  add(
    'seat-plan',
    planDiff.length === 0 && badMoves.length === 0,
    planDiff.length || badMoves.length
      ? [
          planDiff.length ? `registrations or seats changed without a logged move: ${listShort(planDiff)}` : '',
          ...badMoves,
        ]
          .filter(Boolean)
          .join('; ')
      : `${plan.length} seats${moves.length ? `, ${moves.length} logged seat move(s) applied to the sealed plan` : ''}`,
  );

  const stored = new Map(papersRepo.papersOf(seal.id).map((p) => [p.registrationId, p]));
  const badCipher: string[] = [];
  for (const p of manifest.papers) {
    const row = stored.get(p.registrationId);
    if (!row || boxHash(row.box) !== p.ciphertextHash || row.ciphertextHash !== p.ciphertextHash)
      badCipher.push(`${p.admissionNo} (registration ${p.registrationId})${row ? '' : ' missing'}`);
    stored.delete(p.registrationId);
  }
  for (const extra of stored.keys()) badCipher.push(`registration ${extra} not in manifest`);
  add(
    'ciphertexts',
    badCipher.length === 0,
    badCipher.length
      ? `ciphertext altered: ${listShort(badCipher)}`
      : `${manifest.papers.length} ciphertext hashes match`,
  );

  const seed = seal.seed ? Buffer.from(seal.seed, 'hex') : null;
  if (!seed) {
    // Before opening the seed is sealed by design; after opening a missing seed is a failure, not a skip.
    if (seal.state === 'opened') add('seed', false, 'seal is opened but its seed was not disclosed');
    else add('seed', true, 'seed still sealed: disclosed at opening', true);
    add('rederive', true, 'papers can be re-derived once the seed is disclosed at opening', true);
    return finish();
  }
  const openedEvent = evidence
    .sealEvents(sessionId)
    .find((e) => e.type === 'papers.opened' && e.payload.sealUid === seal.uid);
  const seedProblems = [
    seedHash(seed) !== manifest.seedHash ? "disclosed seed's hash differs from the manifest" : '',
    seal.seedHash !== manifest.seedHash ? 'seed hash on the seal record differs from the manifest' : '',
    !openedEvent
      ? 'no papers.opened event for this seal'
      : openedEvent.payload.seed !== seal.seed
        ? 'seed differs from the papers.opened event'
        : '',
  ].filter(Boolean);
  add('seed', seedProblems.length === 0, seedProblems.join('; ') || 'disclosed seed matches its hash');
  if (manifest.drawAlgorithm !== DRAW_ALGORITHM || !blueprint || !version) {
    add(
      'rederive',
      false,
      `cannot re-derive: ${manifest.drawAlgorithm !== DRAW_ALGORITHM ? 'unknown draw algorithm' : 'inputs missing'}`,
    );
    return finish();
  }
  const { papers, stats } = drawSessionSync(blueprint.body, items, seed, manifest.papers);
  const dataKey = opts.wrapKey && seal.wrappedKey ? tryUnwrap(opts.wrapKey, seal.wrappedKey, seal.uid) : null;
  const stored2 = new Map(papersRepo.papersOf(seal.id).map((p) => [p.registrationId, p]));
  const badCommit: string[] = [];
  const badPlain: string[] = [];
  const hashes = new Map<number, string>();
  for (const p of manifest.papers) {
    const canonical = canonicalPaperBytes(papers.get(p.registrationId)!);
    hashes.set(p.registrationId, sha256Hex(canonical));
    if (paperCommitment(seed, p.registrationId, canonical) !== p.commitment) badCommit.push(p.admissionNo);
    const row = stored2.get(p.registrationId);
    if (dataKey && row) {
      let plain: Buffer | null = null;
      try {
        plain = unseal(dataKey, row.box, paperAad(seal.uid, p.registrationId));
      } catch {
        /* counted below */
      }
      if (!plain?.equals(canonical)) badPlain.push(p.admissionNo);
    }
  }
  const statsOk = canonicalJson(stats) === canonicalJson(manifest.stats.neighbours);
  add(
    'rederive',
    badCommit.length === 0 && badPlain.length === 0 && statsOk,
    [
      badCommit.length ? `re-derived paper differs from the sealed commitment: ${listShort(badCommit)}` : '',
      badPlain.length ? `decrypted paper differs from the re-derived one: ${listShort(badPlain)}` : '',
      statsOk ? '' : 'neighbour statistics differ from the manifest',
    ]
      .filter(Boolean)
      .join('; ') ||
      `${papers.size} papers re-derived from seed + bank version${dataKey ? ' and equal to the decrypted ciphertexts' : ''}`,
  );
  if (opts.wrapKey && seal.wrappedKey && !dataKey)
    add('wrapped-key', false, 'the wrapped data key does not unwrap with this server key');
  const results = evidence.resultPaperHashes(sessionId);
  if (results.length) {
    const bad = results.filter((r) => hashes.get(r.registrationId) !== r.paperHash).map((r) => r.registrationId);
    add(
      'results',
      bad.length === 0,
      bad.length
        ? `graded paper differs from the sealed one: registration ${listShort(bad)}`
        : `${results.length} results graded against the sealed papers`,
    );
  }
  return finish();

  function finish(): SealVerification {
    return { sessionId, sealUid: seal!.uid, state: seal!.state, ok: checks.every((c) => c.ok), checks };
  }
}

function tryUnwrap(wrapKey: Buffer, wrapped: Buffer, uid: string): Buffer | null {
  try {
    return unseal(wrapKey, unpackBox(wrapped), wrapAad(uid));
  } catch {
    return null;
  }
}
