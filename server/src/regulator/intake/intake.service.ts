import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { verifyArchive } from '../../audit/archive.verify';
import type { Db } from '../../db/open';
import { dayOf } from '../../integrity/dates';
import type { ArchiveVerdict, LinkMessageBody } from '../../protocol';
import { sha256Hex } from '../../shared/canonical-json';
import type { LinkCentre } from '../regulator-deps';
import { StaleExceptionsRepo } from '../stale-exceptions.repo';
import { indexArchive } from './archive-index';
import { checkPeople } from './checks.service';
import { IntakeRepo, type SessionRow } from './intake.repo';
import { TrainersRepo } from './trainers.repo';

/** Where intake happens: in the link transaction that records the message's seq (regulator/link.service.ts). */
export type IntakeContext = {
  db: Db;
  centre: LinkCentre;
  receivedAt: number;
  via: 'link' | 'bundle';
  seq: number;
};

export type IntakeOptions = {
  /** <regdata>; without it (tests) the archive is verified and indexed but not written to disk. */
  regDataDir?: string;
  /** The regulator's X25519 private key: opens the sealed part, so the draw and every score are proved. */
  encPrivatePem: string;
};

/** A session notice: the session, its candidates (with training organisation) and staff, before any archive. */
export function intakeSessionNotice(ctx: IntakeContext, body: LinkMessageBody<'session.notice'>): SessionRow {
  const repo = new IntakeRepo(ctx.db);
  const known = repo.session(ctx.centre.id, body.sessionCode);
  const id = repo.upsertSession({
    centre_id: ctx.centre.id,
    session_code: body.sessionCode,
    name: known?.name ?? null,
    category: body.category,
    state: body.state,
    scheduled_start: body.scheduledStart,
    scheduled_end: body.scheduledEnd,
    exam_date: dayOf(body.scheduledStart),
    last_notice_at: ctx.receivedAt,
  });
  const session = repo.sessionById(id) as SessionRow;
  repo.upsertSittings(
    session,
    body.candidates.map((c) => ({
      idNumber: c.idNumber,
      name: c.name,
      trainingOrgName: c.trainingOrg?.name ?? null,
      trainingOrgCredit: c.trainingOrg?.creditCode ?? null,
    })),
  );
  repo.replaceStaff(session, body.staff);
  // Where each person declared teaching; absent (an older centre) leaves what that centre said before.
  const trainers = new TrainersRepo(ctx.db);
  for (const s of body.staff)
    if (s.trainingEngagements) trainers.replaceEngagements(ctx.centre.id, s, s.trainingEngagements, ctx.receivedAt);
  checkPeople(
    ctx.db,
    [...body.candidates.map((c) => c.idNumber), ...body.staff.map((s) => s.idNumber)],
    ctx.receivedAt,
  );
  return session;
}

/** The centre opened a session on a stale ban list: kept for officials and shown on the session. */
export function intakeStaleException(ctx: IntakeContext, body: LinkMessageBody<'stale-list.exception'>): void {
  new StaleExceptionsRepo(ctx.db).insert(ctx.centre.id, body, ctx.receivedAt, ctx.via);
}

/**
 * An archive: re-hashed against the signed message, verified against the centre's PINNED key (never the one
 * inside the archive), stored, and indexed. A bad archive is still consumed: its verdict is recorded and the
 * officials see it; only what verified (VALID or INCOMPLETE) feeds the index.
 */
export function intakeArchive(
  ctx: IntakeContext,
  body: LinkMessageBody<'archive.submitted'>,
  opts: IntakeOptions,
): { archiveId: number; verdict: ArchiveVerdict } {
  const repo = new IntakeRepo(ctx.db);
  const centre = repo.centre(ctx.centre.id);
  if (!centre) throw new Error(`centre ${ctx.centre.id} not registered`); // the link only delivers registered centres
  const bytes = Buffer.from(body.bytes, 'base64');
  const sha256 = sha256Hex(bytes);
  const shaOk = sha256 === body.sha256;
  const verdict = verifyArchive(bytes, centre.public_key_pem, { regulatorKey: opts.encPrivatePem });
  if (!shaOk) {
    verdict.checks.unshift({
      name: 'message-sha256',
      ok: false,
      detail: `the bytes hash to ${sha256.slice(0, 16)}…, the signed message says ${body.sha256.slice(0, 16)}…`,
    });
    verdict.failures.unshift('message-sha256: bytes differ from the hash the centre signed');
    verdict.status = 'INVALID';
    verdict.ok = false;
  }
  const index = indexArchive(bytes);

  let session = repo.session(ctx.centre.id, body.sessionCode);
  const start = index.session.scheduledStart;
  if (!session && start !== null && index.session.category) {
    // No notice came first (a centre linked late, or a bundle): the archive itself says when the session was.
    const id = repo.upsertSession({
      centre_id: ctx.centre.id,
      session_code: body.sessionCode,
      name: index.session.name,
      category: index.session.category,
      state: index.session.state ?? 'archived',
      scheduled_start: start,
      scheduled_end: start + (index.session.durationMinutes ?? 0) * 60_000,
      exam_date: dayOf(start),
      last_notice_at: null,
    });
    session = repo.sessionById(id);
  }

  const safeCode = body.sessionCode.replace(/[^\w.-]+/g, '_');
  const rel = join('archives', centre.code, `${safeCode}-${sha256.slice(0, 8)}.zip`);
  if (opts.regDataDir) {
    mkdirSync(join(opts.regDataDir, 'archives', centre.code), { recursive: true, mode: 0o750 });
    // Named by content: the same archive twice is the same file.
    writeFileSync(join(opts.regDataDir, rel), bytes, { mode: 0o640 });
  }
  const archiveId = repo.insertArchive({
    centreId: centre.id,
    sessionId: session?.id ?? null,
    sessionCode: body.sessionCode,
    fileName: body.fileName,
    storedPath: opts.regDataDir ? rel : '',
    sha256,
    sha256MatchesMessage: shaOk,
    size: bytes.byteLength,
    status: verdict.status,
    reportJson: JSON.stringify({ checks: verdict.checks, failures: verdict.failures, gaps: verdict.gaps }),
    verifiedFingerprint: centre.fingerprint,
    embeddedFingerprint: index.embeddedFingerprint,
    embeddedMatchesPin: index.embeddedFingerprint === centre.fingerprint,
    receivedAt: ctx.receivedAt,
    via: ctx.via,
    seq: ctx.seq,
  });
  if (session) {
    repo.setSessionArchive(session.id, archiveId);
    if (verdict.status !== 'INVALID') {
      repo.upsertSittings(session, index.sittings);
      repo.setResults(session.id, index.results);
      if (index.staff.length) repo.replaceStaff(session, index.staff);
      repo.replaceAnomalies(session.id, 'archive', index.anomalies);
      // Staff too: new candidates in a session can make its staff a trainer of theirs (考培分离 across centres).
      checkPeople(
        ctx.db,
        [...index.sittings.map((s) => s.idNumber), ...index.staff.map((s) => s.idNumber)],
        ctx.receivedAt,
      );
    } else
      repo.replaceAnomalies(session.id, 'archive', [
        {
          source: 'archive',
          kind: 'archive-invalid',
          idNumber: null,
          name: null,
          detail: verdict.failures.join('; ').slice(0, 500),
          at: ctx.receivedAt,
        },
      ]);
  }
  return { archiveId, verdict };
}
