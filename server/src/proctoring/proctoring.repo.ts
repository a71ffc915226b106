import type { Db } from '../db/open';
import type {
  EvidenceInfo,
  IdentityBasis,
  IdentityCheckInfo,
  IdentityReport,
  IncidentInfo,
  OutageInfo,
  RoomVideoInfo,
} from '../protocol';

export type NewEvidence = {
  sessionId: number;
  registrationId: number | null;
  kind: 'login-snapshot' | 'incident-photo';
  camera: 'available' | 'none';
  file: string | null;
  mime: string | null;
  sha256: string | null;
  size: number | null;
  createdBy: string;
  createdAt: number;
};

export type EvidenceRecord = NewEvidence & { id: number };

type EvidenceRow = {
  id: number;
  session_id: number;
  registration_id: number | null;
  kind: NewEvidence['kind'];
  camera: NewEvidence['camera'];
  file: string | null;
  mime: string | null;
  sha256: string | null;
  size: number | null;
  created_by: string;
  created_at: number;
};

const toEvidence = (r: EvidenceRow): EvidenceRecord => ({
  id: r.id,
  sessionId: r.session_id,
  registrationId: r.registration_id,
  kind: r.kind,
  camera: r.camera,
  file: r.file,
  mime: r.mime,
  sha256: r.sha256,
  size: r.size,
  createdBy: r.created_by,
  createdAt: r.created_at,
});

export const evidenceInfo = (e: EvidenceRecord): EvidenceInfo => ({
  id: e.id,
  kind: e.kind,
  camera: e.camera,
  sha256: e.sha256,
  size: e.size,
  at: e.createdAt,
});

/** Per-registration proctoring facts for the seat grid, gathered in three grouped queries. */
export type SeatFacts = {
  identity: Map<number, { failures: number; lastOutcome: string }>;
  snapshots: Map<number, 'taken' | 'no-camera'>;
  incidents: Map<number, number>;
};

/** The only SQL on proctoring evidence; every table here is append-only (0006 triggers). */
export class ProctoringRepo {
  constructor(private readonly db: Db) {}

  insertEvidence(e: NewEvidence): EvidenceRecord {
    const info = this.db
      .prepare(
        `INSERT INTO evidence_files (session_id, registration_id, kind, camera, file, mime, sha256, size, created_by, created_at)
         VALUES (@sessionId, @registrationId, @kind, @camera, @file, @mime, @sha256, @size, @createdBy, @createdAt)`,
      )
      .run(e);
    return { ...e, id: Number(info.lastInsertRowid) };
  }

  evidence(id: number): EvidenceRecord | undefined {
    const r = this.db.prepare<[number], EvidenceRow>('SELECT * FROM evidence_files WHERE id = ?').get(id);
    return r && toEvidence(r);
  }

  evidenceOfSession(sessionId: number): EvidenceRecord[] {
    return this.db
      .prepare<[number], EvidenceRow>('SELECT * FROM evidence_files WHERE session_id = ? ORDER BY id')
      .all(sessionId)
      .map(toEvidence);
  }

  snapshotsOf(registrationId: number): EvidenceRecord[] {
    return this.db
      .prepare<[number], EvidenceRow>(
        "SELECT * FROM evidence_files WHERE registration_id = ? AND kind = 'login-snapshot' ORDER BY id",
      )
      .all(registrationId)
      .map(toEvidence);
  }

  insertIdentityCheck(c: {
    sessionId: number;
    registrationId: number;
    outcome: 'pass' | 'fail' | 'override';
    snapshotId: number | null;
    note: string;
    checkedBy: string;
    at: number;
    basis: IdentityBasis | null;
    idCardMatched: 0 | 1 | null;
    idPhotoCompared: 0 | 1 | null;
  }): number {
    return Number(
      this.db
        .prepare(
          `INSERT INTO identity_checks (session_id, registration_id, outcome, snapshot_id, note, checked_by, at,
             basis, id_card_matched, id_photo_compared)
           VALUES (@sessionId, @registrationId, @outcome, @snapshotId, @note, @checkedBy, @at,
             @basis, @idCardMatched, @idPhotoCompared)`,
        )
        .run(c).lastInsertRowid,
    );
  }

  identityChecks(registrationId: number): IdentityCheckInfo[] {
    return this.db
      .prepare<[number], IdentityCheckInfo>(
        `SELECT id, outcome, note, checked_by AS checkedBy, at, basis FROM identity_checks WHERE registration_id = ? ORDER BY id`,
      )
      .all(registrationId);
  }

  identityChecksOfSession(
    sessionId: number,
  ): (IdentityCheckInfo & { registrationId: number; snapshotId: number | null })[] {
    return this.db
      .prepare<[number], IdentityCheckInfo & { registrationId: number; snapshotId: number | null }>(
        `SELECT id, registration_id AS registrationId, outcome, snapshot_id AS snapshotId, note, checked_by AS checkedBy, at
         FROM identity_checks WHERE session_id = ? ORDER BY id`,
      )
      .all(sessionId);
  }

  insertIncident(i: Omit<IncidentInfo, 'id'>): number {
    return Number(
      this.db
        .prepare(
          `INSERT INTO incidents (session_id, registration_id, seat_no, type, note, photo_id, reported_by, at)
           VALUES (@sessionId, @registrationId, @seatNo, @type, @note, @photoId, @reportedBy, @at)`,
        )
        .run(i).lastInsertRowid,
    );
  }

  incidents(sessionId: number): IncidentInfo[] {
    return this.db
      .prepare<[number], IncidentInfo>(
        `SELECT id, session_id AS sessionId, registration_id AS registrationId, seat_no AS seatNo, type, note,
           photo_id AS photoId, reported_by AS reportedBy, at FROM incidents WHERE session_id = ? ORDER BY id`,
      )
      .all(sessionId);
  }

  insertVideo(v: Omit<RoomVideoInfo, 'id'> & { sessionId: number; attachedBy: string }): number {
    return Number(
      this.db
        .prepare(
          `INSERT INTO room_videos (session_id, name, path, sha256, size, starts_at, ends_at, include_file, attached_by, at)
           VALUES (@sessionId, @name, @path, @sha256, @size, @startsAt, @endsAt, @includeFile, @attachedBy, @at)`,
        )
        .run({ ...v, includeFile: v.includeFile ? 1 : 0 }).lastInsertRowid,
    );
  }

  videos(sessionId: number): RoomVideoInfo[] {
    return this.db
      .prepare<[number], Omit<RoomVideoInfo, 'includeFile'> & { includeFile: number }>(
        `SELECT id, name, path, sha256, size, starts_at AS startsAt, ends_at AS endsAt, include_file AS includeFile, at
         FROM room_videos WHERE session_id = ? ORDER BY id`,
      )
      .all(sessionId)
      .map((v) => ({ ...v, includeFile: v.includeFile === 1 }));
  }

  /** Counts of the session's identity checks by what they rested on (officials' view, issue 13). */
  identityReport(sessionId: number): IdentityReport {
    const row = this.db
      .prepare<[number], IdentityReport>(
        `SELECT coalesce(sum(outcome = 'pass' AND basis = 'photo'), 0) AS passedByPhoto,
                coalesce(sum(outcome IN ('pass', 'override') AND basis = 'id-card'), 0) AS passedByIdCard,
                coalesce(sum(outcome = 'override'), 0) AS overrides,
                coalesce(sum(outcome = 'fail'), 0) AS failures
         FROM identity_checks WHERE session_id = ?`,
      )
      .get(sessionId);
    return row ?? { passedByPhoto: 0, passedByIdCard: 0, overrides: 0, failures: 0 };
  }

  seatFacts(sessionId: number): SeatFacts {
    const identity = new Map<number, { failures: number; lastOutcome: string }>();
    const checks = this.db
      .prepare<[number], { registration_id: number; outcome: string }>(
        'SELECT registration_id, outcome FROM identity_checks WHERE session_id = ? ORDER BY id',
      )
      .all(sessionId);
    for (const c of checks) {
      const prev = identity.get(c.registration_id) ?? { failures: 0, lastOutcome: '' };
      // Failures count since the last pass or examiner override (3 failures lock the seat, domain.md).
      identity.set(c.registration_id, {
        failures: c.outcome === 'fail' ? prev.failures + 1 : 0,
        lastOutcome: c.outcome,
      });
    }
    const snapshots = new Map<number, 'taken' | 'no-camera'>();
    for (const r of this.db
      .prepare<[number], { registration_id: number; any_image: number }>(
        `SELECT registration_id, max(camera = 'available') AS any_image FROM evidence_files
         WHERE session_id = ? AND kind = 'login-snapshot' GROUP BY registration_id`,
      )
      .all(sessionId))
      snapshots.set(r.registration_id, r.any_image ? 'taken' : 'no-camera');
    const incidents = new Map<number, number>();
    for (const r of this.db
      .prepare<[number], { registration_id: number; n: number }>(
        `SELECT registration_id, count(*) AS n FROM incidents WHERE session_id = ? AND registration_id IS NOT NULL
         GROUP BY registration_id`,
      )
      .all(sessionId))
      incidents.set(r.registration_id, r.n);
    return { identity, snapshots, incidents };
  }

  /** Focus losses etc. per registration from the session chain's 'proctor.signal' events (issue 6). */
  signalCounts(chain: string): Map<number, number> {
    const out = new Map<number, number>();
    for (const r of this.db
      .prepare<[string], { rid: number | null; n: number }>(
        `SELECT json_extract(payload, '$.registrationId') AS rid, count(*) AS n FROM events
         WHERE chain = ? AND type = 'proctor.signal' AND json_extract(payload, '$.kind') IN ('focus-lost', 'fullscreen-exit')
         GROUP BY rid`,
      )
      .all(chain))
      if (r.rid !== null) out.set(r.rid, r.n);
    return out;
  }

  /** The server outages given back to this session (delivery/outage.ts logs one event per restart). */
  outages(chain: string): OutageInfo[] {
    return this.db
      .prepare<[string], OutageInfo>(
        `SELECT at, json_extract(payload, '$.outageMs') AS outageMs, json_extract(payload, '$.compensatedMs') AS compensatedMs
         FROM events WHERE chain = ? AND type = 'session.outage-compensated' ORDER BY seq`,
      )
      .all(chain);
  }

  registrationsOf(sessionId: number): { id: number; seatNo: number }[] {
    return this.db
      .prepare<[number], { id: number; seatNo: number }>(
        'SELECT id, seat_no AS seatNo FROM registrations WHERE session_id = ? ORDER BY seat_no',
      )
      .all(sessionId);
  }

  roomSeatCount(sessionId: number): number {
    return (
      this.db
        .prepare<[number], { n: number }>(
          'SELECT r.seat_count AS n FROM sessions s JOIN rooms r ON r.id = s.room_id WHERE s.id = ?',
        )
        .get(sessionId)?.n ?? 0
    );
  }
}
