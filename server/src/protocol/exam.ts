import { z } from 'zod';
import type { AckCallback, QuestionType } from './common';
import type { ProctorMessage } from './proctoring';

/** A question as the candidate sees it: never the answer key. */
export type CandidateQuestion = {
  position: number; // 1-based order on this candidate's paper
  type: QuestionType;
  stem: string;
  options: string[];
};

export type CandidateProfile = {
  registrationId: number;
  name: string;
  admissionNo: string;
  idNumberMasked: string;
  seatNo: number;
  photo: string | null;
  session: { id: number; code: string; name: string; category: string; categoryName: string; state: string };
};

export type ExamStatus = 'not-started' | 'in-progress' | 'submitted';

export type ExamResultView = { score: number; maxScore: number; passed: boolean; passMark: number };

export type ExamSnapshot = {
  status: ExamStatus;
  serverNow: number;
  durationMs: number;
  remainingMs: number;
  paused: boolean; // the clock stands still (session-wide or this candidate)
  /** Server-outage time given back to this attempt so far (系统故障补时), so the screen can say so. */
  timeGivenBackMs: number;
  canSubmitAfterMs: number; // 0 when submission is already allowed
  warnBeforeEndMs: number;
  questions: CandidateQuestion[];
  answers: Record<number, { choice: number[]; seq: number }>;
  lastSeq: number;
  result: ExamResultView | null;
  resultHidden: boolean;
};

// Strict: a field the client may not send (e.g. another registrationId) is an error, not silently dropped.
export const answerSaveRequest = z
  .object({
    position: z.number().int().min(1).max(500),
    choice: z.array(z.number().int().min(0).max(9)).max(10),
    seq: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER),
  })
  .strict();
export type AnswerSaveRequest = z.infer<typeof answerSaveRequest>;
export type AnswerSaveAck = { position: number; seq: number; savedAt: number; applied: boolean };

/**
 * A save refused because the time was up or the paper already submitted (issue 13 hole 8): never graded,
 * kept as evidence for the proctor (GET /api/proctoring/sessions/:id/late-answers).
 */
export type LateAnswerView = {
  id: number;
  registrationId: number;
  admissionNo: string;
  candidateName: string;
  seatNo: number;
  position: number;
  choice: number[];
  seq: number;
  choiceHash: string;
  reason: 'time-up' | 'already-submitted';
  receivedAt: number;
};

export const examSubmitRequest = z.object({ confirm: z.literal(true) }).strict();
export type ExamSubmitAck = { submittedAt: number; result: ExamResultView | null };

export type TimeSync = {
  serverNow: number;
  remainingMs: number;
  status: ExamStatus;
  paused: boolean;
  timeGivenBackMs: number;
};

/** Behaviour the candidate's browser reports to proctors (issue 6): logged, never blocking. */
export const PROCTOR_SIGNALS = [
  'focus-lost',
  'focus-back',
  'fullscreen-exit',
  'copy',
  'paste',
  'context-menu',
  'hidden',
] as const;
export const proctorSignalRequest = z.object({ kind: z.enum(PROCTOR_SIGNALS) }).strict();

// Staff controls of a running exam; a reason is always recorded (应急预案: every decision with its reason).
const reason = z.string().trim().min(2, 'give a reason').max(500);
export const controlReasonRequest = z.object({ reason }).strict();
export const extendRequest = z.object({ minutes: z.number().int().min(1).max(120), reason }).strict();
export const seatMoveRequest = z.object({ toSeat: z.number().int().min(1).max(1000), reason }).strict();
export const enrolWorkstationRequest = z
  .object({ seatNo: z.number().int().min(1).max(1000), label: z.string().trim().max(100).optional() })
  .strict();
export type EnrolWorkstationResponse = { token: string; workstationId: number; roomId: number; seatNo: number };
/** An extension past the session's per-candidate cap, waiting for a second assigned person (issue 13). */
export type PendingExtension = {
  id: number;
  sessionId: number;
  registrationId: number;
  minutes: number;
  reason: string;
  requestedBy: string;
  requestedAt: number;
  confirmedBy: string | null;
  confirmedAt: number | null;
};
/** 200 with applied, or 202 with the request a second person must confirm. */
export type ExtendResponse = { ok: true; applied: true } | { ok: true; applied: false; pending: PendingExtension };

export interface CandidateClientToServer {
  'exam:join': (payload: unknown, ack: AckCallback<ExamSnapshot>) => void;
  'exam:start': (payload: unknown, ack: AckCallback<ExamSnapshot>) => void;
  'answer:save': (payload: unknown, ack: AckCallback<AnswerSaveAck>) => void;
  'exam:submit': (payload: unknown, ack: AckCallback<ExamSubmitAck>) => void;
  'exam:time': (payload: unknown, ack: AckCallback<TimeSync>) => void;
  'proctor:signal': (payload: unknown, ack: AckCallback<{ logged: boolean }>) => void;
}

export interface CandidateServerToClient {
  /** A proctor's warning, notice or room broadcast (proctoring, issue 7). */
  'proctor:message': (message: ProctorMessage) => void;
  'exam:time': (sync: TimeSync) => void;
  'exam:submitted': (info: { reason: 'candidate' | 'time-up' | 'proctor'; result: ExamResultView | null }) => void;
  /** The clock changed (pause, resume, extension): ask for the time again. */
  'exam:resync': () => void;
  /** A proctor moved this candidate to another seat: log in again there. */
  'exam:seat-moved': (info: { toSeat: number }) => void;
}
