import type { KeyObject } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import { BankRepo } from '../bank/bank.repo';
import { BlueprintsRepo } from '../bank/blueprints.repo';
import type { Db } from '../db/open';
import type { Paper } from '../papers/draw';
import type { ProctoringRepo } from '../proctoring/proctoring.repo';
import { attachedRecordingBytes } from '../proctoring/recordings';
import type { ArchiveInfo, ArchiveVerdict } from '../protocol';
import type { SessionsService } from '../sessions/sessions.service';
import { sha256Hex } from '../shared/canonical-json';
import type { Clock } from '../shared/clock';
import { AppError, notFound } from '../shared/errors';
import type { InstitutionKey } from '../shared/institution-key';
import { buildArchive, type ArchiveContent } from './archive.build';
import { ArchiveRepo } from './archive.repo';
import { verifyArchive } from './archive.verify';
import type { AuditService } from './audit.service';
import { EventsRepo, INSTITUTION_CHAIN, sessionChain } from './events.repo';

export type PaperLookup = (registrationId: number) => { paper: Paper; hash: string } | null;

export type ArchiveSettings = {
  // [analogy] 录像和档案至少保存 3 年 (domain.md, 104号): archives cannot be deleted earlier.
  retentionYears: number;
};
export const defaultArchiveSettings = (): ArchiveSettings => ({ retentionYears: 3 });

const YEAR_MS = 365.25 * 24 * 3600_000;

/** Builds, stores, lists and verifies signed session archives (issue 7). */
export class ArchiveService {
  readonly repo: ArchiveRepo;
  private readonly events: EventsRepo;

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly deps: {
      key: InstitutionKey;
      dataDir: string | null;
      sessions: SessionsService;
      audit: AuditService;
      proctoring: ProctoringRepo;
      paperOf: PaperLookup;
      /** The regulator's X25519 public key (conduct/grants.ts), read when an archive is built. */
      regulatorKey: () => KeyObject | null;
      settings?: ArchiveSettings;
    },
  ) {
    this.repo = new ArchiveRepo(db);
    this.events = new EventsRepo(db);
  }

  get dataDir(): string | null {
    return this.deps.dataDir;
  }

  /** Gathers the session's records; the chain head is signed first so the archive ends on a signed head. */
  collect(sessionId: number): ArchiveContent {
    const row = this.repo.session(sessionId);
    if (!row) throw notFound('session', { sessionId });
    const s = this.deps.sessions.get(sessionId);
    const regulatorKey = this.deps.regulatorKey();
    if (!regulatorKey)
      throw new AppError(
        'regulator-key-missing',
        '没有监管部门的加密公钥（keys/regulator-x25519.pub），不能归档：档案中的题目只能加密给监管部门 / ' +
          "no regulator encryption key: an archive's items and keys can only be encrypted to the regulator",
        409,
      );
    this.db.transaction(() => {
      this.deps.audit.signHead(sessionChain(sessionId), 'archive.build');
      this.deps.audit.signHead(INSTITUTION_CHAIN, `archive.build:session:${sessionId}`);
    })();
    const blueprint = new BlueprintsRepo(this.db).get(s.blueprintId) ?? null;
    const bank = new BankRepo(this.db);
    const roster = this.repo.roster(sessionId);
    const seal = this.repo.latestSeal(sessionId);
    const evidence = this.deps.proctoring.evidenceOfSession(sessionId).map((e) => {
      const path = e.file && this.deps.dataDir ? join(this.deps.dataDir, e.file) : null;
      const bytes = path && existsSync(path) ? readFileSync(path) : null;
      const { file: _file, ...record } = e;
      return { record: { ...record, storedAs: e.file }, ext: e.file ? extname(e.file).slice(1) : 'bin', bytes };
    });
    return {
      session: { id: s.id, code: s.code, name: s.name, category: s.category, state: s.state, row },
      blueprint: blueprint && { id: blueprint.id, fingerprint: blueprint.fingerprint, body: blueprint.body },
      bankVersion:
        (this.db.prepare('SELECT * FROM bank_versions WHERE id = ?').get(s.bankVersionId) as
          Record<string, unknown> | undefined) ?? null,
      bankItems: bank.itemsOfVersion(s.bankVersionId),
      regulatorKey,
      roster,
      staff: this.repo.staff(sessionId),
      seal: seal
        ? {
            manifest: String(seal.manifest),
            signature: String(seal.signature),
            seed: seal.seed ? String(seal.seed) : null,
            // The record without its key material (sealed seed, salt, wrapped key): those stay on the server.
            record: Object.fromEntries(
              Object.entries(seal).filter(([k]) => !['sealed_seed', 'kdf_salt', 'wrapped_key'].includes(k)),
            ),
          }
        : null,
      candidates: roster.map((r) => {
        const registrationId = Number(r.registration_id);
        let found: { paper: Paper; hash: string } | null = null;
        try {
          found = this.deps.paperOf(registrationId);
        } catch {
          found = null;
        }
        return {
          registrationId,
          admissionNo: String(r.admission_no),
          seatNo: Number(r.seat_no),
          paper: found?.paper ?? null,
          paperHash: found?.hash ?? null,
          finalAnswers: this.repo.finalAnswers(registrationId),
          history: this.repo.answerHistory(registrationId),
        };
      }),
      results: this.repo.results(sessionId),
      corrections: this.repo.corrections(sessionId),
      chains: [
        { chain: sessionChain(sessionId), events: this.deps.audit.query.all(sessionChain(sessionId)) },
        { chain: INSTITUTION_CHAIN, events: this.deps.audit.query.all(INSTITUTION_CHAIN) },
      ],
      heads: [...this.deps.audit.heads.list(sessionChain(sessionId)), ...this.deps.audit.heads.list(INSTITUTION_CHAIN)],
      identityChecks: this.deps.proctoring.identityChecksOfSession(sessionId),
      incidents: this.deps.proctoring.incidents(sessionId),
      evidence,
      deliveryControls: {
        attempts: this.repo.attempts(sessionId),
        pauses: this.repo.sessionRows('pauses', sessionId),
        seatMoves: this.repo.seatMoves(sessionId),
        // Saves refused after time-up or submission, kept as evidence (issue 13, hole 8; table from 0010).
        lateAnswers: this.repo.sessionRows('late_answers', sessionId),
      },
      videos: this.deps.proctoring.videos(sessionId).map((v) => ({
        record: { ...v },
        // Re-checked at reading (issue 13): a file swapped for a symlink since it was attached is not carried.
        bytes: v.includeFile ? attachedRecordingBytes(v, this.deps.dataDir) : null,
      })),
    };
  }

  /**
   * Archives a graded session: builds the signed file under <data>/archives/, records it with its
   * retention date and moves the session to 'archived' (whose transition signs the chain head again).
   */
  archive(sessionId: number, actor: string): ArchiveInfo {
    const s = this.deps.sessions.get(sessionId);
    if (s.state !== 'graded')
      throw new AppError('session-not-graded', `只有已评分的场次可以归档（当前：${s.state}）`, 409);
    const now = this.clock.now();
    const built = buildArchive(this.collect(sessionId), this.deps.key, now, actor);
    const name = `${s.code}-${new Date(now).toISOString().replace(/[:.]/g, '-')}.zip`;
    let file = join('archives', name);
    if (this.deps.dataDir) {
      mkdirSync(join(this.deps.dataDir, 'archives'), { recursive: true });
      writeFileSync(join(this.deps.dataDir, file), built.bytes, { flag: 'wx', mode: 0o640 });
    } else file = `(memory)/${name}`;
    const info = {
      sessionId,
      file,
      sha256: sha256Hex(Buffer.from(built.bytes)),
      size: built.bytes.byteLength,
      manifestHash: built.manifestHash,
      keyFingerprint: this.deps.key.fingerprint,
      createdAt: now,
      retainUntil: Math.round(now + (this.deps.settings ?? defaultArchiveSettings()).retentionYears * YEAR_MS),
    };
    const id = this.db.transaction(() => {
      const archiveId = this.repo.insertArchive({ ...info, createdBy: actor });
      this.events.append({
        chain: sessionChain(sessionId),
        at: now,
        actor,
        type: 'archive.created',
        payload: { archiveId, ...info },
      });
      return archiveId;
    })();
    this.deps.sessions.transition(sessionId, 'archived', actor, `archive ${info.sha256.slice(0, 16)}`);
    if (!this.deps.dataDir) this.lastBytes.set(id, built.bytes);
    return { ...info, id, sessionCode: s.code };
  }

  // Archives of an app without a data folder (tests) are kept in memory.
  private readonly lastBytes = new Map<number, Uint8Array>();

  bytesOf(id: number): { info: ArchiveInfo; bytes: Uint8Array } {
    const info = this.repo.archive(id);
    if (!info) throw notFound('archive', { id });
    const mem = this.lastBytes.get(id);
    if (mem) return { info, bytes: mem };
    const path = this.deps.dataDir ? join(this.deps.dataDir, info.file) : null;
    if (!path || !existsSync(path))
      throw new AppError('archive-file-missing', `archive file missing: ${info.file}`, 410);
    return { info, bytes: readFileSync(path) };
  }

  /**
   * The archive file for a download, logged first as a chained 'archive.downloaded' event with who and when
   * (issue 13): an archive leaving the server is an event like any other an official or auditor causes.
   */
  download(id: number, actor: string): { info: ArchiveInfo; bytes: Uint8Array } {
    const found = this.bytesOf(id);
    this.events.append({
      chain: sessionChain(found.info.sessionId),
      at: this.clock.now(),
      actor,
      type: 'archive.downloaded',
      payload: { archiveId: id, file: found.info.file, sha256: found.info.sha256 },
    });
    return found;
  }

  /**
   * Deletes an archive record and its file, which the retention trigger (0006) refuses until retain_until
   * (domain.md: archives kept at least 3 years). The file goes only after the row is gone.
   */
  delete(id: number, actor: string): void {
    const info = this.repo.archive(id);
    if (!info) throw notFound('archive', { id });
    try {
      this.db.transaction(() => {
        this.repo.deleteArchive(id);
        this.events.append({
          chain: sessionChain(info.sessionId),
          at: this.clock.now(),
          actor,
          type: 'archive.deleted',
          payload: { archiveId: id, sha256: info.sha256 },
        });
      })();
    } catch (err) {
      if (err instanceof Error && /retention/.test(err.message))
        throw new AppError(
          'archive-retained',
          `档案保存期至 ${new Date(info.retainUntil).toISOString().slice(0, 10)}，不得删除`,
          409,
          { retainUntil: info.retainUntil },
        );
      throw err;
    }
    if (this.deps.dataDir) rmSync(join(this.deps.dataDir, info.file), { force: true });
    this.lastBytes.delete(id);
  }

  /**
   * Verifies the stored file with the institution's public key, and that it is the file that was recorded.
   * The server never holds the regulator's private key, so this verdict is at best INCOMPLETE: the draw and the
   * scores are proved offline by the regulator (`archive verify --regulator-key`).
   */
  verifyStored(id: number): ArchiveVerdict & { fileHashMatches: boolean } {
    const { info, bytes } = this.bytesOf(id);
    const verdict = verifyArchive(bytes, this.deps.key.publicKey);
    const fileHashMatches = sha256Hex(Buffer.from(bytes)) === info.sha256;
    if (!fileHashMatches) {
      verdict.checks.push({
        name: 'file-hash',
        ok: false,
        detail: `${info.file}: differs from the hash recorded when it was built`,
      });
      verdict.failures.push(`file-hash: ${info.file} differs from the recorded hash`);
      verdict.ok = false;
      verdict.status = 'INVALID';
    }
    return { ...verdict, fileHashMatches };
  }
}
