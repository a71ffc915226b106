import { savedAnswers } from './answer-events';
import { createPublicKey, type KeyObject } from 'node:crypto';
import { unzipSync } from 'fflate';
import { blueprintSchema } from '../bank/blueprint';
import { versionFingerprint, type HashedItem } from '../bank/bank-format';
import type { Paper } from '../papers/draw';
import { paperCommitment, seedHash } from '../papers/seal-crypto';
import { sealManifestSchema } from '../papers/seal-manifest';
import { DRAW_ALGORITHM, drawSessionSync } from '../papers/session-draw';
import { recomputeResult } from '../grading/score';
import type { ArchiveCheck, ArchiveVerdict } from '../protocol';
import { canonicalJson, sha256Hex } from '../shared/canonical-json';
import { publicKeyFingerprint, verifyInstitutionSignature } from '../shared/institution-key';
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

const short = (xs: (string | number)[]) =>
  xs.length > 6 ? `${xs.slice(0, 6).join(', ')} … (${xs.length})` : xs.join(', ');

type Answers = {
  registrationId: number;
  final: { position: number; choice: number[]; seq: number }[];
  history: { seq: number; position: number; choice: number[] }[];
};
type PaperEntry = { registrationId: number; seatNo: number; paperHash: string | null; paper: Paper | null };
type ResultRow = {
  registration_id: number;
  score: number;
  max_score: number;
  passed: number;
  correct_count: number;
  paper_hash: string;
  answers_hash: string;
};

/**
 * Verifies a session archive offline: signature, every entry's hash, event-chain continuity and signed heads,
 * answers against the chain, papers re-derived from the seal, and every score recomputed. Each failed check
 * names the entry or record that failed. With no public key given, the key inside the archive is used and
 * that is reported as a gap: only a key obtained separately proves who signed.
 */
export function verifyArchive(bytes: Uint8Array, publicKey: KeyObject | string | null): ArchiveVerdict {
  const checks: ArchiveCheck[] = [];
  const gaps: string[] = [];
  const add = (name: string, ok: boolean, detail?: string) => checks.push({ name, ok, ...(detail ? { detail } : {}) });
  const finish = (): ArchiveVerdict => ({
    ok: checks.every((c) => c.ok),
    checks,
    failures: checks.filter((c) => !c.ok).map((c) => `${c.name}: ${c.detail ?? 'failed'}`),
    gaps,
  });

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
      gaps.push(
        'no --pubkey given: verified with the public key inside the archive; compare its fingerprint with the institution’s published one',
      );
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

  // Answers against the chain: each save's choice hash was logged when it was made.
  const saved = new Map<string, string>();
  for (const e of sessionEvents)
    for (const a of savedAnswers(e)) saved.set(`${a.registrationId}:${a.seq}`, a.choiceHash);
  const papers = new Map<number, PaperEntry>();
  const answers = new Map<number, Answers>();
  const admission = new Map<number, string>();
  const badAnswers: string[] = [];
  for (const path of Object.keys(files).filter((p) => p.startsWith('answers/'))) {
    const a = parse<Answers>(path);
    if (!a) continue;
    answers.set(a.registrationId, a);
    admission.set(a.registrationId, path.slice('answers/'.length, -'.json'.length));
    for (const h of a.history) {
      const logged = saved.get(`${a.registrationId}:${h.seq}`);
      if (logged !== sha256Hex(JSON.stringify(h.choice))) badAnswers.push(`${path} save #${h.seq}`);
    }
    const latest = new Map<number, { seq: number; choice: number[] }>();
    for (const h of a.history) if ((latest.get(h.position)?.seq ?? -1) < h.seq) latest.set(h.position, h);
    for (const f of a.final)
      if (canonicalJson(latest.get(f.position)?.choice) !== canonicalJson(f.choice))
        badAnswers.push(`${path} final answer ${f.position}`);
  }
  add(
    'answers',
    badAnswers.length === 0,
    badAnswers.length
      ? `answers differ from the logged saves: ${short(badAnswers)}`
      : `${answers.size} candidates' answers match the chain`,
  );
  for (const path of Object.keys(files).filter((p) => p.startsWith('papers/'))) {
    const p = parse<PaperEntry>(path);
    if (p) papers.set(p.registrationId, p);
  }

  // Papers re-derived from the seal (seed + bank version + blueprint), against the signed commitments.
  const sealText = text(entry.sealManifest);
  const session = parse<{ blueprint: { body: unknown; fingerprint: string } | null }>(entry.session);
  if (!sealText) gaps.push('no seal in this archive: papers cannot be re-derived');
  else {
    try {
      const seal = sealManifestSchema.parse(JSON.parse(sealText));
      const sealSig = verifyInstitutionSignature(
        key,
        sealText,
        Buffer.from((text(entry.sealSignature) ?? '').trim(), 'base64'),
      );
      add(
        'seal-signature',
        sealSig,
        sealSig
          ? 'seal manifest signed by the institution'
          : `${entry.sealSignature}: does not verify over ${entry.sealManifest}`,
      );
      const seedHex = text(entry.sealSeed)?.trim();
      const items = parse<HashedItem[]>(entry.bankItems) ?? [];
      const blueprint = session?.blueprint ? blueprintSchema.safeParse(session.blueprint.body) : null;
      if (!seedHex) gaps.push('seed not disclosed in the archive: papers not re-derived');
      else if (!blueprint?.success || seal.drawAlgorithm !== DRAW_ALGORITHM)
        add('papers-rederive', false, 'blueprint missing or unknown draw algorithm');
      else {
        const seed = Buffer.from(seedHex, 'hex');
        const inputs = [
          seedHash(seed) !== seal.seedHash ? `${entry.sealSeed}: hash differs from the seal` : '',
          versionFingerprint(items) !== seal.bankVersion.fingerprint
            ? `${entry.bankItems}: bank version fingerprint differs from the seal`
            : '',
          sha256Hex(canonicalJson(blueprint.data)) !== seal.blueprint.fingerprint
            ? `${entry.session}: blueprint differs from the seal`
            : '',
        ].filter(Boolean);
        if (inputs.length) add('papers-rederive', false, inputs.join('; '));
        else {
          const derived = drawSessionSync(blueprint.data, items, seed, seal.papers).papers;
          const badP: string[] = [];
          for (const sp of seal.papers) {
            const canon = canonicalJson(derived.get(sp.registrationId));
            const archived = papers.get(sp.registrationId);
            if (paperCommitment(seed, sp.registrationId, canon) !== sp.commitment)
              badP.push(`${sp.admissionNo} (commitment)`);
            else if (!archived || canonicalJson(archived.paper) !== canon) badP.push(entry.paper(sp.admissionNo));
          }
          add(
            'papers-rederive',
            badP.length === 0,
            badP.length
              ? `papers differ from the seal: ${short(badP)}`
              : `${seal.papers.length} papers re-derived from seed, bank version and blueprint`,
          );
        }
      }
    } catch {
      add('seal', false, `${entry.sealManifest}: not a valid seal manifest`);
    }
  }

  // Every score recomputed from the archived paper (with its key) and final answers.
  const results = parse<ResultRow[]>(entry.results) ?? [];
  const bp = session?.blueprint ? blueprintSchema.safeParse(session.blueprint.body) : null;
  if (!bp?.success) add('scores', false, `${entry.session}: blueprint missing, scores cannot be recomputed`);
  else {
    const badS: string[] = [];
    const recorded = new Map<number, Record<string, unknown>>();
    for (const e of sessionEvents)
      if (e.type === 'result.recorded') recorded.set(Number(e.payload.registrationId), e.payload);
    for (const r of results) {
      const p = papers.get(r.registration_id);
      const a = answers.get(r.registration_id);
      const who = admission.get(r.registration_id) ?? `registration ${r.registration_id}`;
      if (!p?.paper || !a) {
        badS.push(`${who} (paper or answers missing)`);
        continue;
      }
      let re: ReturnType<typeof recomputeResult>;
      try {
        re = recomputeResult(
          p.paper,
          a.final.map((f) => ({ position: f.position, choice: f.choice })),
          bp.data.multiScoring,
          bp.data.passMark,
        );
      } catch (err) {
        badS.push(`${who}: cannot recompute (${(err as Error).message})`);
        continue;
      }
      const paperHash = sha256Hex(canonicalJson(p.paper));
      const ev = recorded.get(r.registration_id);
      if (re.score !== r.score || re.passed !== (r.passed === 1) || re.correctCount !== r.correct_count)
        badS.push(`${who}: recorded ${r.score}, recomputed ${re.score}`);
      else if (re.answersHash !== r.answers_hash) badS.push(`${who}: answers hash differs`);
      else if (paperHash !== r.paper_hash) badS.push(`${who}: paper hash differs`);
      else if (ev && (ev.score !== r.score || ev.answersHash !== r.answers_hash))
        badS.push(`${who}: result differs from its result.recorded event`);
    }
    add(
      'scores',
      badS.length === 0,
      badS.length
        ? `${entry.results}: ${short(badS)}`
        : `${results.length} scores recompute from answers and sealed keys`,
    );
  }

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
  for (const g of v.gaps) lines.push(`  ! ${g}`);
  lines.push(
    v.ok
      ? '结论 VERDICT: 完整可信 VALID — every check passed'
      : `结论 VERDICT: 校验失败 INVALID — ${v.failures.length} check(s) failed`,
  );
  return lines.join('\n');
}
