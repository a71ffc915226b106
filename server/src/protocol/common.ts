import { z } from 'zod';

export const ROLES = ['admin', 'bank_keeper', 'chief_examiner', 'proctor', 'official'] as const;
export const roleSchema = z.enum(ROLES);
export type Role = z.infer<typeof roleSchema>;

export type ApiErrorBody = { error: { code: string; message: string; details?: unknown } };

/** Every client→server socket event is acknowledged with this shape. */
export type Ack<T> = { ok: true; data: T } | { ok: false; error: { code: string; message: string } };
export type AckCallback<T> = (ack: Ack<T>) => void;

export const QUESTION_TYPES = ['judge', 'single', 'multi'] as const;
export const questionTypeSchema = z.enum(QUESTION_TYPES);
export type QuestionType = z.infer<typeof questionTypeSchema>;
