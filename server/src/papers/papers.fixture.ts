// Test and benchmark support for sealed papers: a database with a synthetic exam-pool bank, a blueprint,
// staff, and a session with registered candidates. Not imported by production code.
import { withHash, type HashedItem } from '../bank/bank-format';
import { BankService } from '../bank/bank.service';
import { blueprintSchema, type Blueprint } from '../bank/blueprint';
import { BlueprintsRepo } from '../bank/blueprints.repo';
import { migrate } from '../db/migrate';
import { openDatabase, type Db } from '../db/open';
import { idNumberCheckDigit } from '../people/id-number';
import { CandidatesRepo } from '../people/candidates.repo';
import { StaffRepo } from '../people/staff.repo';
import type { Role } from '../protocol';
import { defaultSessionSettings, type SessionSettings } from '../sessions/session-settings';
import { SessionsRepo } from '../sessions/sessions.repo';
import { ManualClock } from '../shared/clock';
import { ephemeralInstitutionKey, type InstitutionKey } from '../shared/institution-key';
import { seededRandom } from '../shared/random';
import { randomBytes } from 'node:crypto';
import { PapersService } from './papers.service';
import type { CustodianCheck } from './custodians';

export const KPS = ['法律法规', '基础知识', '安全操作', '维护保养', '应急处置'];

/** A blueprint of 100 questions (40 判断, 40 单选, 20 多选) with knowledge-point quotas, like N1's. */
export const TEST_BLUEPRINT: Blueprint = blueprintSchema.parse({
  format: 'exam-center-blueprint/1',
  category: 'N1',
  name: 'N1 叉车司机 理论考试（测试）',
  durationMinutes: 60,
  passMark: 70,
  sections: [
    { type: 'judge', count: 40, pointsEach: 1, quotas: { 法律法规: 8, 基础知识: 10, 安全操作: 12 } },
    {
      type: 'single',
      count: 40,
      pointsEach: 1,
      quotas: { 法律法规: 8, 基础知识: 10, 安全操作: 12, 维护保养: 5, 应急处置: 5 },
    },
    { type: 'multi', count: 20, pointsEach: 1, quotas: { 安全操作: 6, 应急处置: 3 } },
  ],
});

/** n synthetic items (40 % 判断, 40 % 单选, 20 % 多选) with realistic-length Chinese stems and options. */
export function syntheticItems(n: number, seed = 'bank'): HashedItem[] {
  const random = seededRandom(seed);
  const filler = '叉车作业前应检查制动、转向、货叉及链条等部件是否完好，确认无误后方可启动作业';
  return Array.from({ length: n }, (_, i) => {
    const type = i % 5 < 2 ? 'judge' : i % 5 < 4 ? 'single' : 'multi';
    const options =
      type === 'judge'
        ? ['正确', '错误']
        : ['A', 'B', 'C', 'D'].map((l) => `选项${l}${i}：${filler.slice(0, 12 + random.int(12))}`);
    const answer = type === 'judge' ? [random.int(2)] : type === 'single' ? [random.int(4)] : [0, 2];
    return withHash({
      externalId: `T-${i + 1}`,
      category: 'N1',
      type,
      stem: `第${i + 1}题：${filler.slice(0, 20 + random.int(18))}（编号${i}）`,
      options,
      answer,
      knowledgePoint: KPS[Math.floor(i / 5) % KPS.length] as string,
      difficulty: 1 + random.int(5),
      explanation: null,
      image: null,
    });
  });
}

export type Fixture = {
  db: Db;
  clock: ManualClock;
  papers: PapersService;
  key: InstitutionKey;
  wrapKey: Buffer;
  sessionId: number;
  staff: Record<'chief' | 'second' | 'official' | 'bank' | 'proctor', number>;
  registrations: number[];
  items: HashedItem[];
};

export function createFixture(
  opts: {
    file?: string;
    items?: number;
    candidates?: number;
    seats?: (i: number) => number;
    settings?: Partial<SessionSettings>;
    custodianCheck?: CustodianCheck;
    key?: InstitutionKey;
    wrapKey?: Buffer;
  } = {},
): Fixture {
  const db = openDatabase(opts.file ?? ':memory:');
  migrate(db);
  const clock = new ManualClock();
  const now = clock.now();
  const items = syntheticItems(opts.items ?? 400);
  const bank = new BankService(db, clock);
  const version = bank.createVersion({
    category: 'N1',
    categoryName: '叉车司机',
    pool: 'exam',
    items,
    source: 'fixture',
    actor: 'system:test',
  });
  const blueprint = new BlueprintsRepo(db).insert(TEST_BLUEPRINT, 'system:test', now);
  const staffRepo = new StaffRepo(db);
  const person = (username: string, name: string, roles: Role[]) =>
    staffRepo.insert({
      username,
      name,
      roles,
      passwordHash: 'x',
      passwordSalt: 'x',
      mustChangePassword: false,
      disabled: false,
      createdAt: now,
      // Each chose their own password: the custodian independence rules (custodians.ts) have nothing to refuse.
      passwordSetBy: 'self',
    });
  // staff:1, the operator the tests seal and open as: never a custodian (issue 13, hole 4).
  person('operator', '周运行', ['admin']);
  const staff = {
    chief: person('chief', '张志强', ['chief_examiner']),
    second: person('admin', '王建国', ['admin']),
    official: person('official', '赵敏', ['official']),
    bank: person('bank', '李秀英', ['bank_keeper']),
    proctor: person('proctor1', '刘洋', ['proctor']),
  };
  const sessions = new SessionsRepo(db);
  const candidates = new CandidatesRepo(db);
  const count = opts.candidates ?? 6;
  const { sessionId, registrations } = db.transaction(() => {
    const roomId = sessions.insertRoom('第一考场', Math.max(30, count + 10));
    const sessionId = sessions.insertSession(
      {
        code: 'N1-TEST-01',
        name: 'N1 测试场次',
        category: 'N1',
        blueprintId: blueprint.id,
        bankVersionId: version.id,
        roomId,
        scheduledStart: now + 30 * 60_000,
        durationMinutes: 60,
        state: 'scheduled',
        settings: { ...defaultSessionSettings(), ...opts.settings },
      },
      now,
    );
    const registrations = Array.from({ length: count }, (_, i) => {
      const first17 = `370102199001${String(i).padStart(5, '0')}`;
      const candidateId = candidates.insert(
        {
          name: `考生${i + 1}`,
          idNumber: first17 + idNumberCheckDigit(first17),
          employer: null,
          trainingOrg: null,
          photo: null,
        },
        now,
      );
      return sessions.insertRegistration(
        sessionId,
        candidateId,
        `A${String(i + 1).padStart(4, '0')}`,
        opts.seats?.(i) ?? i + 1,
        now,
      );
    });
    return { sessionId, registrations };
  })();
  const key = opts.key ?? ephemeralInstitutionKey();
  const wrapKey = opts.wrapKey ?? randomBytes(32);
  const papers = new PapersService(db, clock, {
    institutionKey: key,
    wrapKey,
    ...(opts.custodianCheck ? { custodianCheck: opts.custodianCheck } : {}),
  });
  return { db, clock, papers, key, wrapKey, sessionId, staff, registrations, items };
}
