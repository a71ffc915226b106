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
    // Sealed papers may be opened (two custodians) from this many minutes before the scheduled start until
    // the late-admission limit; earlier opening would widen the time a decrypted paper exists. [default]
    openWindowBeforeMinutes: z
      .number()
      .int()
      .min(0)
      .max(24 * 60)
      .default(60),
    // A candidate may log in only from the workstation enrolled at their seat.
    requireWorkstation: z.boolean().default(true),
    // One of the two custodians (开卷码保管人) must come from outside the institution (a supervising official), so
    // the institution alone cannot open the papers (issue 13, hole 4). [default] off: not every session has an
    // official on site; the demo turns it on.
    custodianFromOutside: z.boolean().default(false),
    // 系统故障 30–50 分钟内排除的补回时间 (domain.md, emergencies): server downtime is added back up to this cap.
    outageCompensationMaxMinutes: z.number().int().min(0).max(240).default(50),
    // [default] Extra time one person may give one candidate in total (failed PC → time extended, domain.md);
    // beyond it a second assigned person confirms each extension, so one proctor cannot favour a candidate.
    extensionCapMinutes: z.number().int().min(0).max(240).default(30),
  })
  .strict();

export type SessionSettings = z.infer<typeof sessionSettingsSchema>;
export const defaultSessionSettings = (): SessionSettings => sessionSettingsSchema.parse({});
