import { z } from 'zod';

export type PlanningOptions = {
  categories: { code: string; name: string }[];
  blueprints: { id: number; category: string; name: string; durationMinutes: number; passMark: number }[];
  bankVersions: { id: number; category: string; fingerprint: string; itemCount: number; createdAt: number }[];
  rooms: { id: number; name: string; seatCount: number }[];
};

export const sessionPlanInput = z
  .object({
    name: z.string().trim().min(2).max(100),
    category: z.string().regex(/^[A-Z][A-Z0-9]{0,3}$/),
    blueprintId: z.number().int().positive(),
    bankVersionId: z.number().int().positive(),
    roomId: z.number().int().positive(),
    scheduledStart: z.number().int().positive(),
    durationMinutes: z.number().int().min(5).max(300).optional(),
    settings: z
      .object({
        lateAdmissionMinutes: z.number().int().min(0).max(120),
        minSubmitMinutes: z.number().int().min(0).max(300),
        warnBeforeEndMinutes: z.number().int().min(0).max(60),
        showScoreOnSubmit: z.boolean(),
        requireWorkstation: z.boolean(),
        // Per-candidate extension total one person may give; beyond it a second person confirms (issue 13).
        extensionCapMinutes: z.number().int().min(0).max(240),
      })
      .partial()
      .strict()
      .optional(),
  })
  .strict();
export type SessionPlanInput = z.infer<typeof sessionPlanInput>;

export const roomInput = z
  .object({ name: z.string().trim().min(1).max(50), seatCount: z.number().int().min(1).max(500) })
  .strict();

export type AdmissionTicket = {
  registrationId: number;
  name: string;
  idNumberMasked: string;
  employer: string | null;
  photo: string | null;
  admissionNo: string;
  seatNo: number;
  sessionCode: string;
  sessionName: string;
  category: string;
  roomName: string;
  scheduledStart: number;
  durationMinutes: number;
  lateAdmissionMinutes: number;
};
