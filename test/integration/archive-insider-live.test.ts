import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { verifyArchive } from '../../server/src/audit/archive.verify';
import { papersCommand } from '../../server/src/papers/papers.cli';
import { prepareDemoSession } from '../support/demo-session';
import { startTestServer, type TestServer } from '../support/test-server';

/**
 * Issue 13, holes 5 and 7 on a live session: a seat moved during the exam, an insider who rewrites answers in
 * the database before grading, and `papers verify` run against the data folder.
 */
let server: TestServer;
let sessionId: number;
let registrations: number[];
let proctorActor: string;
let chiefActor: string;

beforeAll(async () => {
  server = await startTestServer();
  await prepareDemoSession(server);
  sessionId = server.demo!.sessionId;
  registrations = server.demo!.candidates.map(
    (c) =>
      server.db.prepare('SELECT id FROM registrations WHERE admission_no = ?').pluck().get(c.admissionNo) as number,
  );
  const staffId = (u: string) => server.db.prepare('SELECT id FROM staff WHERE username = ?').pluck().get(u) as number;
  proctorActor = `staff:${staffId('proctor1')}`;
  chiefActor = `staff:${staffId('chief')}`;
}, 120_000);
afterAll(async () => {
  await server?.stop();
});

async function papersCli(args: string[]): Promise<{ code: number; out: string }> {
  const saved = process.env.EXAM_CENTER_DATA;
  const savedConfig = process.env.EXAM_CENTER_CONFIG_DIR;
  process.env.EXAM_CENTER_DATA = server.dataDir;
  process.env.EXAM_CENTER_CONFIG_DIR = join(server.dataDir, 'operator-config'); // nothing pinned there
  const chunks: string[] = [];
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((s: string | Uint8Array) => {
    chunks.push(String(s));
    return true;
  });
  try {
    return { code: await papersCommand(args), out: chunks.join('') };
  } finally {
    spy.mockRestore();
    if (saved === undefined) delete process.env.EXAM_CENTER_DATA;
    else process.env.EXAM_CENTER_DATA = saved;
    if (savedConfig === undefined) delete process.env.EXAM_CENTER_CONFIG_DIR;
    else process.env.EXAM_CENTER_CONFIG_DIR = savedConfig;
  }
}

describe('insider: live session (issue 13)', () => {
  it('insider: papers verify without a pinned key says it trusts the data folder key and exits non-zero', async () => {
    const embedded = await papersCli(['verify', String(sessionId)]);
    expect(embedded.code).not.toBe(0);
    expect(embedded.out).toMatch(/key (inside|in) the data folder/);
    const accepted = await papersCli(['verify', String(sessionId), '--trust-embedded-key']);
    expect(accepted.code).toBe(0);
    const pinned = await papersCli([
      'verify',
      String(sessionId),
      '--pubkey',
      join(server.dataDir, 'keys', 'institution-ed25519.pub.pem'),
    ]);
    expect(pinned.code).toBe(0);
  });

  it('insider: a legitimate seat move does not make papers verify fail', async () => {
    const { controls, delivery } = server.app.services;
    delivery.start(registrations[1]!);
    const free = [1, 2, 4, 5, 6].find(
      (s) => !server.db.prepare('SELECT 1 FROM registrations WHERE session_id = ? AND seat_no = ?').get(sessionId, s),
    )!;
    controls.seatMove(registrations[1]!, free, '机器故障 / machine failed', proctorActor);
    const v = await papersCli([
      'verify',
      String(sessionId),
      '--pubkey',
      join(server.dataDir, 'keys', 'institution-ed25519.pub.pem'),
    ]);
    expect(v.out).toMatch(/seat-plan/);
    expect(v.code).toBe(0);
    // A move that is not logged still fails.
    server.db.prepare('UPDATE registrations SET seat_no = 29 WHERE id = ?').run(registrations[2]);
    try {
      const bad = await papersCli([
        'verify',
        String(sessionId),
        '--pubkey',
        join(server.dataDir, 'keys', 'institution-ed25519.pub.pem'),
      ]);
      expect(bad.code).toBe(1);
      expect(bad.out).toMatch(/seat-plan.*(changed|moved)/);
    } finally {
      server.db
        .prepare('UPDATE registrations SET seat_no = ? WHERE id = ?')
        .run(server.demo!.candidates[2]!.seatNo, registrations[2]);
    }
  });

  it('insider: answers and answer_history refuse UPDATE and DELETE', async () => {
    const { delivery } = server.app.services;
    const r = registrations[0]!;
    delivery.start(r);
    await delivery.saveAnswer(r, { position: 1, choice: [0], seq: 1 });
    await delivery.saveAnswer(r, { position: 1, choice: [1], seq: 2 });
    expect(() =>
      server.db.prepare('UPDATE answer_history SET choice = ? WHERE registration_id = ?').run('[1]', r),
    ).toThrow(/append-only/);
    expect(() => server.db.prepare('DELETE FROM answer_history WHERE registration_id = ?').run(r)).toThrow(
      /append-only/,
    );
    expect(() => server.db.prepare('DELETE FROM answers WHERE registration_id = ?').run(r)).toThrow(/append-only/);
    // Rolling an answer back to an older save is refused; a newer save still replaces it (the upsert).
    expect(() =>
      server.db
        .prepare('UPDATE answers SET choice = ?, seq = 1 WHERE registration_id = ? AND position = 1')
        .run('[0]', r),
    ).toThrow(/append-only|newer/);
  });

  it('insider: answers rewritten in the database before grading are found against the chain', async () => {
    const { delivery, controls, grading, archives } = server.app.services;
    const r = registrations[0]!;
    await delivery.saveAnswer(r, { position: 2, choice: [0], seq: 3 });
    await delivery.saveAnswer(r, { position: 2, choice: [1], seq: 4 });
    // The insider with the database file: drops the triggers, removes the later save and rolls the answer back.
    server.db.exec('DROP TRIGGER IF EXISTS answer_history_no_delete; DROP TRIGGER IF EXISTS answers_no_update;');
    server.db.prepare('DELETE FROM answer_history WHERE registration_id = ? AND seq = 4').run(r);
    server.db.prepare("UPDATE answers SET choice = '[0]', seq = 3 WHERE registration_id = ? AND position = 2").run(r);
    delivery.submit(r, 'candidate', `candidate:${r}`);
    controls.closeSession(sessionId, '考试结束', chiefActor);
    grading.gradeSession(sessionId, chiefActor);
    // A legitimate correction (issue 13, hole 6): the score in force is matched to its chained event and reason.
    grading.correct(registrations[1]!, { kind: 'cancel', reason: '考场内发现手机 / phone found' }, chiefActor);
    const info = archives.archive(sessionId, chiefActor);
    const { bytes } = archives.bytesOf(info.id);
    const regulatorKey = readFileSync(
      join(server.dataDir, 'demo-regulator', 'regulator-data', 'keys', 'regulator-x25519.key'),
      'utf8',
    );
    const v = verifyArchive(bytes, server.app.keys.institution.publicKeyPem, { regulatorKey });
    expect(v.status).toBe('INVALID');
    const admissionNo = server.demo!.candidates[0]!.admissionNo;
    expect(v.failures.join('\n')).toContain(`answers/${admissionNo}.json`);
    expect(v.failures.join('\n')).toMatch(/save #4.*not in the archive|last save/);
    const scores = v.checks.find((c) => c.name === 'scores');
    expect(scores).toMatchObject({ ok: true });
    expect(scores!.detail).toMatch(/recomputed from the sealed keys/);
  });
});
