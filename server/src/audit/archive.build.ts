import type { KeyObject } from 'node:crypto';
import { zipSync, type Zippable } from 'fflate';
import type { HashedItem } from '../bank/bank-format';
import type { Paper } from '../papers/draw';
import { canonicalJson, sha256Hex } from '../shared/canonical-json';
import type { InstitutionKey } from '../shared/institution-key';
import {
  ARCHIVE_FORMAT,
  entry,
  MANIFEST_ENTRY,
  PUBLIC_KEY_ENTRY,
  SIGNATURE_ENTRY,
  type ArchiveManifest,
} from './archive-format';
import { sealConfidential } from './archive-sealed';
import type { SignedHead } from './chain-heads.repo';
import { formatChainLine } from './chain-verify';
import type { StoredEvent } from './events.repo';

type Row = Record<string, unknown>;

export type ArchiveCandidate = {
  registrationId: number;
  admissionNo: string;
  seatNo: number;
  paper: Paper | null;
  paperHash: string | null;
  finalAnswers: { position: number; choice: number[]; seq: number; savedAt: number }[];
  history: { seq: number; position: number; choice: number[]; savedAt: number }[];
};

/** Everything one session's archive holds, gathered by the archive service. */
export type ArchiveContent = {
  session: { id: number; code: string; name: string; category: string; state: string; row: Row };
  blueprint: { id: number; fingerprint: string; body: unknown } | null;
  bankVersion: Row | null;
  /** The exam pool: archived only inside the part encrypted to the regulator (archive-format.ts). */
  bankItems: HashedItem[];
  /** The regulator's X25519 public key, to which the pool and the drawn papers are encrypted. */
  regulatorKey: KeyObject;
  roster: Row[];
  staff: Row;
  seal: { manifest: string; signature: string; seed: string | null; record: Row } | null;
  candidates: ArchiveCandidate[];
  results: Row[];
  corrections: Row[];
  chains: { chain: string; events: StoredEvent[] }[];
  heads: SignedHead[];
  identityChecks: Row[];
  incidents: Row[];
  evidence: { record: Row & { id: number; sha256: string | null }; ext: string; bytes: Uint8Array | null }[];
  deliveryControls: Row;
  videos: { record: Row & { id: number; name: string; sha256: string }; bytes: Uint8Array | null }[];
};

const json = (v: unknown) => Buffer.from(JSON.stringify(v, null, 1) + '\n', 'utf8');
const chainFile = (events: StoredEvent[]) => Buffer.from(events.map(formatChainLine).join('\n') + '\n', 'utf8');

// Fixed timestamps in the container: the same content always gives the same bytes.
const MTIME = new Date(Date.UTC(2000, 0, 1));

/** Builds the signed zip: one self-contained file holding the session's records and a signed manifest. */
export function buildArchive(
  c: ArchiveContent,
  key: InstitutionKey,
  createdAt: number,
  createdBy: string,
): { bytes: Uint8Array; manifest: ArchiveManifest; manifestHash: string } {
  const files = new Map<string, Uint8Array>();
  const stored = new Set<string>(); // already compressed media: stored, not deflated
  files.set(
    entry.session,
    json({
      ...c.session.row,
      settings: JSON.parse(String(c.session.row.settings ?? '{}')) as unknown,
      blueprint: c.blueprint,
      bankVersion: c.bankVersion,
    }),
  );
  files.set(entry.roster, json(c.roster));
  files.set(entry.staff, json(c.staff));
  if (c.seal) {
    files.set(entry.sealManifest, Buffer.from(c.seal.manifest, 'utf8'));
    files.set(entry.sealSignature, Buffer.from(c.seal.signature, 'utf8'));
    if (c.seal.seed) files.set(entry.sealSeed, Buffer.from(c.seal.seed, 'utf8'));
    files.set(entry.sealRecord, json(c.seal.record));
  }
  // Items and keys (pool and drawn papers) only encrypted to the regulator; each paper's hash stays in the clear.
  files.set(
    entry.confidential,
    json(
      sealConfidential(
        {
          bankItems: c.bankItems,
          papers: c.candidates.flatMap((x) => (x.paper ? [{ registrationId: x.registrationId, paper: x.paper }] : [])),
        },
        c.regulatorKey,
        c.session.id,
      ),
    ),
  );
  for (const cand of c.candidates) {
    files.set(
      entry.paper(cand.admissionNo),
      json({
        registrationId: cand.registrationId,
        seatNo: cand.seatNo,
        paperHash: cand.paperHash,
        questions: cand.paper?.questions.length ?? null,
      }),
    );
    files.set(
      entry.answers(cand.admissionNo),
      json({ registrationId: cand.registrationId, final: cand.finalAnswers, history: cand.history }),
    );
  }
  files.set(entry.results, json(c.results));
  files.set(entry.corrections, json(c.corrections));
  for (const ch of c.chains) files.set(entry.chain(ch.chain), chainFile(ch.events));
  files.set(entry.heads, json(c.heads));
  files.set(entry.identityChecks, json(c.identityChecks));
  files.set(entry.incidents, json(c.incidents));
  files.set(
    entry.evidenceIndex,
    json(c.evidence.map((e) => ({ ...e.record, archived: e.bytes ? entry.evidenceFile(e.record.id, e.ext) : null }))),
  );
  for (const e of c.evidence) {
    if (!e.bytes) continue;
    files.set(entry.evidenceFile(e.record.id, e.ext), e.bytes);
    stored.add(entry.evidenceFile(e.record.id, e.ext));
  }
  files.set(entry.delivery, json(c.deliveryControls));
  files.set(
    entry.videos,
    json(
      c.videos.map((v) => ({ ...v.record, archived: v.bytes ? entry.videoFile(v.record.id, v.record.name) : null })),
    ),
  );
  for (const v of c.videos) {
    if (!v.bytes) continue;
    files.set(entry.videoFile(v.record.id, v.record.name), v.bytes);
    stored.add(entry.videoFile(v.record.id, v.record.name));
  }
  files.set(PUBLIC_KEY_ENTRY, Buffer.from(key.publicKeyPem, 'utf8'));

  const manifest: ArchiveManifest = {
    format: ARCHIVE_FORMAT,
    session: {
      id: c.session.id,
      code: c.session.code,
      name: c.session.name,
      category: c.session.category,
      state: c.session.state,
    },
    createdAt,
    createdBy,
    institutionKey: key.fingerprint,
    entries: [...files].map(([path, bytes]) => ({
      path,
      sha256: sha256Hex(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)),
      size: bytes.byteLength,
    })),
  };
  const manifestText = canonicalJson(manifest);
  const zippable: Zippable = {};
  zippable[MANIFEST_ENTRY] = [Buffer.from(manifestText, 'utf8'), { level: 6, mtime: MTIME }];
  zippable[SIGNATURE_ENTRY] = [
    Buffer.from(key.sign(manifestText).toString('base64'), 'utf8'),
    { level: 0, mtime: MTIME },
  ];
  for (const [path, bytes] of files) zippable[path] = [bytes, { level: stored.has(path) ? 0 : 6, mtime: MTIME }];
  return { bytes: zipSync(zippable), manifest, manifestHash: sha256Hex(manifestText) };
}
