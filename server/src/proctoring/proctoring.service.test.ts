import { mkdtempSync, readFileSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { gradingFixture } from '../grading/grading-fixture';
import type { ProctorMessage } from '../protocol';
import { SessionsService } from '../sessions/sessions.service';
import { ManualClock } from '../shared/clock';
import { ProctoringService } from './proctoring.service';
import { attachedRecordingBytes } from './recordings';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

// A 1×1 JPEG is not needed: any bytes with the right data-URL shape are stored and hashed as sent.
const TINY = 'data:image/jpeg;base64,' + Buffer.from('not really a jpeg but bytes').toString('base64');

function setup() {
  const clock = new ManualClock();
  const f = gradingFixture(clock);
  const { sessionId, registrations } = f.addSession({ candidates: 4, seed: 'p', state: 'running' });
  const dataDir = mkdtempSync(join(tmpdir(), 'proctoring-test-'));
  const recordingsDir = mkdtempSync(join(tmpdir(), 'proctoring-recordings-'));
  dirs.push(dataDir, recordingsDir);
  const sent: { ids: number[]; m: ProctorMessage }[] = [];
  const changed: number[] = [];
  const service = new ProctoringService(
    f.db,
    clock,
    new SessionsService(f.db, clock),
    dataDir,
    { seatChanged: (s) => changed.push(s), message: (ids, m) => sent.push({ ids, m }) },
    undefined,
    recordingsDir,
  );
  return { f, clock, sessionId, registrations, dataDir, recordingsDir, service, sent, changed };
}

describe('proctoring', () => {
  it('stores the login snapshot as a file with its SHA-256, or records that no camera was available', () => {
    const { service, registrations, dataDir, f } = setup();
    const r = service.recordSnapshot(registrations[0]!, { camera: 'available', image: TINY });
    const { record, path } = service.evidenceFile(r.evidenceId);
    expect(path && readFileSync(path).toString()).toBe('not really a jpeg but bytes');
    expect(record.sha256).toBe(r.sha256);
    expect(path?.startsWith(join(dataDir, 'evidence'))).toBe(true);
    const none = service.recordSnapshot(registrations[1]!, { camera: 'none', reason: 'NotFoundError' });
    expect(service.evidenceFile(none.evidenceId)).toMatchObject({
      record: { camera: 'none', sha256: null },
      path: null,
    });
    const types = f.db.prepare("SELECT type FROM events WHERE type LIKE 'identity.%' ORDER BY id").pluck().all();
    expect(types).toEqual(['identity.snapshot', 'identity.snapshot']);
  });

  it('shows presence, identity and flags on the seat grid', () => {
    const { service, registrations, sessionId, f } = setup();
    service.connected(registrations[0]!);
    service.connected(registrations[0]!);
    service.disconnected(registrations[0]!);
    service.checkIdentity(registrations[1]!, 'fail', 'photo differs', 'staff:4');
    service.reportIncident(sessionId, { type: 'phone', registrationId: registrations[2]!, note: 'phone' }, 'staff:4');
    const grid = service.grid(sessionId);
    const seat = (i: number) => grid.seats.find((s) => s.registrationId === registrations[i])!;
    expect(seat(0)).toMatchObject({ online: true, identity: 'unchecked', flagged: false });
    expect(seat(1)).toMatchObject({ identity: 'failed', identityFailures: 1, flagged: true });
    expect(seat(2)).toMatchObject({ incidents: 1, flagged: true, seatNo: 3 });
    service.disconnected(registrations[0]!);
    expect(service.grid(sessionId).seats[0]!.online).toBe(false);
    service.flushPresence();
    expect(f.db.prepare("SELECT type FROM events WHERE type LIKE 'candidate.%' ORDER BY id").pluck().all()).toEqual([
      'candidate.connected',
      'candidate.disconnected',
    ]);
    expect(service.mayStart(registrations[1]!)).toBe(false);
  });

  it('sends warnings to one candidate and broadcasts to the room, logging each first', () => {
    const { service, registrations, sessionId, sent, f } = setup();
    service.sendMessage(sessionId, registrations[0]!, 'warning', '请勿交谈', 'staff:4');
    service.sendMessage(sessionId, null, 'notice', '还有 10 分钟', 'staff:4');
    expect(sent[0]).toMatchObject({ ids: [registrations[0]], m: { kind: 'warning', text: '请勿交谈' } });
    expect(sent[1]!.ids).toHaveLength(4);
    expect(f.db.prepare("SELECT type FROM events WHERE type LIKE 'proctor.%' ORDER BY id").pluck().all()).toEqual([
      'proctor.warning',
      'proctor.broadcast',
    ]);
  });

  it('attaches a room recording by hash, size and time range', async () => {
    const { service, sessionId, dataDir, recordingsDir } = setup();
    const file = join(recordingsDir, 'cam1.mp4');
    writeFileSync(file, Buffer.alloc(100_000, 7));
    const v = await service.attachVideo(
      sessionId,
      { path: file, startsAt: 1000, endsAt: 3_600_000, includeFile: false },
      'staff:1',
    );
    expect(v).toMatchObject({ name: 'cam1.mp4', size: 100_000, sha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
    await expect(
      service.attachVideo(
        sessionId,
        { path: join(recordingsDir, 'missing.mp4'), startsAt: 0, endsAt: 1, includeFile: false },
        'staff:1',
      ),
    ).rejects.toThrow(/no such file/);
    // The data folder (keys, database, evidence) is never a source of room video.
    writeFileSync(join(dataDir, 'secret.mp4'), 'key material');
    await expect(
      service.attachVideo(
        sessionId,
        { path: join(dataDir, 'secret.mp4'), startsAt: 0, endsAt: 1, includeFile: true },
        'staff:1',
      ),
    ).rejects.toMatchObject({ code: 'video-outside-recordings' });
    expect(service.repo.videos(sessionId)).toHaveLength(1);
  });

  it('insider: a recording swapped for a symlink after attaching is not carried into the archive', async () => {
    const { service, sessionId, dataDir, recordingsDir } = setup();
    const file = join(recordingsDir, 'cam2.mp4');
    writeFileSync(file, Buffer.alloc(10_000, 5));
    const v = await service.attachVideo(
      sessionId,
      { path: file, startsAt: 0, endsAt: 1, includeFile: true },
      'staff:1',
    );
    expect(attachedRecordingBytes(v, dataDir)?.length).toBe(10_000);
    writeFileSync(join(dataDir, 'jwt-secret'), 'secret');
    unlinkSync(file);
    symlinkSync(join(dataDir, 'jwt-secret'), file);
    expect(attachedRecordingBytes(v, dataDir)).toBeNull();
  });
});
