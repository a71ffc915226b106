import { z } from 'zod';
import { questionTypeSchema } from '../protocol';

export const multiScoringSchema = z.enum(['all-or-nothing', 'partial']);

const sectionSchema = z
  .object({
    type: questionTypeSchema,
    count: z.number().int().min(1).max(300),
    pointsEach: z.number().positive().max(100),
    quotas: z.record(z.string().min(1), z.number().int().min(1)).default({}),
  })
  .strict()
  .refine((s) => Object.values(s.quotas).reduce((a, b) => a + b, 0) <= s.count, {
    message: 'knowledge-point quotas add up to more than the section count',
    path: ['quotas'],
  });

export const blueprintSchema = z
  .object({
    format: z.literal('exam-center-blueprint/1'),
    category: z.string().regex(/^[A-Z][A-Z0-9]{0,3}$/),
    name: z.string().min(1).max(100),
    durationMinutes: z.number().int().min(5).max(300),
    passMark: z.number().min(0).max(100),
    // 多选 all-or-nothing is the usual rule (domain.md); 'partial' gives points in proportion when no
    // wrong option is chosen.
    multiScoring: multiScoringSchema.default('all-or-nothing'),
    sections: z.array(sectionSchema).min(1).max(3),
  })
  .strict()
  .refine((b) => new Set(b.sections.map((s) => s.type)).size === b.sections.length, {
    message: 'each question type may appear in one section only',
    path: ['sections'],
  })
  .refine((b) => Math.abs(b.sections.reduce((t, s) => t + s.count * s.pointsEach, 0) - 100) < 1e-9, {
    message: 'section points must add up to 100',
    path: ['sections'],
  });

export type Blueprint = z.infer<typeof blueprintSchema>;
export type BlueprintSection = Blueprint['sections'][number];

export const blueprintQuestionCount = (b: Blueprint) => b.sections.reduce((t, s) => t + s.count, 0);
