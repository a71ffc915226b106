import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { Db } from '../db/open';
import { EventsRepo, sessionChain, type NewEvent } from '../audit/events.repo';
import { maskIdNumber } from '../people/id-number';
import type {
  CandidateSnapshotRequest,
  IdCardCheck,
  IdentityState,
  IdentityView,
  IncidentInfo,
  IncidentRequest,
  ProctorMessage,
  RoomVideoInfo,
  SeatGrid,
  SeatRow,
} from '../protocol';
import type { SessionsService } from '../sessions/sessions.service';
import type { Clock } from '../shared/clock';
import { AppError, notFound } from '../shared/errors';
import { evidenceInfo, ProctoringRepo, type EvidenceRecord } from './proctoring.repo';
import { identityBasis, stateOf } from './identity-rules';
import { recordingPath, sha256File } from './recordings';

/** What proctoring tells the outside world (sockets); no socket code in the service. */
export interface ProctoringNotifier {
  seatChanged(sessionId: number, registrationId: number | null): void;
  message(registrationIds: number[], message: ProctorMessage): void;
}

export type ProctoringSettings = {
  // [analogy] 3 次人脸核验失败锁定，须考评员人工确认 (domain.md, exam-room practice).
  identityFailuresToLock: number;
  // [default] focus losses (and fullscreen exits) from which a seat is flagged on the grid.
  focusLossFlag: number;
};
export const defaultProctoringSettings = (): ProctoringSettings => ({ identityFailuresToLock: 3, focusLossFlag: 5 });

const decodeDataUrl = (url: string): { mime: string; bytes: Buffer; ext: string } => {
  const m = /^data:(image\/(jpeg|png));base64,(.*)$/.exec(url);
  if (!m) throw new AppError('invalid-image', 'expected a JPEG or PNG data URL');
  return { mime: m[1] as string, ext: m[2] === 'png' ? 'png' : 'jpg', bytes: Buffer.from(m[3] as string, 'base64') };
};

/** Exam-room proctoring: presence, webcam snapshots, 人证核验, incidents, messages and room video. */
export class ProctoringService {
  readonly repo: ProctoringRepo;
  private readonly events: EventsRepo;
  private readonly presence = new Map<number, number>(); // registrationId → open candidate sockets
  private readonly presenceQueue: NewEvent[] = [];
  private presenceTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly sessions: SessionsService,
    private readonly dataDir: string | null,
    private readonly notifier: ProctoringNotifier,
    readonly settings: ProctoringSettings = defaultProctoringSettings(),
    /** The only folder room video is attached from (config EXAM_CENTER_RECORDINGS); null: none accepted. */
    private readonly recordingsDir: string | null = null,
  ) {
    this.repo = new ProctoringRepo(db);
    this.events = new EventsRepo(db);
  }

  private registration(registrationId: number) {
    const r = this.sessions.repo.registration(registrationId);
    if (!r) throw notFound('registration', { registrationId });
    return r;
  }

  private writeEvidenceFile(sessionId: number, name: string, bytes: Buffer): string | null {
    if (!this.dataDir) return null; // in-memory apps (tests) keep the hash only
    const rel = join('evidence', `session-${sessionId}`, name);
    mkdirSync(join(this.dataDir, 'evidence', `session-${sessionId}`), { recursive: true });
    writeFileSync(join(this.dataDir, rel), bytes, { flag: 'wx', mode: 0o640 });
    return rel;
  }

  evidenceFile(id: number): { record: EvidenceRecord; path: string | null } {
    const record = this.repo.evidence(id);
    if (!record) throw notFound('evidence', { id });
    const path = record.file && this.dataDir ? join(this.dataDir, record.file) : null;
    return { record, path: path && existsSync(path) ? path : null };
  }

  /** Candidate socket connected / disconnected: logged on first connect and last disconnect only. */
  connected(registrationId: number): void {
    const n = (this.presence.get(registrationId) ?? 0) + 1;
    this.presence.set(registrationId, n);
    if (n === 1) this.presenceEvent(registrationId, 'candidate.connected');
  }

  disconnected(registrationId: number): void {
    const n = (this.presence.get(registrationId) ?? 1) - 1;
    if (n > 0) this.presence.set(registrationId, n);
    else {
      this.presence.delete(registrationId);
      this.presenceEvent(registrationId, 'candidate.disconnected');
    }
  }

  private presenceEvent(registrationId: number, type: string): void {
    const r = this.sessions.repo.registration(registrationId);
    if (!r) return;
    this.presenceQueue.push({
      chain: sessionChain(r.sessionId),
      at: this.clock.now(),
      actor: `candidate:${registrationId}`,
      type,
      payload: { registrationId, seatNo: r.seatNo },
    });
    this.notifier.seatChanged(r.sessionId, registrationId);
    // A whole room reconnecting after a network blip must not become hundreds of fsyncs beside answer saves:
    // connection events are written together, at most every 500 ms.
    this.presenceTimer ??= setTimeout(() => this.flushPresence(), 500);
    this.presenceTimer.unref?.();
  }

  /** Writes queued connect/disconnect events in one transaction (also called on shutdown and by tests). */
  flushPresence(): void {
    if (this.presenceTimer) clearTimeout(this.presenceTimer);
    this.presenceTimer = undefined;
    const batch = this.presenceQueue.splice(0);
    // After shutdown the database is closed: late disconnects are dropped, not thrown from a timer.
    if (batch.length && this.db.open) this.db.transaction(() => this.events.append(...batch))();
  }

  /** The webcam frame taken at login, kept as evidence; no camera is recorded as such (issue 7). */
  recordSnapshot(registrationId: number, req: CandidateSnapshotRequest): { evidenceId: number; sha256: string | null } {
    const r = this.registration(registrationId);
    const now = this.clock.now();
    let file: string | null = null;
    let sha256: string | null = null;
    let size: number | null = null;
    let mime: string | null = null;
    if (req.camera === 'available') {
      const img = decodeDataUrl(req.image);
      sha256 = createHash('sha256').update(img.bytes).digest('hex');
      size = img.bytes.length;
      mime = img.mime;
      file = this.writeEvidenceFile(
        r.sessionId,
        `reg-${registrationId}-login-${now}-${sha256.slice(0, 8)}.${img.ext}`,
        img.bytes,
      );
    }
    const record = this.db.transaction(() => {
      const e = this.repo.insertEvidence({
        sessionId: r.sessionId,
        registrationId,
        kind: 'login-snapshot',
        camera: req.camera,
        file,
        mime,
        sha256,
        size,
        createdBy: `candidate:${registrationId}`,
        createdAt: now,
      });
      this.events.append({
        chain: sessionChain(r.sessionId),
        at: now,
        actor: `candidate:${registrationId}`,
        type: 'identity.snapshot',
        payload: {
          registrationId,
          evidenceId: e.id,
          camera: req.camera,
          sha256,
          size,
          ...(req.camera === 'none' ? { reason: req.reason } : {}),
        },
      });
      return e;
    })();
    this.notifier.seatChanged(r.sessionId, registrationId);
    return { evidenceId: record.id, sha256 };
  }

  private identityState(registrationId: number): { state: IdentityState; failures: number } {
    const facts = this.repo.seatFacts(this.registration(registrationId).sessionId).identity.get(registrationId);
    return { state: stateOf(facts, this.settings.identityFailuresToLock), failures: facts?.failures ?? 0 };
  }

  identityView(registrationId: number): IdentityView {
    const r = this.registration(registrationId);
    return {
      registrationId,
      name: r.name,
      seatNo: r.seatNo,
      idNumberMasked: maskIdNumber(r.idNumber),
      registeredPhoto: r.photo,
      snapshots: this.repo.snapshotsOf(registrationId).map(evidenceInfo),
      checks: this.repo.identityChecks(registrationId),
      state: this.identityState(registrationId).state,
    };
  }

  /**
   * 人证核验 by a proctor. After the configured number of failures the seat is locked: only an examiner's
   * manual confirmation ('override', with a note) unlocks it (domain.md, exam-room practice).
   */
  checkIdentity(
    registrationId: number,
    outcome: 'pass' | 'fail' | 'override',
    note: string,
    actor: string,
    idCard?: IdCardCheck,
  ): IdentityView {
    const r = this.registration(registrationId);
    const { state, failures } = this.identityState(registrationId);
    if (state === 'locked' && outcome === 'pass')
      throw new AppError(
        'identity-locked',
        `已连续 ${failures} 次核验不通过，座位已锁定，须主考/考评员人工确认（override）`,
        409,
      );
    if (outcome === 'override' && !note)
      throw new AppError('note-required', '人工确认须填写说明 / an override needs a note', 400);
    const basis = identityBasis(r, outcome, idCard);
    const snapshot = this.repo.snapshotsOf(registrationId).at(-1) ?? null;
    const now = this.clock.now();
    this.db.transaction(() => {
      const id = this.repo.insertIdentityCheck({
        sessionId: r.sessionId,
        registrationId,
        outcome,
        snapshotId: snapshot?.id ?? null,
        note,
        checkedBy: actor,
        at: now,
        basis: basis?.basis ?? null,
        idCardMatched: basis?.basis === 'id-card' ? 1 : null,
        idPhotoCompared: basis?.basis === 'id-card' ? 1 : null,
      });
      const after = outcome === 'fail' ? failures + 1 : 0;
      this.events.append({
        chain: sessionChain(r.sessionId),
        at: now,
        actor,
        type: 'identity.checked',
        payload: {
          registrationId,
          seatNo: r.seatNo,
          checkId: id,
          outcome,
          note,
          snapshotId: snapshot?.id ?? null,
          snapshotSha256: snapshot?.sha256 ?? null,
          locked: after >= this.settings.identityFailuresToLock,
          // What the pass rested on; the number read is never logged, only that it matched.
          ...(basis ? { basis: basis.basis } : {}),
          ...(basis?.basis === 'id-card' ? { idCardMatched: true, idPhotoCompared: true } : {}),
        },
      });
    })();
    this.notifier.seatChanged(r.sessionId, registrationId);
    return this.identityView(registrationId);
  }

  /** For the delivery layer: a candidate whose identity check failed may not start (domain.md). */
  mayStart(registrationId: number): boolean {
    const { state } = this.identityState(registrationId);
    return state !== 'failed' && state !== 'locked';
  }

  reportIncident(sessionId: number, req: IncidentRequest, actor: string): IncidentInfo {
    this.sessions.get(sessionId);
    let seatNo = req.seatNo ?? null;
    if (req.registrationId) {
      const r = this.registration(req.registrationId);
      if (r.sessionId !== sessionId) throw new AppError('wrong-session', 'registration is not in this session', 400);
      seatNo ??= r.seatNo;
    }
    const now = this.clock.now();
    let photo: { file: string | null; sha256: string; size: number; mime: string } | null = null;
    if (req.photo) {
      const img = decodeDataUrl(req.photo);
      const sha256 = createHash('sha256').update(img.bytes).digest('hex');
      photo = {
        sha256,
        size: img.bytes.length,
        mime: img.mime,
        file: this.writeEvidenceFile(sessionId, `incident-${now}-${sha256.slice(0, 8)}.${img.ext}`, img.bytes),
      };
    }
    const incident = this.db.transaction(() => {
      const photoId = photo
        ? this.repo.insertEvidence({
            sessionId,
            registrationId: req.registrationId ?? null,
            kind: 'incident-photo',
            camera: 'available',
            ...photo,
            createdBy: actor,
            createdAt: now,
          }).id
        : null;
      const row: Omit<IncidentInfo, 'id'> = {
        sessionId,
        registrationId: req.registrationId ?? null,
        seatNo,
        type: req.type,
        note: req.note,
        photoId,
        reportedBy: actor,
        at: now,
      };
      const id = this.repo.insertIncident(row);
      this.events.append({
        chain: sessionChain(sessionId),
        at: now,
        actor,
        type: 'incident.reported',
        payload: {
          incidentId: id,
          registrationId: row.registrationId,
          seatNo,
          type: req.type,
          note: req.note,
          photoSha256: photo?.sha256 ?? null,
        },
      });
      return { ...row, id };
    })();
    this.notifier.seatChanged(sessionId, req.registrationId ?? null);
    return incident;
  }

  /** A warning or notice to one candidate, or a broadcast to the whole room; logged before it is sent. */
  sendMessage(
    sessionId: number,
    registrationId: number | null,
    kind: 'warning' | 'notice',
    text: string,
    actor: string,
  ): ProctorMessage {
    this.sessions.get(sessionId);
    const targets = registrationId ? [registrationId] : this.repo.registrationsOf(sessionId).map((r) => r.id);
    if (registrationId && this.registration(registrationId).sessionId !== sessionId)
      throw new AppError('wrong-session', 'registration is not in this session', 400);
    const now = this.clock.now();
    const message: ProctorMessage = { kind: registrationId ? kind : 'broadcast', text, at: now };
    this.db.transaction(() => {
      this.events.append({
        chain: sessionChain(sessionId),
        at: now,
        actor,
        type: registrationId ? (kind === 'warning' ? 'proctor.warning' : 'proctor.notice') : 'proctor.broadcast',
        payload: { registrationId, text },
      });
    })();
    this.notifier.message(targets, message);
    if (registrationId && kind === 'warning') this.notifier.seatChanged(sessionId, registrationId);
    return message;
  }

  /** 考场录像: the file is hashed where it lies; the archive records hash, size and time range (issue 7). */
  async attachVideo(
    sessionId: number,
    req: { path: string; startsAt: number; endsAt: number; includeFile: boolean },
    actor: string,
  ): Promise<RoomVideoInfo> {
    this.sessions.get(sessionId);
    if (req.endsAt < req.startsAt) throw new AppError('invalid-range', 'endsAt is before startsAt', 400);
    // The real path is stored, so the archive reads the file that was hashed, not a symlink swapped in later.
    const path = recordingPath({ recordingsDir: this.recordingsDir, dataDir: this.dataDir }, req.path);
    const { sha256, size } = await sha256File(path);
    const now = this.clock.now();
    const info = {
      name: basename(path),
      path,
      sha256,
      size,
      startsAt: req.startsAt,
      endsAt: req.endsAt,
      includeFile: req.includeFile,
      at: now,
    };
    const id = this.db.transaction(() => {
      const vid = this.repo.insertVideo({ ...info, sessionId, attachedBy: actor });
      this.events.append({
        chain: sessionChain(sessionId),
        at: now,
        actor,
        type: 'video.attached',
        payload: { videoId: vid, ...info },
      });
      return vid;
    })();
    return { ...info, id };
  }

  /** The live seat grid: the roster plus presence, identity, incidents and focus losses. */
  grid(sessionId: number): SeatGrid {
    const detail = this.sessions.detail(sessionId);
    const facts = this.repo.seatFacts(sessionId);
    const signals = this.repo.signalCounts(sessionChain(sessionId));
    const seats: SeatRow[] = detail.roster.map((r) => {
      const id = facts.identity.get(r.registrationId);
      const incidents = facts.incidents.get(r.registrationId) ?? 0;
      const focusLosses = signals.get(r.registrationId) ?? 0;
      const identity = stateOf(id, this.settings.identityFailuresToLock);
      return {
        ...r,
        online: (this.presence.get(r.registrationId) ?? 0) > 0,
        identity,
        identityFailures: id?.failures ?? 0,
        snapshot: facts.snapshots.get(r.registrationId) ?? null,
        incidents,
        focusLosses,
        flagged:
          incidents > 0 || focusLosses >= this.settings.focusLossFlag || identity === 'failed' || identity === 'locked',
      };
    });
    const { roster: _roster, ...rest } = detail;
    return {
      ...rest,
      seats,
      seatCount: this.repo.roomSeatCount(sessionId),
      outages: this.repo.outages(sessionChain(sessionId)),
      identityReport: this.repo.identityReport(sessionId),
    };
  }
}
