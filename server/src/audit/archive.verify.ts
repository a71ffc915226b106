import { createPublicKey, type KeyObject } from 'node:crypto';
import { unzipSync } from 'fflate';
import type { ArchiveCheck, ArchiveGap, ArchiveVerdict } from '../protocol';
import { canonicalJson, sha256Hex } from '../shared/canonical-json';
import { publicKeyFingerprint, verifyInstitutionSignature } from '../shared/institution-key';
import { checkAnswers, checkPapers, checkResults, openSealedPart, short, type CheckContext } from './archive-checks';
import {
  archiveManifestSchema,
  entry,
  MANIFEST_ENTRY,
  PUBLIC_KEY_ENTRY,
  SIGNATURE_ENTRY,
  type ArchiveManifest,
} from './archive-format';
import { checkHeads } from './audit.service';
import { headMessage, type SignedHead } from './chain-heads.repo';
import { checkChainLines, parseChainLines } from './chain-verify';
import type { StoredEvent } from './events.repo';

export type VerifyArchiveOptions = {
  /** The regulator's X25519 private key (PEM or KeyObject): opens the items and keys, so the draw and scores are proved. */
  regulatorKey?: KeyObject | string | null;
  /** With no public key given: accept the key inside the archive (reported), instead of an INCOMPLETE verdict. */
  trustEmbeddedKey?: boolean;
};

/**
 * Verifies a session archive offline: signature, every entry's hash, event-chain continuity and signed heads,
 * answers against the chain, papers re-derived from the seal, and every score recomputed. Each failed check
 * names the entry or record that failed. With no public key given, the key inside the archive is used and
 * that is reported as a gap (unless trustEmbeddedKey): only a key obtained separately proves who signed.
 * Without the regulator's key the draw and the scores cannot be proved, and the verdict says INCOMPLETE.
 */
export function verifyArchive(
  bytes: Uint8Array,
  publicKey: KeyObject | string | null,
  opts: VerifyArchiveOptions = {},
): ArchiveVerdict {
  const checks: ArchiveCheck[] = [];
  const gaps: ArchiveGap[] = [];
  const add = (name: string, ok: boolean, detail?: string) => checks.push({ name, ok, ...(detail ? { detail } : {}) });
  const finish = (): ArchiveVerdict => {
    const failures = checks.filter((c) => !c.ok).map((c) => `${c.name}: ${c.detail ?? 'failed'}`);
    // Issue 13, hole 7: a check that could not be made never counts as passed.
    const status = failures.length ? 'INVALID' : gaps.length ? 'INCOMPLETE' : 'VALID';
    return { ok: status === 'VALID', status, checks, failures, gaps };
  };

  let files: Record<string, Uint8Array>;
  try {
    files = unzipSync(bytes);
  } catch (err) {
    add('container', false, `not a readable zip archive (${(err as Error).message})`);
    return finish();
  }
  const text = (path: string) => (files[path] ? Buffer.from(files[path]).toString('utf8') : null);
  const manifestText = text(MANIFEST_ENTRY);
  const sig = text(SIGNATURE_ENTRY);
  if (!manifestText || !sig) {
    add('container', false, `missing ${!manifestText ? MANIFEST_ENTRY : SIGNATURE_ENTRY}`);
    return finish();
  }
  add('container', true, `${Object.keys(files).length} entries`);

  let key: KeyObject;
  try {
    if (publicKey) key = typeof publicKey === 'string' ? createPublicKey(publicKey) : publicKey;
    else {
      key = createPublicKey(text(PUBLIC_KEY_ENTRY) ?? '');
      const said =
        'no pinned institution key: verified with the key inside the archive, which proves nothing about who ' +
        'signed it; pin the institution’s published key (archive pin-key, or --pubkey)';
      if (opts.trustEmbeddedKey) add('signer-key', true, `${said} — accepted as told (--trust-embedded-key)`);
      else gaps.push({ code: 'embedded-key', text: said });
    }
  } catch {
    add('signature', false, 'public key unreadable');
    return finish();
  }
  const fingerprint = publicKeyFingerprint(key);
  let manifest: ArchiveManifest | null = null;
  try {
    manifest = archiveManifestSchema.parse(JSON.parse(manifestText));
  } catch {
    /* reported below */
  }
  const sigOk = verifyInstitutionSignature(key, manifestText, Buffer.from(sig.trim(), 'base64'));
  add(
    'signature',
    sigOk && !!manifest && manifest.institutionKey === fingerprint,
    !sigOk
      ? `${MANIFEST_ENTRY}: Ed25519 signature does not verify (manifest or signature altered, or another key)`
      : !manifest
        ? `${MANIFEST_ENTRY}: not a valid archive manifest`
        : manifest.institutionKey !== fingerprint
          ? `signed by ${manifest.institutionKey}, verifying with ${fingerprint}`
          : `signed by ${fingerprint}`,
  );
  if (!manifest) return finish();
  if (canonicalJson(manifest) !== manifestText) add('manifest', false, `${MANIFEST_ENTRY}: not in canonical form`);

  // Every listed entry present with its hash; nothing unlisted.
  const bad: string[] = [];
  const listed = new Set<string>([MANIFEST_ENTRY, SIGNATURE_ENTRY]);
  for (const e of manifest.entries) {
    listed.add(e.path);
    const b = files[e.path];
    if (!b) bad.push(`${e.path} (missing)`);
    else if (sha256Hex(Buffer.from(b)) !== e.sha256 || b.byteLength !== e.size) bad.push(`${e.path} (hash differs)`);
  }
  for (const p of Object.keys(files)) if (!listed.has(p)) bad.push(`${p} (not in manifest)`);
  add(
    'entry-hashes',
    bad.length === 0,
    bad.length ? `altered entries: ${short(bad)}` : `${manifest.entries.length} entry hashes match`,
  );

  const parse = <T>(path: string): T | null => {
    const t = text(path);
    if (t === null) return null;
    try {
      return JSON.parse(t) as T;
    } catch {
      add(`parse ${path}`, false, `${path}: not valid JSON`);
      return null;
    }
  };

  // Event chains and signed heads.
  const heads = parse<SignedHead[]>(entry.heads) ?? [];
  const sessionChain = `session:${manifest.session.id}`;
  const chains = new Map<string, StoredEvent[]>();
  for (const path of Object.keys(files).filter((p) => p.startsWith('events/') && p.endsWith('.chain'))) {
    const lines = (text(path) ?? '').split('\n').filter(Boolean);
    const chain =
      path === entry.chain(sessionChain) ? sessionChain : path === entry.chain('institution') ? 'institution' : path;
    const r = checkChainLines(lines, chain);
    if (r.broken) {
      add(`chain ${chain}`, false, `${path}: event seq ${r.broken.seq}: ${r.broken.reason}`);
      continue;
    }
    let events: StoredEvent[];
    try {
      events = parseChainLines(lines);
    } catch {
      add(`chain ${chain}`, false, `${path}: unreadable event line`);
      continue;
    }
    chains.set(chain, events);
    const hs = checkHeads(
      events,
      heads.filter((h) => h.chain === chain),
      (msg, s) => verifyInstitutionSignature(key, msg, s),
    );
    const headProblems = hs
      .filter((h) => !h.signatureOk || !h.inChain)
      .map((h) => `head seq ${h.seq}${h.signatureOk ? ' differs from chain' : ' bad signature'}`);
    add(
      `chain ${chain}`,
      headProblems.length === 0,
      headProblems.length ? `${path}: ${short(headProblems)}` : `${r.events} events, ${hs.length} signed heads`,
    );
  }
  if (!chains.has(sessionChain)) add('chain', false, `${entry.chain(sessionChain)} missing`);
  const sessionEvents = chains.get(sessionChain) ?? [];
  const lastHead = heads.filter((h) => h.chain === sessionChain).at(-1);
  if (
    lastHead &&
    !verifyInstitutionSignature(
      key,
      headMessage(lastHead.chain, lastHead.seq, lastHead.hash),
      Buffer.from(lastHead.signature, 'base64'),
    )
  )
    add('signed-heads', false, `${entry.heads}: last head signature invalid`);

  const ctx: CheckContext = {
    files,
    text,
    parse,
    add,
    gap: (code, text) => gaps.push({ code, text }),
    key,
    sessionId: manifest.session.id,
    sessionEvents,
  };
  const { answers, admission } = checkAnswers(ctx);
  const conf = openSealedPart(ctx, opts.regulatorKey ?? null);
  checkPapers(ctx, conf);
  checkResults(ctx, conf, answers, admission);

  // Evidence files and included recordings against their recorded hashes.
  const badE: string[] = [];
  for (const ev of parse<{ sha256: string | null; archived: string | null }[]>(entry.evidenceIndex) ?? [])
    if (ev.archived && (!files[ev.archived] || sha256Hex(Buffer.from(files[ev.archived] as Uint8Array)) !== ev.sha256))
      badE.push(ev.archived);
  for (const v of parse<{ sha256: string; archived: string | null }[]>(entry.videos) ?? [])
    if (v.archived && (!files[v.archived] || sha256Hex(Buffer.from(files[v.archived] as Uint8Array)) !== v.sha256))
      badE.push(v.archived);
  add(
    'evidence',
    badE.length === 0,
    badE.length ? `files differ from their recorded hash: ${short(badE)}` : 'photos and recordings match their hashes',
  );
  return finish();
}

/** One line per check, then the verdict: what the CLI prints and the officials' console shows. */
export function formatVerdict(v: ArchiveVerdict, file: string): string {
  const lines = [`archive ${file}`];
  for (const c of v.checks) lines.push(`  ${c.ok ? '✓' : '✗'} ${c.name}${c.detail ? ` — ${c.detail}` : ''}`);
  for (const g of v.gaps) lines.push(`  ! ${g.text}`);
  lines.push(
    v.status === 'VALID'
      ? '结论 VERDICT: 完整可信 VALID — every check passed'
      : v.status === 'INCOMPLETE'
        ? `结论 VERDICT: 未完成校验 INCOMPLETE — nothing failed, but ${v.gaps.length} check(s) could not be made (!)`
        : `结论 VERDICT: 校验失败 INVALID — ${v.failures.length} check(s) failed`,
  );
  return lines.join('\n');
}
