import { z } from 'zod';

/** Exam-room rules as per-session settings; defaults from domain.md (exam-room practice). */
export const sessionSettingsSchema = z
  .object({
    // 迟到 30 分钟不得入场
    lateAdmissionMinutes: z.number().int().min(0).max(10_080).default(30),
    // 开考 30 分钟内不得交卷
    minSubmitMinutes: z.number().int().min(0).max(300).default(30),
    // 结束前 10 分钟提醒
    warnBeforeEndMinutes: z.number().int().min(0).max(60).default(10),
    // 机考 usually shows the score at submission; a session may hold it until release.
    showScoreOnSubmit: z.boolean().default(true),
  })
  .strict();

export type SessionSettings = z.infer<typeof sessionSettingsSchema>;
export const defaultSessionSettings = (): SessionSettings => sessionSettingsSchema.parse({});
