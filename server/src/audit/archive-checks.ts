import type { KeyObject } from 'node:crypto';
import type { ArchiveGapCode } from '../protocol';
import { blueprintSchema } from '../bank/blueprint';
import { versionFingerprint } from '../bank/bank-format';
import { answersHash, recomputeResult } from '../grading/score';
import type { Paper } from '../papers/draw';
import { paperCommitment, seedHash } from '../papers/seal-crypto';
import { sealManifestSchema } from '../papers/seal-manifest';
import { DRAW_ALGORITHM, drawSessionSync } from '../papers/session-draw';
import { canonicalJson, sha256Hex } from '../shared/canonical-json';
import { verifyInstitutionSignature } from '../shared/institution-key';
import { savedAnswers } from './answer-events';
import { entry } from './archive-format';
import { openConfidential, sealedEntrySchema, type ConfidentialContent } from './archive-sealed';
import type { StoredEvent } from './events.repo';

/** What the archive verifier hands each group of checks (archive.verify.ts). */
export type CheckContext = {
  files: Record<string, Uint8Array>;
  text(path: string): string | null;
  parse<T>(path: string): T | null;
  add(name: string, ok: boolean, detail?: string): void;
  /** A check that could not be made: the verdict becomes INCOMPLETE, never VALID (issue 13). */
  gap(code: ArchiveGapCode, reason: string): void;
  key: KeyObject;
  sessionId: number;
  sessionEvents: StoredEvent[];
};

export const short = (xs: (string | number)[]) =>
  xs.length > 6 ? `${xs.slice(0, 6).join(', ')} … (${xs.length})` : xs.join(', ');

type Choice = { position: number; choice: number[]; seq: number };
export type Answers = { registrationId: number; final: Choice[]; history: Choice[] };
type ResultRow = {
  registration_id: number;
  score: number;
  max_score: number;
  passed: number;
  correct_count: number;
  paper_hash: string;
  answers_hash: string;
};
type CorrectionRow = {
  id: number;
  registration_id: number;
  kind: string;
  new_score: number;
  new_passed: number;
  new_correct_count: number;
  paper_hash: string;
  answers_hash: string;
  reason: string;
};

const choiceHash = (choice: number[]) => sha256Hex(JSON.stringify(choice));

/**
 * Answers against the chain in both directions (issue 13, hole 5): every archived save was logged with its
 * choice hash, every logged save is in the archive, and each question's final answer is the chain's last save.
 */
export function checkAnswers(ctx: CheckContext): { answers: Map<number, Answers>; admission: Map<number, string> } {
  const logged = new Map<number, Map<number, { position: number; hash: string }>>();
  for (const e of ctx.sessionEvents)
    for (const a of savedAnswers(e)) {
      const m = logged.get(a.registrationId) ?? new Map<number, { position: number; hash: string }>();
      m.set(a.seq, { position: a.position, hash: a.choiceHash });
      logged.set(a.registrationId, m);
    }
  const answers = new Map<number, Answers>();
  const admission = new Map<number, string>();
  const bad: string[] = [];
  for (const path of Object.keys(ctx.files).filter((p) => p.startsWith('answers/'))) {
    const a = ctx.parse<Answers>(path);
    if (!a) continue;
    answers.set(a.registrationId, a);
    admission.set(a.registrationId, path.slice('answers/'.length, -'.json'.length));
    const onChain = logged.get(a.registrationId) ?? new Map<number, { position: number; hash: string }>();
    const archived = new Set<number>();
    for (const h of a.history) {
      archived.add(h.seq);
      const l = onChain.get(h.seq);
      if (!l || l.hash !== choiceHash(h.choice) || l.position !== h.position)
        bad.push(`${path} save #${h.seq} is not on the chain as archived`);
    }
    for (const seq of onChain.keys())
      if (!archived.has(seq)) bad.push(`${path} save #${seq} on the chain is not in the archive`);
    const last = new Map<number, { seq: number; hash: string }>();
    for (const [seq, l] of onChain)
      if ((last.get(l.position)?.seq ?? -1) < seq) last.set(l.position, { seq, hash: l.hash });
    const finals = new Set<number>();
    for (const f of a.final) {
      finals.add(f.position);
      const l = last.get(f.position);
      if (!l) bad.push(`${path} final answer ${f.position} has no save on the chain`);
      else if (l.hash !== choiceHash(f.choice) || l.seq !== f.seq)
        bad.push(`${path} final answer ${f.position} differs from the chain's last save #${l.seq}`);
    }
    for (const [position, l] of last)
      if (!finals.has(position)) bad.push(`${path} question ${position}: last save #${l.seq} has no final answer`);
  }
  for (const registrationId of logged.keys())
    if (!answers.has(registrationId)) bad.push(`registration ${registrationId}: saves on the chain, no answers file`);
  ctx.add(
    'answers',
    bad.length === 0,
    bad.length
      ? `answers differ from the logged saves: ${short(bad)}`
      : `${answers.size} candidates' answers match the chain both ways, final answers = last saves`,
  );
  return { answers, admission };
}

/** The part encrypted to the regulator (archive-format.ts), when the regulator's private key is given. */
export function openSealedPart(ctx: CheckContext, regulatorKey: KeyObject | string | null): ConfidentialContent | null {
  const raw = ctx.parse<unknown>(entry.confidential);
  if (!raw) {
    ctx.gap('sealed-part-missing', `${entry.confidential} missing: the draw and the scores cannot be checked`);
    return null;
  }
  const parsed = sealedEntrySchema.safeParse(raw);
  if (!parsed.success || parsed.data.sessionId !== ctx.sessionId) {
    ctx.add('confidential', false, `${entry.confidential}: not a sealed part of this session`);
    return null;
  }
  if (!regulatorKey) {
    ctx.gap(
      'no-regulator-key',
      'no regulator key (--regulator-key): items and answer keys are encrypted to the regulator, so the draw ' +
        '(papers re-derived from the seal) and the scores (recomputed from the keys) were not checked',
    );
    return null;
  }
  const opened = openConfidential(parsed.data, regulatorKey);
  if (!opened.ok) {
    if (/another regulator key|not X25519|not a readable/.test(opened.reason))
      ctx.gap(
        'other-regulator-key',
        `${entry.confidential}: ${opened.reason}: the draw and the scores were not checked`,
      );
    else ctx.add('confidential', false, `${entry.confidential}: ${opened.reason}`);
    return null;
  }
  ctx.add('confidential', true, `${entry.confidential} opened with the regulator key`);
  return opened.content;
}

type PaperEntry = { registrationId: number; paperHash: string | null };

/** Papers re-derived from the seal (seed + bank version + blueprint) against the signed commitments. */
export function checkPapers(ctx: CheckContext, conf: ConfidentialContent | null): void {
  const papers = new Map<number, PaperEntry>();
  for (const path of Object.keys(ctx.files).filter((p) => p.startsWith('papers/'))) {
    const p = ctx.parse<PaperEntry>(path);
    if (p) papers.set(p.registrationId, p);
  }
  const sealText = ctx.text(entry.sealManifest);
  if (!sealText) return ctx.gap('seal-missing', 'no seal in this archive: papers cannot be re-derived');
  const session = ctx.parse<{ blueprint: { body: unknown } | null }>(entry.session);
  const sealParsed = (() => {
    try {
      return sealManifestSchema.parse(JSON.parse(sealText));
    } catch {
      return null;
    }
  })();
  if (!sealParsed) return ctx.add('seal', false, `${entry.sealManifest}: not a valid seal manifest`);
  const seal = sealParsed;
  const sealSig = verifyInstitutionSignature(
    ctx.key,
    sealText,
    Buffer.from((ctx.text(entry.sealSignature) ?? '').trim(), 'base64'),
  );
  ctx.add(
    'seal-signature',
    sealSig,
    sealSig
      ? 'seal manifest signed by the institution'
      : `${entry.sealSignature}: does not verify over ${entry.sealManifest}`,
  );
  const seedHex = ctx.text(entry.sealSeed)?.trim();
  if (!seedHex) return ctx.gap('seed-missing', 'seed not disclosed in the archive: papers not re-derived');
  const seed = Buffer.from(seedHex, 'hex');
  if (seedHash(seed) !== seal.seedHash)
    return ctx.add('papers-rederive', false, `${entry.sealSeed}: hash differs from the seal`);
  if (!conf) return; // the gap was reported when the sealed part could not be opened
  const blueprint = session?.blueprint ? blueprintSchema.safeParse(session.blueprint.body) : null;
  if (!blueprint?.success || seal.drawAlgorithm !== DRAW_ALGORITHM)
    return ctx.add('papers-rederive', false, 'blueprint missing or unknown draw algorithm');
  const inputs = [
    versionFingerprint(conf.bankItems) !== seal.bankVersion.fingerprint
      ? `${entry.confidential}: bank version fingerprint differs from the seal`
      : '',
    sha256Hex(canonicalJson(blueprint.data)) !== seal.blueprint.fingerprint
      ? `${entry.session}: blueprint differs from the seal`
      : '',
  ].filter(Boolean);
  if (inputs.length) return ctx.add('papers-rederive', false, inputs.join('; '));
  const derived = drawSessionSync(blueprint.data, conf.bankItems, seed, seal.papers).papers;
  const archived = new Map(conf.papers.map((p) => [p.registrationId, p.paper]));
  const badP: string[] = [];
  for (const sp of seal.papers) {
    const canon = canonicalJson(derived.get(sp.registrationId));
    if (paperCommitment(seed, sp.registrationId, canon) !== sp.commitment) badP.push(`${sp.admissionNo} (commitment)`);
    else if (canonicalJson(archived.get(sp.registrationId)) !== canon) badP.push(`${sp.admissionNo} (sealed paper)`);
    else if (papers.get(sp.registrationId)?.paperHash !== sha256Hex(canon)) badP.push(entry.paper(sp.admissionNo));
  }
  ctx.add(
    'papers-rederive',
    badP.length === 0,
    badP.length
      ? `papers differ from the seal: ${short(badP)}`
      : `${seal.papers.length} papers re-derived from seed, bank version and blueprint`,
  );
}

/**
 * Results (issue 13, hole 6): every submitted registration has a result; every correction has its chained
 * result.corrected event with the same values and reason (and every such event its correction); the score in
 * force (latest correction, else the result — what the score sheet and the regulator export show) was graded
 * on the chain's final answers and, with the regulator key, recomputes from the sealed paper.
 */
export function checkResults(
  ctx: CheckContext,
  conf: ConfidentialContent | null,
  answers: Map<number, Answers>,
  admission: Map<number, string>,
): void {
  const results = ctx.parse<ResultRow[]>(entry.results) ?? [];
  const corrections = ctx.parse<CorrectionRow[]>(entry.corrections) ?? [];
  const who = (id: number) => admission.get(id) ?? `registration ${id}`;
  const bad: string[] = [];

  const resultOf = new Map(results.map((r) => [r.registration_id, r]));
  const submitted = new Set<number>();
  for (const e of ctx.sessionEvents)
    if (e.type === 'attempt.submitted') submitted.add(Number(e.payload.registrationId));
  const controls = ctx.parse<{ attempts?: { registration_id: number; submitted_at: number | null }[] }>(entry.delivery);
  for (const a of controls?.attempts ?? []) if (a.submitted_at !== null) submitted.add(a.registration_id);
  for (const id of submitted)
    if (!resultOf.has(id)) bad.push(`${entry.results}: ${who(id)} submitted but has no result`);

  const corrected = new Map<number, Record<string, unknown>>();
  for (const e of ctx.sessionEvents)
    if (e.type === 'result.corrected') corrected.set(Number(e.payload.correctionId), e.payload);
  const inForce = new Map<number, CorrectionRow>();
  for (const c of [...corrections].sort((x, y) => x.id - y.id)) {
    const ev = corrected.get(c.id);
    const evNew = ev?.new as { score?: number; passed?: boolean } | undefined;
    if (
      !ev ||
      Number(ev.registrationId) !== c.registration_id ||
      ev.kind !== c.kind ||
      evNew?.score !== c.new_score ||
      evNew.passed !== (c.new_passed === 1) ||
      ev.answersHash !== c.answers_hash ||
      typeof ev.reason !== 'string' ||
      ev.reason !== c.reason ||
      c.reason.trim().length < 4
    )
      bad.push(
        `${entry.corrections}: correction #${c.id} (${who(c.registration_id)}) has no matching result.corrected event with its reason`,
      );
    else if (!resultOf.has(c.registration_id)) bad.push(`${entry.corrections}: correction #${c.id} corrects no result`);
    corrected.delete(c.id);
    inForce.set(c.registration_id, c);
  }
  for (const id of corrected.keys())
    bad.push(`result.corrected event for correction #${id} missing from ${entry.corrections}`);

  const recorded = new Map<number, Record<string, unknown>>();
  for (const e of ctx.sessionEvents)
    if (e.type === 'result.recorded') recorded.set(Number(e.payload.registrationId), e.payload);
  for (const id of recorded.keys())
    if (!resultOf.has(id)) bad.push(`${entry.results}: ${who(id)} has a result.recorded event but no result`);
  const bp = ctx.parse<{ blueprint: { body: unknown } | null }>(entry.session)?.blueprint;
  const blueprint = bp ? blueprintSchema.safeParse(bp.body) : null;
  const paperOf = new Map((conf?.papers ?? []).map((p) => [p.registrationId, p.paper] as [number, Paper]));
  let recomputed = 0;
  for (const r of results) {
    const a = answers.get(r.registration_id);
    const c = inForce.get(r.registration_id);
    const ev = recorded.get(r.registration_id);
    if (!a) {
      bad.push(`${who(r.registration_id)}: answers missing`);
      continue;
    }
    // Grading logs every result it writes (grading.service.ts): a result without its event was not graded here.
    if (!ev) bad.push(`${entry.results}: ${who(r.registration_id)}: no result.recorded event on the chain`);
    else if (ev.score !== r.score || ev.answersHash !== r.answers_hash)
      bad.push(`${entry.results}: ${who(r.registration_id)}: result differs from its result.recorded event`);
    const finalHash = answersHash(a.final.map((f) => ({ position: f.position, choice: f.choice })));
    const gradedHash = c && c.kind !== 'cancel' ? c.answers_hash : r.answers_hash;
    if (gradedHash !== finalHash) bad.push(`${who(r.registration_id)}: graded answers differ from the final answers`);
    if (c?.kind === 'cancel' && (c.new_score !== 0 || c.new_passed !== 0))
      bad.push(`${who(r.registration_id)}: a cancelled result must score 0`);
    const paper = paperOf.get(r.registration_id);
    if (!conf || !blueprint?.success) continue;
    if (!paper) {
      bad.push(`${who(r.registration_id)}: paper missing from ${entry.confidential}`);
      continue;
    }
    const re = recomputeResult(
      paper,
      a.final.map((f) => ({ position: f.position, choice: f.choice })),
      blueprint.data.multiScoring,
      blueprint.data.passMark,
    );
    recomputed++;
    const paperHash = sha256Hex(canonicalJson(paper));
    const score = c ? c.new_score : r.score;
    const passed = c ? c.new_passed : r.passed;
    if (paperHash !== r.paper_hash) bad.push(`${who(r.registration_id)}: paper hash differs`);
    else if (c?.kind === 'cancel') continue;
    else if (re.score !== score || re.passed !== (passed === 1))
      bad.push(
        `${entry.results}: ${who(r.registration_id)}: ${c ? 'score in force' : 'recorded'} ${score}, recomputed ${re.score}`,
      );
    else if (!c && re.correctCount !== r.correct_count) bad.push(`${who(r.registration_id)}: correct count differs`);
  }
  if (!blueprint?.success) bad.push(`${entry.session}: blueprint missing, scores cannot be recomputed`);
  else if (!conf && results.length)
    ctx.gap(
      'scores-not-recomputed',
      `${results.length} scores not recomputed: the answer keys are encrypted to the regulator`,
    );
  ctx.add(
    'scores',
    bad.length === 0,
    bad.length
      ? short(bad)
      : `${results.length} results in force match their answers and corrections${conf ? `, ${recomputed} recomputed from the sealed keys` : ''}`,
  );
}
