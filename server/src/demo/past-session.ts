import type { App } from '../app';
import { EventsRepo, sessionChain } from '../audit/events.repo';
import { BankService } from '../bank/bank.service';
import type { Db } from '../db/open';
import { ExamControls } from '../delivery/exam-controls.service';
import { DeliveryRepo } from '../delivery/delivery.repo';
import { DeliveryService, type DeliveryNotifier } from '../delivery/delivery.service';
import { GradingService } from '../grading/grading.service';
import { PapersService } from '../papers/papers.service';
import { CandidatesRepo } from '../people/candidates.repo';
import { idNumberCheckDigit } from '../people/id-number';
import { StaffRepo } from '../people/staff.repo';
import { assignDemoStaff } from '../people/demo-people-seed';
import { ProctoringService } from '../proctoring/proctoring.service';
import type { ArchiveInfo } from '../protocol';
import { defaultSessionSettings } from '../sessions/session-settings';
import { SessionsService } from '../sessions/sessions.service';
import { sha256Hex } from '../shared/canonical-json';
import { ManualClock, type Clock } from '../shared/clock';
import { seededRandom } from '../shared/random';

const SURNAMES = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗';
const GIVEN = ['建华', '志强', '秀兰', '海涛', '丽娟', '国庆', '春梅', '立新', '红霞', '永刚', '桂英', '明辉'];

const quiet: DeliveryNotifier = {
  candidateChanged: () => undefined,
  submitted: () => undefined,
  timeChanged: () => undefined,
  seatMoved: () => undefined,
};

/**
 * A finished session from yesterday, so an official has a full record to open at first start (issue 7):
 * sealed, opened by two custodians, sat by simulated candidates (identity checked, answers saved over
 * about 40 minutes, one focus-loss case, one fast answerer, one neighbour pair sharing wrong answers, an
 * incident), closed, graded and archived under <data>/archives/. It runs through the real services on a
 * clock set to yesterday, so every event carries a plausible time.
 */
export function seedPastSession(
  app: App,
  db: Db,
  realClock: Clock,
  candidates = 12,
): { sessionId: number; archive: ArchiveInfo } {
  const sessionId = simulatePastSession(app, db, realClock, candidates);
  const archive = app.services.archives.archive(sessionId, `staff:${new StaffRepo(db).byUsername('chief')?.id ?? 0}`);
  // Touch the anomaly rules once so a broken rule fails the first start, not an official's page.
  app.services.anomalies.report(sessionId);
  return { sessionId, archive };
}

/** Runs yesterday's session up to 'graded' (the archive benchmark stops here and times the archive itself). */
export function simulatePastSession(app: App, db: Db, realClock: Clock, candidates = 12): number {
  const day = 24 * 3600_000;
  const start = Math.floor((realClock.now() - day) / 3600_000) * 3600_000; // yesterday, on the hour
  const clock = new ManualClock(start - 40 * 60_000);
  const sessions = new SessionsService(db, clock);
  const papers = new PapersService(db, clock, { institutionKey: app.keys.institution, wrapKey: app.keys.paperWrapKey });
  const grading = new GradingService(db, clock, papers);
  const delivery = new DeliveryService(db, clock, papers, grading, quiet);
  const controls = new ExamControls(db, clock, sessions, delivery, quiet);
  const dataDir = app.services.archives.dataDir;
  const proctoring = new ProctoringService(db, clock, sessions, dataDir, {
    seatChanged: () => undefined,
    message: () => undefined,
  });
  const events = new EventsRepo(db);
  const staff = new StaffRepo(db);
  const chief = staff.byUsername('chief');
  const proctor = staff.byUsername('proctor1');
  const official = staff.byUsername('official');
  const bankVersion = new BankService(db, clock).repo.latestVersion('N1', 'exam');
  const blueprintId = db
    .prepare<[], { id: number }>("SELECT id FROM blueprints WHERE category = 'N1' ORDER BY id DESC LIMIT 1")
    .get()?.id;
  if (!chief || !proctor || !official || !bankVersion || !blueprintId)
    throw new Error('demo staff, N1 bank and blueprint come first');
  const chiefActor = `staff:${chief.id}`;
  const proctorActor = `staff:${proctor.id}`;
  const random = seededRandom(`past-session:${start}`);

  const date = new Date(start).toISOString().slice(0, 10).replaceAll('-', '');
  // Unique per run, so the benchmark can add another past session to a demo database.
  const n =
    1 +
    (db.prepare<[string], { n: number }>('SELECT count(*) AS n FROM sessions WHERE code LIKE ?').get(`N1-${date}-P%`)
      ?.n ?? 0);
  const roster = db.transaction(() => {
    const roomId = sessions.repo.insertRoom(`第二考场（机房 B）${date}-${n}`, Math.max(30, candidates));
    const sessionId = sessions.repo.insertSession(
      {
        code: `N1-${date}-P${n}`,
        name: 'N1 叉车司机 理论考试（已归档演示）',
        category: 'N1',
        blueprintId,
        bankVersionId: bankVersion.id,
        roomId,
        scheduledStart: start,
        durationMinutes: 60,
        state: 'draft',
        settings: { ...defaultSessionSettings(), requireWorkstation: false },
      },
      clock.now(),
    );
    const people = new CandidatesRepo(db);
    const regs: { id: number; seatNo: number; idNumber: string }[] = [];
    for (let i = 0; i < candidates; i++) {
      const first17 = `370112${1970 + (i % 30)}${String(1 + (i % 12)).padStart(2, '0')}${String(1 + (i % 28)).padStart(2, '0')}${String((n * 211 + i) % 1000).padStart(3, '0')}`;
      const idNumber = first17 + idNumberCheckDigit(first17);
      const candidateId = people.insert(
        {
          name: `${SURNAMES[i % SURNAMES.length]}${GIVEN[i % GIVEN.length]}`,
          idNumber,
          employer: i % 2 ? '济南宏达物流有限公司' : '山东鲁丰仓储有限公司',
          trainingOrg: i % 3 ? '济南市特种设备培训中心' : '历城区职业技能培训学校',
          photo: null,
        },
        clock.now(),
      );
      const seatNo = i + 1;
      regs.push({
        id: sessions.repo.insertRegistration(
          sessionId,
          candidateId,
          `${date}P${n}${String(seatNo).padStart(3, '0')}`,
          seatNo,
          clock.now(),
        ),
        seatNo,
        idNumber,
      });
    }
    return { sessionId, regs };
  })();
  const { sessionId, regs } = roster;
  assignDemoStaff(db, clock, sessionId); // chief + 2 proctors: opening re-checks the integrity rules (issue 5)

  sessions.transition(sessionId, 'scheduled', chiefActor);
  // Sealed by the system, not by a custodian: the operator never holds a code (issue 13, hole 4).
  const sealed = papers.sealSession(sessionId, [chief.id, official.id], 'system:demo');
  clock.set(start - 20 * 60_000);
  // Issue 14: yesterday the demo centre had no ban list from its regulator yet; the chief records why it
  // opened anyway, as a real centre would (officials see the exception).
  if (app.services.link.status().banList.stale)
    app.services.link
      .withClock(clock)
      .recordStaleException(
        { sessionId, reason: '演示场次：监管端尚未连接，禁入名单未下发 / demo: no regulator list yet' },
        { staffId: chief.id, roles: chief.roles },
      );
  papers.openSession(
    sessionId,
    { codes: sealed.codes.map((c) => ({ username: c.username, code: c.code })) },
    chiefActor,
  );

  // Admission: login, webcam (none in this simulation), identity check by the proctor.
  for (const r of regs) {
    clock.advance(30_000 + random.int(60_000));
    delivery.recordLogin(r.id, `10.0.2.${100 + r.seatNo}`);
    proctoring.recordSnapshot(r.id, {
      camera: 'none',
      reason: '模拟考生：考位无摄像头 / simulated seat without a camera',
    });
    // No registered photo in the demo: the proctor reads the ID card and compares its photo (issue 13).
    proctoring.checkIdentity(r.id, 'pass', '', proctorActor, { number: r.idNumber, photoCompared: true });
  }
  clock.set(start);
  papers.startSession(sessionId, chiefActor);
  for (const r of regs) delivery.start(r.id);

  // Answers, saved the way the delivery layer records them: history row, latest answer, 'answer.saved' event.
  const repo = new DeliveryRepo(db);
  const copier = regs[3];
  const source = regs[2];
  const fast = regs[7];
  const sourceChoices = new Map<string, number[]>(); // itemHash → bank-order choice of the source candidate
  for (const r of regs) {
    const { paper } = papers.paperFor(r.id);
    const ability = r === source ? 0.45 : 0.55 + random.int(40) / 100;
    let at = start + 60_000 + random.int(120_000);
    let seq = 0;
    for (const q of paper.questions) {
      at += r === fast ? 1000 + random.int(1000) : 8_000 + random.int(25_000);
      let choice: number[];
      const copied = r === copier ? sourceChoices.get(q.itemHash) : undefined;
      if (copied) choice = copied.map((bankIndex) => q.optionOrder.indexOf(bankIndex)).sort((a, b) => a - b);
      else if (random.int(100) / 100 < ability) choice = q.answer;
      else {
        const wrong = q.options.map((_, k) => k).filter((k) => !q.answer.includes(k));
        // A multi-select item whose every option is right is answered wrong by leaving one out.
        choice = wrong.length ? [wrong[random.int(wrong.length)] as number] : q.answer.slice(1);
      }
      if (r === source)
        sourceChoices.set(
          q.itemHash,
          choice.map((k) => q.optionOrder[k] as number),
        );
      seq++;
      db.transaction(() => {
        repo.saveAnswer(r.id, q.position, choice, seq, at);
        events.append({
          chain: sessionChain(sessionId),
          at,
          actor: `candidate:${r.id}`,
          type: 'answer.saved',
          payload: { registrationId: r.id, position: q.position, seq, choiceHash: sha256Hex(JSON.stringify(choice)) },
        });
      })();
      if (r === regs[5] && seq % 9 === 0)
        events.append({
          chain: sessionChain(sessionId),
          at: at + 500,
          actor: `candidate:${r.id}`,
          type: 'proctor.signal',
          payload: { registrationId: r.id, kind: 'focus-lost' },
        });
    }
  }
  clock.set(start + 25 * 60_000);
  proctoring.sendMessage(
    sessionId,
    regs[5]!.id,
    'warning',
    '请勿切换窗口，否则按违纪处理 / do not leave the exam window',
    proctorActor,
  );
  proctoring.reportIncident(
    sessionId,
    {
      type: 'other',
      registrationId: copier!.id,
      note: '考生多次侧身看向邻座（3 号座位），已口头警告并记录 / looked at seat 3 several times; warned',
    },
    proctorActor,
  );
  clock.set(start + 55 * 60_000);
  for (const r of regs) delivery.submit(r.id, 'candidate', `candidate:${r.id}`);
  clock.set(start + 61 * 60_000);
  controls.closeSession(sessionId, '考试结束 / exam over', chiefActor);
  clock.advance(5 * 60_000);
  grading.gradeSession(sessionId, chiefActor);
  return sessionId;
}
