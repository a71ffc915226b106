import type { App } from '../app';
import type { Db } from '../db/open';
import { DEMO_CANDIDATES } from '../demo/demo-people';
import { addDays, addYears, dayOf, yearOf } from '../integrity/dates';
import type { Clock } from '../shared/clock';
import { IntegrityService } from '../integrity/integrity.service';
import { AssignmentsService } from './assignments.service';
import { CandidateProfilesRepo } from './candidates.repo';
import { idNumberCheckDigit } from './id-number';
import { StaffRepo } from './staff.repo';

const INSTITUTION = '济南市特种设备作业人员考试中心';
const REGULATOR = '济南市市场监督管理局';
const BARRED_TRAINING = '章丘安达技能培训有限公司';
const TRAINING = ['济南市特种设备培训中心', '历城区职业技能培训学校'];
const withCheckDigit = (first17: string) => first17 + idNumberCheckDigit(first17);

/** Extra demo staff whose records give the integrity checks something real to find. */
export const DEMO_INTEGRITY_STAFF = [
  // Brother of candidate 孙立伟: declared, so assigning him to the demo session is refused (回避).
  {
    username: 'proctor3',
    name: '孙立军',
    password: 'demo-proctor-2026',
    idNumber: withCheckDigit('37010219830521451'),
  },
  // Disciplined for conduct (行风处分): may never again do exam work.
  {
    username: 'proctor4',
    name: '钱德明',
    password: 'demo-proctor-2026',
    idNumber: withCheckDigit('37010219760918351'),
  },
  // Employed by a training school with a dishonesty record, and taught at a candidate's training school.
  { username: 'proctor5', name: '韩雪', password: 'demo-proctor-2026', idNumber: withCheckDigit('37010219920302264') },
] as const;

const STAFF_IDS: Record<string, string> = {
  admin: withCheckDigit('37010219700101301'),
  bank: withCheckDigit('37010219750615402'),
  chief: withCheckDigit('37010219680820501'),
  proctor1: withCheckDigit('37010219870411601'),
  proctor2: withCheckDigit('37010219890923702'),
  official: withCheckDigit('37010219800707803'),
};

/**
 * People and integrity data of the demo (issue 5): organisations, staff ID numbers and qualifications, signed
 * declarations, the chief examiner and two clean proctors assigned to the demo session, one declared relative
 * (proctor3), one barred staff member (proctor4) and one barred training organisation (employer of proctor5).
 * Called by demo/seed.ts after the demo candidates are registered and before the session is sealed.
 */
export function seedDemoPeople(app: App, db: Db, clock: Clock, sessionId: number): void {
  const { registry, records, declarations } = app.services.people;
  const actor = 'system:demo';
  const today = dayOf(clock.now());
  const org = (name: string, kind: 'exam_institution' | 'training' | 'employer') =>
    registry.ensureOrganisation(name, kind, actor);

  const institution = org(INSTITUTION, 'exam_institution');
  const regulator = org(REGULATOR, 'employer');
  const [trainingA, trainingB] = TRAINING.map((n) => org(n, 'training')) as [number, number];
  const barred = org(BARRED_TRAINING, 'training');
  records.recordDishonesty(
    barred,
    {
      decisionDate: addYears(today, -1),
      authority: '山东省市场监督管理局',
      documentNo: `鲁市监特〔${yearOf(addYears(today, -1))}〕5号`,
      summary: '组织他人代考、伪造培训记录，造成严重社会影响，列入失信名单（演示数据）',
    },
    actor,
  );

  // Link the demo candidates to organisations; their course ended a fortnight ago.
  const candidates = new CandidateProfilesRepo(db);
  for (const c of DEMO_CANDIDATES) {
    const p = candidates.byIdNumber(c.idNumber);
    if (!p) continue;
    registry.updateCandidate(
      p.id,
      {
        name: p.name,
        idNumber: p.idNumber,
        employerOrgId: org(c.employer, 'employer'),
        trainingOrgId: c.trainingOrg === TRAINING[0] ? trainingA : trainingB,
        courseFrom: addDays(today, -90),
        courseTo: addDays(today, -14),
        appliedCategory: 'N1',
      },
      actor,
    );
  }

  for (const s of DEMO_INTEGRITY_STAFF)
    app.services.auth.createStaff(
      { username: s.username, name: s.name, roles: ['proctor'], password: s.password, mustChangePassword: false },
      actor,
    );
  const staff = new StaffRepo(db);
  const idOf = (username: string) => staff.byUsername(username)?.id as number;
  const cert = (n: number) => ({
    certNo: `鲁特考评-${yearOf(today)}-${String(n).padStart(4, '0')}`,
    validFrom: addYears(today, -1),
    validTo: addYears(today, 3),
  });
  const profiles: [string, number | null, number | null][] = [
    ['admin', institution, null],
    ['bank', institution, null],
    ['chief', institution, 1],
    ['proctor1', institution, 2],
    ['proctor2', institution, 3],
    ['official', regulator, null],
    ['proctor3', institution, 4],
    ['proctor4', institution, 5],
    ['proctor5', barred, 6],
  ];
  for (const [username, employer, certIndex] of profiles)
    registry.updateStaffProfile(
      idOf(username),
      {
        idNumber: STAFF_IDS[username] ?? DEMO_INTEGRITY_STAFF.find((s) => s.username === username)?.idNumber ?? null,
        employerOrgId: employer,
        qualification: certIndex === null ? null : cert(certIndex),
      },
      actor,
    );

  // Signed declarations (the demo signs on each person's behalf; in real use each signs with their password).
  const sign = (username: string, body: Parameters<typeof declarations.signed>[1]) =>
    declarations.signed(idOf(username), body, actor);
  for (const u of ['admin', 'chief', 'proctor1', 'proctor2', 'official', 'proctor4'])
    sign(u, { relationships: [], engagements: [] });
  const brother = DEMO_CANDIDATES[0] as (typeof DEMO_CANDIDATES)[number];
  sign('proctor3', {
    relationships: [
      {
        kind: 'relative',
        personIdNumber: brother.idNumber,
        personName: brother.name,
        orgId: null,
        note: '兄弟 brother',
      },
    ],
    engagements: [],
  });
  sign('proctor5', {
    relationships: [],
    engagements: [{ orgId: trainingB, from: addYears(today, -2), to: addYears(today, -1), note: '兼职叉车理论讲师' }],
  });

  records.recordDisciplinary(
    idOf('proctor4'),
    {
      kind: 'conduct',
      decisionDate: addDays(addYears(today, -1), 30),
      authority: REGULATOR,
      documentNo: `济市监特〔${yearOf(addDays(addYears(today, -1), 30))}〕12号`,
      summary: '监考期间接受考生宴请，违反考试工作纪律，给予行风处分（演示数据）',
    },
    actor,
  );

  assignDemoStaff(db, clock, sessionId);
}

/**
 * The chief examiner and two clean proctors (每个考场 2 名监考) for a demo session, through the assignment
 * service (integrity rules checked and recorded) on the caller's clock; other demo sessions call this too.
 */
export function assignDemoStaff(db: Db, clock: Clock, sessionId: number): void {
  const staff = new StaffRepo(db);
  const assignments = new AssignmentsService(db, clock, new IntegrityService(db, clock));
  const plan: [string, 'chief_examiner' | 'proctor'][] = [
    ['chief', 'chief_examiner'],
    ['proctor1', 'proctor'],
    ['proctor2', 'proctor'],
  ];
  for (const [username, duty] of plan) {
    const s = staff.byUsername(username);
    if (s) assignments.assign(sessionId, s.id, duty, 'system:demo');
  }
}
