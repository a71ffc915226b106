import { unzipSync } from 'fflate';
import { entry, PUBLIC_KEY_ENTRY } from '../../audit/archive-format';
import { publicKeyFingerprint } from '../../shared/institution-key';
import type { AnomalyInsert, ResultUpdate, SittingUpsert, StaffDuty } from './intake.repo';

/** What the regulator indexes from one archive (audit/archive.build.ts writes these entries). */
export type ArchiveIndex = {
  session: {
    code: string | null;
    name: string | null;
    category: string | null;
    state: string | null;
    scheduledStart: number | null;
    durationMinutes: number | null;
  };
  sittings: SittingUpsert[];
  results: ResultUpdate[];
  staff: StaffDuty[];
  anomalies: AnomalyInsert[];
  embeddedFingerprint: string | null;
};

type Row = Record<string, unknown>;
const str = (v: unknown): string | null => (typeof v === 'string' && v.length ? v : null);
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

// Only the entries indexed: media and answers are not inflated a second time (the verifier already read them).
const WANTED = new Set<string>([
  entry.session,
  entry.roster,
  entry.staff,
  entry.results,
  entry.corrections,
  entry.incidents,
  entry.identityChecks,
  entry.delivery,
  PUBLIC_KEY_ENTRY,
]);

/**
 * Reads the records the one view needs. Runs after verification; an entry that is missing or unreadable gives
 * nothing (the verdict already says why), never an exception: the link message must still be consumed.
 */
export function indexArchive(bytes: Uint8Array): ArchiveIndex {
  let files: Record<string, Uint8Array> = {};
  try {
    files = unzipSync(bytes, { filter: (f) => WANTED.has(f.name) });
  } catch {
    files = {};
  }
  const parse = <T>(path: string, fallback: T): T => {
    const b = files[path];
    if (!b) return fallback;
    try {
      return JSON.parse(Buffer.from(b).toString('utf8')) as T;
    } catch {
      return fallback;
    }
  };
  const session = parse<Row>(entry.session, {});
  const roster = parse<Row[]>(entry.roster, []);
  const byRegistration = new Map<number, { idNumber: string; name: string }>();
  const sittings: SittingUpsert[] = [];
  for (const r of Array.isArray(roster) ? roster : []) {
    const idNumber = str(r.id_number);
    const name = str(r.name);
    const reg = num(r.registration_id);
    if (!idNumber || !name) continue;
    if (reg !== null) byRegistration.set(reg, { idNumber, name });
    sittings.push({ idNumber, name, trainingOrgName: str(r.training_org), trainingOrgCredit: null });
  }
  const who = (reg: unknown) => (typeof reg === 'number' ? byRegistration.get(reg) : undefined);

  // The current result: the graded one, then each correction in order (issue 13: corrections are appended).
  const current = new Map<number, ResultUpdate>();
  for (const r of asRows(parse<unknown>(entry.results, []))) {
    const p = who(r.registration_id);
    const score = num(r.score);
    const max = num(r.max_score);
    if (p && score !== null && max !== null)
      current.set(Number(r.registration_id), { idNumber: p.idNumber, score, maxScore: max, passed: r.passed === 1 });
  }
  for (const c of asRows(parse<unknown>(entry.corrections, []))) {
    const prev = current.get(Number(c.registration_id));
    const score = num(c.new_score);
    if (prev && score !== null) current.set(Number(c.registration_id), { ...prev, score, passed: c.new_passed === 1 });
  }

  const staffEntry = parse<Row>(entry.staff, {});
  const staff: StaffDuty[] = [];
  for (const a of asRows(staffEntry.assignments)) {
    // Older centres archive no staff ID number: those duties are known from session notices only.
    const idNumber = str(a.id_number);
    const name = str(a.name);
    const duty = str(a.duty);
    if (idNumber && name && duty) staff.push({ idNumber, name, duty });
  }

  const anomalies: AnomalyInsert[] = [];
  const anomaly = (kind: string, reg: unknown, detail: string, at: unknown) => {
    const p = who(reg);
    anomalies.push({
      source: 'archive',
      kind,
      idNumber: p?.idNumber ?? null,
      name: p?.name ?? null,
      detail: detail.slice(0, 500),
      at: num(at),
    });
  };
  for (const i of asRows(parse<unknown>(entry.incidents, [])))
    anomaly(`incident:${str(i.type) ?? 'other'}`, i.registration_id, str(i.note) ?? '', i.at);
  for (const c of asRows(parse<unknown>(entry.identityChecks, [])))
    if (c.outcome !== 'pass')
      anomaly(`identity-check:${str(c.outcome) ?? '?'}`, c.registration_id, str(c.note) ?? '', c.at);
  const delivery = parse<Row>(entry.delivery, {});
  for (const l of asRows(delivery.lateAnswers))
    anomaly('late-answer', l.registration_id, `position ${String(l.position ?? '?')}`, l.at ?? l.received_at);
  for (const x of asRows(staffEntry.integrityExceptions))
    anomalies.push({
      source: 'archive',
      kind: 'integrity-exception',
      idNumber: null,
      name: null,
      detail: (str(x.reason) ?? str(x.rule) ?? '').slice(0, 500),
      at: num(x.created_at),
    });

  let embeddedFingerprint: string | null = null;
  const pem = files[PUBLIC_KEY_ENTRY];
  if (pem)
    try {
      embeddedFingerprint = publicKeyFingerprint(Buffer.from(pem).toString('utf8'));
    } catch {
      embeddedFingerprint = null;
    }

  return {
    session: {
      code: str(session.code),
      name: str(session.name),
      category: str(session.category),
      state: str(session.state),
      scheduledStart: num(session.scheduled_start),
      durationMinutes: num(session.duration_minutes),
    },
    sittings,
    results: [...current.values()],
    staff,
    anomalies,
    embeddedFingerprint,
  };
}

const asRows = (v: unknown): Row[] =>
  Array.isArray(v) ? v.filter((x): x is Row => typeof x === 'object' && x !== null) : [];
