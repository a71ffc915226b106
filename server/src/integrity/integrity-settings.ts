import { z } from 'zod';

export const DUTIES = ['chief_examiner', 'proctor', 'examiner'] as const;
export const dutySchema = z.enum(DUTIES);
export type Duty = z.infer<typeof dutySchema>;

/**
 * Numbers of the integrity rules. domain.md: every [analogy] or [default] number is a setting, not a constant;
 * the notice's own number (3 years) is a setting too so a province can follow a later notice without a build.
 */
/** [notice §二(三)] 失信单位 3 年内不得承担考试工作: a floor, not a default (issue 13, hole 11). */
export const NOTICE_ORGANISATION_BAN_YEARS = 3;

export const integritySettingsSchema = z
  .object({
    // [default] 考培分离 look-back: teaching at a candidate's training organisation within this many years
    // before the exam date counts as having trained the candidate. No source gives a number; 3 is our choice.
    trainingLookbackYears: z.number().int().min(0).max(20).default(3),
    // [analogy] 每个考场 2 名监考: exam centres' own rules (domain.md, exam-room practice).
    proctorsPerRoom: z.number().int().min(1).max(10).default(2),
    // [notice] 失信单位 3 年内不得承担考试工作 (notice §二(三)).
    organisationBanYears: z.number().int().min(1).max(20).default(3),
    // [analogy] 应回避未回避: suspended "for that year and the next" (domain.md, sanctions): years after the
    // decision year that the suspension lasts.
    recusalSkipSuspensionYears: z.number().int().min(0).max(10).default(1),
    // [default] duties that need a valid 考评人员 certificate on the exam date.
    qualificationRequiredFor: z.array(dutySchema).default(['chief_examiner', 'proctor', 'examiner']),
    // [default] recusal rests on what staff declare, so staff without a signed declaration do no exam work.
    requireDeclaration: z.boolean().default(true),
  })
  .strict()
  // Floors (issue 13, hole 11): the rules an institution is held to cannot be weakened by the institution's own
  // admin. Stricter values stay settings; values below the notice are refused with the reason.
  .superRefine((s, ctx) => {
    if (s.organisationBanYears < NOTICE_ORGANISATION_BAN_YEARS)
      ctx.addIssue({
        code: 'custom',
        path: ['organisationBanYears'],
        message: `不得低于通知规定的 ${NOTICE_ORGANISATION_BAN_YEARS} 年 / may not be below the notice's ${NOTICE_ORGANISATION_BAN_YEARS} years`,
      });
    if (!s.requireDeclaration)
      ctx.addIssue({
        code: 'custom',
        path: ['requireDeclaration'],
        message: '回避须以签署的声明为据，不能关闭 / recusal rests on signed declarations: cannot be turned off',
      });
    const dropped = DUTIES.filter((d) => !s.qualificationRequiredFor.includes(d));
    if (dropped.length)
      ctx.addIssue({
        code: 'custom',
        path: ['qualificationRequiredFor'],
        message: `考评人员资格不能免除：${dropped.join(', ')} / every duty needs a valid examiner certificate`,
      });
  });

export type IntegritySettings = z.infer<typeof integritySettingsSchema>;
export const defaultIntegritySettings = (): IntegritySettings => integritySettingsSchema.parse({});
