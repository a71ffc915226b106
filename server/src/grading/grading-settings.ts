import { z } from 'zod';

/**
 * Re-exam (补考) policy. domain.md marks every number here [analogy] (a comparable national exam rule), so each
 * one is a setting, not a constant.
 */
export const reExamPolicySchema = z
  .object({
    // [analogy] one re-exam of a failed subject.
    maxReExams: z.number().int().min(0).max(10).default(1),
    // [analogy] within the 1-year validity of the passed subject: days from the first attempt's exam date.
    withinDays: z.number().int().min(1).max(3650).default(365),
    // [analogy] a re-exam is never held on the same day as the attempt it repeats.
    notSameDay: z.boolean().default(true),
    // [analogy] none for category A in some provinces: configure per province, empty by default.
    categoriesWithoutReExam: z.array(z.string().regex(/^[A-Z][A-Z0-9]{0,3}$/)).default([]),
    // [analogy] none when the subject was missed (absent): the candidate applies again from the start.
    noReExamAfterAbsence: z.boolean().default(true),
  })
  .strict();
export type ReExamPolicy = z.infer<typeof reExamPolicySchema>;

/** Item-analysis thresholds [default]: classical test theory's customary cut-offs, not from any source. */
export const itemAnalysisSettingsSchema = z
  .object({
    tooEasyAbove: z.number().min(0).max(1).default(0.9),
    tooHardBelow: z.number().min(0).max(1).default(0.2),
    // discrimination (point-biserial and upper–lower D) below this is flagged; 0 = negatively discriminating
    minDiscrimination: z.number().min(-1).max(1).default(0),
    // items answered fewer times than this get statistics but no flags (too few to judge)
    minResponses: z.number().int().min(1).max(10_000).default(30),
    // a pass rate this many standard errors from the group's earlier sessions is a "sudden change" (fraud signal)
    suddenChangeZ: z.number().min(0.5).max(10).default(2),
    // smallest number of candidates in both the session and the earlier sessions before comparing
    suddenChangeMinCandidates: z.number().int().min(1).max(10_000).default(10),
  })
  .strict();
export type ItemAnalysisSettings = z.infer<typeof itemAnalysisSettingsSchema>;

export const gradingSettingsSchema = z
  .object({
    reExam: reExamPolicySchema.default(() => reExamPolicySchema.parse({})),
    itemAnalysis: itemAnalysisSettingsSchema.default(() => itemAnalysisSettingsSchema.parse({})),
  })
  .strict();
export type GradingSettings = z.infer<typeof gradingSettingsSchema>;
export const defaultGradingSettings = (): GradingSettings => gradingSettingsSchema.parse({});
