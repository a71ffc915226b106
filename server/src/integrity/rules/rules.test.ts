import { describe, expect, it } from 'vitest';
import { defaultIntegritySettings, type Duty, type IntegritySettings } from '../integrity-settings';
import {
  evaluate,
  RULE_FUNCTIONS,
  type CandidateFacts,
  type OrgFacts,
  type PlanFacts,
  type RuleId,
  type StaffFacts,
  type ExceptionRecord,
} from './index';

// Organisations of the fixture: 1 institution, 2/3 training organisations, 4/5 employers.
const INSTITUTION = 1;
const TRAIN_A = 2;
const TRAIN_B = 3;
const EMP_X = 4;
const EMP_Y = 5;
const EXAM_DATE = '2026-05-10';

const orgs = (dishonesty: Record<number, OrgFacts['dishonesty']> = {}): Map<number, OrgFacts> =>
  new Map(
    (
      [
        [INSTITUTION, '济南考试中心', 'exam_institution'],
        [TRAIN_A, '甲培训学校', 'training'],
        [TRAIN_B, '乙培训中心', 'training'],
        [EMP_X, '宏达物流', 'employer'],
        [EMP_Y, '鲁丰仓储', 'employer'],
      ] as const
    ).map(([id, name, kind]) => [id, { id, name, kind, dishonesty: dishonesty[id] ?? [] }]),
  );

const staff = (over: Partial<StaffFacts> = {}): StaffFacts => ({
  id: 10,
  name: '刘洋',
  roles: ['proctor'],
  employerOrgId: INSTITUTION,
  qualification: { certNo: 'KP-001', validFrom: '2024-01-01', validTo: '2027-12-31' },
  declaration: { id: 100, version: 1, signedAt: 0 },
  relationships: [],
  engagements: [],
  disciplinary: [],
  ...over,
});

const C1: CandidateFacts = {
  id: 1,
  name: '孙立伟',
  idNumber: '37010219850312451X',
  employerOrgId: EMP_X,
  trainingOrgId: TRAIN_A,
};
const C2: CandidateFacts = {
  id: 2,
  name: '周海燕',
  idNumber: '370102199007262825',
  employerOrgId: EMP_Y,
  trainingOrgId: TRAIN_B,
};

type Case = {
  name: string;
  rule: RuleId;
  staff?: StaffFacts[];
  duties?: (Duty | 'custodian')[];
  candidates?: CandidateFacts[];
  examDate?: string;
  institution?: number | null;
  dishonesty?: Record<number, OrgFacts['dishonesty']>;
  bank?: PlanFacts['bank'];
  settings?: Partial<IntegritySettings>;
  expect: { code: string; reason?: string; staffId?: number; candidateId?: number }[];
};

const dishonest = (decisionDate: string) => [
  { id: 7, decisionDate, authority: '省市场监管局', documentNo: '鲁市监〔2023〕1号', summary: '弄虚作假' },
];
const disc = (kind: 'conduct' | 'data_breach' | 'recusal_skipped', decisionDate: string) => [
  { id: 8, kind, decisionDate, authority: '市市场监管局', documentNo: '济市监〔2024〕9号', summary: '处分' },
];

const CASES: Case[] = [
  // declaration
  { name: 'signed declaration passes', rule: 'declaration', expect: [] },
  {
    name: 'no declaration is refused',
    rule: 'declaration',
    staff: [staff({ declaration: null })],
    expect: [{ code: 'declaration-missing', staffId: 10 }],
  },
  {
    name: 'a supervising official holding a custodian code signs nothing here',
    rule: 'declaration',
    staff: [staff({ declaration: null, roles: ['official'] })],
    duties: ['custodian'],
    expect: [],
  },
  {
    name: 'an admin holding a custodian code must have declared',
    rule: 'declaration',
    staff: [staff({ declaration: null, roles: ['admin'] })],
    duties: ['custodian'],
    expect: [{ code: 'declaration-missing' }],
  },
  {
    name: 'no declaration passes when the setting is off',
    rule: 'declaration',
    staff: [staff({ declaration: null })],
    settings: { requireDeclaration: false },
    expect: [],
  },
  // staff bans
  { name: 'no disciplinary record passes', rule: 'staff-ban', expect: [] },
  {
    name: '行风处分 bans for ever',
    rule: 'staff-ban',
    staff: [staff({ disciplinary: disc('conduct', '2012-01-01') })],
    expect: [{ code: 'staff-banned', reason: 'conduct', staffId: 10 }],
  },
  {
    name: '行风处分 on the exam date already bans',
    rule: 'staff-ban',
    staff: [staff({ disciplinary: disc('conduct', EXAM_DATE) })],
    expect: [{ code: 'staff-banned', reason: 'conduct' }],
  },
  {
    name: 'a decision after the exam date does not reach back',
    rule: 'staff-ban',
    staff: [staff({ disciplinary: disc('conduct', '2026-05-11') })],
    expect: [],
  },
  {
    name: 'data breach bans for ever',
    rule: 'staff-ban',
    staff: [staff({ disciplinary: disc('data_breach', '2015-06-01') })],
    expect: [{ code: 'staff-banned', reason: 'data_breach' }],
  },
  {
    name: 'skipped recusal: suspended through the next year',
    rule: 'staff-ban',
    examDate: '2026-12-31',
    staff: [staff({ disciplinary: disc('recusal_skipped', '2025-03-01') })],
    expect: [{ code: 'staff-banned', reason: 'recusal_skipped' }],
  },
  {
    name: 'skipped recusal: free on 1 January two years on',
    rule: 'staff-ban',
    examDate: '2027-01-01',
    staff: [staff({ disciplinary: disc('recusal_skipped', '2025-03-01') })],
    expect: [],
  },
  // organisation bans
  { name: 'no dishonesty record passes', rule: 'organisation-ban', expect: [] },
  {
    name: 'employer barred on the last day of its 3 years',
    rule: 'organisation-ban',
    examDate: '2026-05-10',
    staff: [staff({ employerOrgId: TRAIN_B })],
    dishonesty: { [TRAIN_B]: dishonest('2023-05-10') },
    expect: [{ code: 'organisation-banned', reason: 'employer', staffId: 10 }],
  },
  {
    name: 'employer free the day after its 3 years end',
    rule: 'organisation-ban',
    examDate: '2026-05-11',
    staff: [staff({ employerOrgId: TRAIN_B })],
    dishonesty: { [TRAIN_B]: dishonest('2023-05-10') },
    expect: [],
  },
  {
    name: 'ban from 29 February ends on 28 February',
    rule: 'organisation-ban',
    examDate: '2027-02-28',
    staff: [staff({ employerOrgId: EMP_Y })],
    dishonesty: { [EMP_Y]: dishonest('2024-02-29') },
    expect: [{ code: 'organisation-banned' }],
  },
  {
    name: 'ban from 29 February is over on 1 March',
    rule: 'organisation-ban',
    examDate: '2027-03-01',
    staff: [staff({ employerOrgId: EMP_Y })],
    dishonesty: { [EMP_Y]: dishonest('2024-02-29') },
    expect: [],
  },
  {
    name: 'barred institution blocks exam work',
    rule: 'organisation-ban',
    dishonesty: { [INSTITUTION]: dishonest('2025-01-01') },
    expect: [
      { code: 'organisation-banned', reason: 'institution' },
      { code: 'organisation-banned', reason: 'employer' },
    ],
  },
  {
    name: 'ban length is a setting',
    rule: 'organisation-ban',
    examDate: '2026-05-11',
    settings: { organisationBanYears: 5 },
    staff: [staff({ employerOrgId: TRAIN_B })],
    dishonesty: { [TRAIN_B]: dishonest('2023-05-10') },
    expect: [{ code: 'organisation-banned' }],
  },
  // qualification
  { name: 'certificate valid on the exam date passes', rule: 'qualification', expect: [] },
  {
    name: 'certificate expiring on the exam date still passes',
    rule: 'qualification',
    staff: [staff({ qualification: { certNo: 'K', validFrom: '2022-01-01', validTo: EXAM_DATE } })],
    expect: [],
  },
  {
    name: 'certificate expired the day before the exam is refused',
    rule: 'qualification',
    staff: [staff({ qualification: { certNo: 'K', validFrom: '2022-01-01', validTo: '2026-05-09' } })],
    expect: [{ code: 'qualification-expired', staffId: 10 }],
  },
  {
    name: 'certificate valid only from the day after is refused',
    rule: 'qualification',
    staff: [staff({ qualification: { certNo: 'K', validFrom: '2026-05-11', validTo: '2030-01-01' } })],
    expect: [{ code: 'qualification-not-yet-valid' }],
  },
  {
    name: 'no certificate is refused',
    rule: 'qualification',
    staff: [staff({ qualification: null })],
    expect: [{ code: 'qualification-missing' }],
  },
  {
    name: 'no certificate passes for a duty the setting does not cover',
    rule: 'qualification',
    staff: [staff({ qualification: null })],
    duties: ['examiner'],
    settings: { qualificationRequiredFor: ['proctor'] },
    expect: [],
  },
  // recusal
  { name: 'no relationship passes', rule: 'recusal', expect: [] },
  {
    name: 'declared relative is refused',
    rule: 'recusal',
    staff: [
      staff({
        relationships: [
          { id: 1, kind: 'relative', personIdNumber: C1.idNumber, personName: C1.name, orgId: null, note: '兄弟' },
        ],
      }),
    ],
    expect: [{ code: 'recusal-conflict', reason: 'relative', staffId: 10, candidateId: 1 }],
  },
  {
    name: 'relative matched whatever the case of X',
    rule: 'recusal',
    staff: [
      staff({
        relationships: [
          {
            id: 1,
            kind: 'relative',
            personIdNumber: C1.idNumber.toLowerCase(),
            personName: null,
            orgId: null,
            note: null,
          },
        ],
      }),
    ],
    expect: [{ code: 'recusal-conflict', reason: 'relative', candidateId: 1 }],
  },
  {
    name: 'relative who is not in the session passes',
    rule: 'recusal',
    staff: [
      staff({
        relationships: [
          { id: 1, kind: 'relative', personIdNumber: '110101199003077777', personName: '某', orgId: null, note: null },
        ],
      }),
    ],
    expect: [],
  },
  {
    name: 'same employer found from the profile',
    rule: 'recusal',
    staff: [staff({ employerOrgId: EMP_X })],
    expect: [{ code: 'recusal-conflict', reason: 'same-employer', candidateId: 1 }],
  },
  {
    name: 'declared same employer (former employer)',
    rule: 'recusal',
    staff: [
      staff({
        relationships: [
          { id: 2, kind: 'same_employer', personIdNumber: null, personName: null, orgId: EMP_Y, note: '原单位' },
        ],
      }),
    ],
    expect: [{ code: 'recusal-conflict', reason: 'same-employer', candidateId: 2 }],
  },
  {
    name: 'declared other interest in a person',
    rule: 'recusal',
    staff: [
      staff({
        relationships: [
          {
            id: 3,
            kind: 'other_interest',
            personIdNumber: C2.idNumber,
            personName: C2.name,
            orgId: null,
            note: '债务',
          },
        ],
      }),
    ],
    expect: [{ code: 'recusal-conflict', reason: 'declared-interest', candidateId: 2 }],
  },
  {
    name: 'declared other interest in an organisation',
    rule: 'recusal',
    staff: [
      staff({
        relationships: [
          { id: 3, kind: 'other_interest', personIdNumber: null, personName: null, orgId: TRAIN_A, note: '股东' },
        ],
      }),
    ],
    expect: [{ code: 'recusal-conflict', reason: 'declared-interest', candidateId: 1 }],
  },
  // training/testing separation
  { name: 'no training link passes', rule: 'training-separation', expect: [] },
  {
    name: 'declared trainer of the candidate is refused',
    rule: 'training-separation',
    staff: [
      staff({
        relationships: [
          { id: 4, kind: 'trained', personIdNumber: C2.idNumber, personName: C2.name, orgId: null, note: null },
        ],
      }),
    ],
    expect: [{ code: 'training-conflict', reason: 'trained-candidate', candidateId: 2 }],
  },
  {
    name: 'taught at the training organisation until the first day of the look-back',
    rule: 'training-separation',
    staff: [staff({ engagements: [{ id: 5, orgId: TRAIN_A, from: '2020-01-01', to: '2023-05-10', note: null }] })],
    expect: [{ code: 'training-conflict', reason: 'taught-at-training-org', candidateId: 1 }],
  },
  {
    name: 'taught there until the day before the look-back passes',
    rule: 'training-separation',
    staff: [staff({ engagements: [{ id: 5, orgId: TRAIN_A, from: '2020-01-01', to: '2023-05-09', note: null }] })],
    expect: [],
  },
  {
    name: 'an engagement starting after the exam passes',
    rule: 'training-separation',
    staff: [staff({ engagements: [{ id: 5, orgId: TRAIN_A, from: '2026-05-11', to: null, note: null }] })],
    expect: [],
  },
  {
    name: 'an ongoing engagement is refused',
    rule: 'training-separation',
    staff: [staff({ engagements: [{ id: 5, orgId: TRAIN_B, from: '2026-01-01', to: null, note: null }] })],
    expect: [{ code: 'training-conflict', candidateId: 2 }],
  },
  {
    name: 'look-back is a setting',
    rule: 'training-separation',
    settings: { trainingLookbackYears: 1 },
    staff: [staff({ engagements: [{ id: 5, orgId: TRAIN_A, from: '2020-01-01', to: '2024-12-31', note: null }] })],
    expect: [],
  },
  {
    name: 'employed by the training organisation is refused',
    rule: 'training-separation',
    staff: [staff({ employerOrgId: TRAIN_A })],
    expect: [{ code: 'training-conflict', reason: 'employed-by-training-org', candidateId: 1 }],
  },
  // institution separation
  { name: 'institution is nobody’s training organisation', rule: 'institution-separation', expect: [] },
  {
    name: 'institution trained a candidate',
    rule: 'institution-separation',
    candidates: [C1, { ...C2, trainingOrgId: INSTITUTION }],
    expect: [{ code: 'institution-trains-candidate', candidateId: 2 }],
  },
  {
    name: 'institution not registered cannot be checked',
    rule: 'institution-separation',
    institution: null,
    expect: [{ code: 'institution-not-registered' }],
  },
  // pool separation
  {
    name: 'exam pool sharing nothing with practice passes',
    rule: 'pool-separation',
    bank: {
      versionId: 1,
      pool: 'exam',
      category: 'N1',
      itemHashes: ['a', 'b'],
      practiceVersions: [{ id: 2, itemHashes: ['c'] }],
    },
    expect: [],
  },
  {
    name: 'a practice version used for an exam is refused',
    rule: 'pool-separation',
    bank: { versionId: 2, pool: 'practice', category: 'N1', itemHashes: ['c'], practiceVersions: [] },
    expect: [{ code: 'not-exam-pool' }],
  },
  {
    name: 'exam items found in practice are refused',
    rule: 'pool-separation',
    bank: {
      versionId: 1,
      pool: 'exam',
      category: 'N1',
      itemHashes: ['a', 'b'],
      practiceVersions: [{ id: 2, itemHashes: ['c', 'b'] }],
    },
    expect: [{ code: 'exam-pool-in-practice' }],
  },
  // staffing
  {
    name: 'two proctors pass',
    rule: 'staffing',
    staff: [staff(), staff({ id: 11 })],
    duties: ['proctor', 'proctor'],
    expect: [],
  },
  {
    name: 'one proctor and a chief examiner are too few',
    rule: 'staffing',
    staff: [staff(), staff({ id: 11 })],
    duties: ['proctor', 'chief_examiner'],
    expect: [{ code: 'understaffed' }],
  },
  {
    name: 'proctors per room is a setting',
    rule: 'staffing',
    staff: [staff(), staff({ id: 11 })],
    duties: ['proctor', 'proctor'],
    settings: { proctorsPerRoom: 3 },
    expect: [{ code: 'understaffed' }],
  },
];

function plan(c: Case): PlanFacts {
  const list = c.staff ?? [staff()];
  return {
    sessionId: 1,
    sessionCode: 'N1-20260510-01',
    examDate: c.examDate ?? EXAM_DATE,
    institutionOrgId: c.institution === undefined ? INSTITUTION : c.institution,
    staff: list.map((s, i) => ({ staff: s, duty: c.duties?.[i] ?? 'proctor' })),
    candidates: c.candidates ?? [C1, C2],
    orgs: orgs(c.dishonesty),
    bank: c.bank ?? null,
  };
}

describe('integrity rules', () => {
  it.each(CASES)('$rule: $name', (c) => {
    const settings = { ...defaultIntegritySettings(), ...c.settings };
    const findings = RULE_FUNCTIONS[c.rule](plan(c), settings);
    expect(findings.map((f) => f.code)).toEqual(c.expect.map((e) => e.code));
    c.expect.forEach((e, i) => {
      const f = findings[i]!;
      expect(f.rule).toBe(c.rule);
      if (e.reason) expect(f.reason).toBe(e.reason);
      if (e.staffId) expect(f.staffId).toBe(e.staffId);
      if (e.candidateId) expect(f.candidateId).toBe(e.candidateId);
      expect(f.records.length).toBeGreaterThan(0);
      expect(f.message.length).toBeGreaterThan(0);
    });
  });

  it('covers every rule with a passing and a violating case', () => {
    for (const rule of Object.keys(RULE_FUNCTIONS)) {
      expect(
        CASES.some((c) => c.rule === rule && c.expect.length === 0),
        `${rule} passes`,
      ).toBe(true);
      expect(
        CASES.some((c) => c.rule === rule && c.expect.length > 0),
        `${rule} violates`,
      ).toBe(true);
    }
  });

  it('names both people in a recusal finding', () => {
    const c = CASES.find((x) => x.name === 'declared relative is refused')!;
    const [f] = RULE_FUNCTIONS.recusal(plan(c), defaultIntegritySettings());
    expect(f!.message).toContain('刘洋');
    expect(f!.message).toContain('孙立伟');
  });

  it('waives a same-employer finding with a documented exception, never a relative or a ban', () => {
    const p = plan({
      name: '',
      rule: 'recusal',
      staff: [
        staff({
          employerOrgId: EMP_X,
          disciplinary: disc('conduct', '2020-01-01'),
          relationships: [
            { id: 1, kind: 'relative', personIdNumber: C2.idNumber, personName: C2.name, orgId: null, note: null },
          ],
        }),
      ],
      expect: [],
    });
    const exceptions: ExceptionRecord[] = [
      { id: 1, code: 'recusal-conflict', reason: 'same-employer', staffId: 10, candidateId: null },
      { id: 2, code: 'recusal-conflict', reason: 'relative', staffId: 10, candidateId: 2 },
      { id: 3, code: 'staff-banned', reason: 'conduct', staffId: 10, candidateId: null },
    ];
    const results = evaluate(p, defaultIntegritySettings(), ['recusal', 'staff-ban'], exceptions);
    const recusal = results[0]!;
    expect(recusal.findings.find((f) => f.reason === 'same-employer')?.exceptionId).toBe(1);
    expect(recusal.findings.find((f) => f.reason === 'relative')?.exceptionId).toBeUndefined();
    expect(recusal.outcome).toBe('violation');
    expect(results[1]!.outcome).toBe('violation');

    const onlyEmployer = evaluate({ ...p, candidates: [C1] }, defaultIntegritySettings(), ['recusal'], exceptions);
    expect(onlyEmployer[0]!.outcome).toBe('exception');
  });
});
