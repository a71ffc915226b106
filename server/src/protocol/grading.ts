import { z } from 'zod';

// Grading, results and reports (issue 8). Request schemas here; the answer types are the grading module's own,
// re-exported as types only so the console can import them without pulling in server code.
export type { GradeSessionReport, Mismatch } from '../grading/grading.service';
export type { CurrentResult } from '../grading/results.repo';
export type { ResultLine, SheetStatus } from '../grading/reports.repo';
export type { ScoreSheet } from '../grading/reports.service';
export type { ItemAnalysis } from '../grading/analysis.service';
export type { ItemStats, ItemFlag, PassRateRow } from '../grading/item-analysis';
export type { ReExamViolation } from '../grading/reexam';
export type { GradingSettings } from '../grading/grading-settings';

export const resultCorrectionSchema = z
  .object({
    kind: z.enum(['regrade', 'cancel']),
    reason: z.string().trim().min(4, '请写明更正理由（至少 4 个字）').max(1000),
  })
  .strict();
export type ResultCorrectionRequest = z.infer<typeof resultCorrectionSchema>;

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'YYYY-MM-DD');
export const exportFormatSchema = z.enum(['json', 'csv', 'xlsx']).default('json');

export const dateRangeQuerySchema = z.object({
  from: day,
  to: day,
  format: exportFormatSchema,
  category: z
    .string()
    .regex(/^[A-Z][A-Z0-9]{0,3}$/)
    .optional(),
});
export const itemAnalysisQuerySchema = z.object({
  category: z.string().regex(/^[A-Z][A-Z0-9]{0,3}$/),
  from: day,
  to: day,
});
export const reExamQuerySchema = z.object({ category: z.string().regex(/^[A-Z][A-Z0-9]{0,3}$/), date: day });

export type ResultSlip = import('../grading/reports.repo').ResultLine & {
  passMark: number;
  institution: string;
  corrections: { at: number; kind: string; reason: string }[];
};
