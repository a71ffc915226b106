import type { AckCallback } from './common';

export type SessionSummary = {
  id: number;
  code: string;
  name: string;
  category: string;
  categoryName: string;
  roomName: string;
  scheduledStart: number;
  durationMinutes: number;
  state: string;
  registered: number;
  submitted: number;
};

export type CandidateStatus = 'not-logged-in' | 'not-started' | 'answering' | 'submitted';

export type RosterRow = {
  registrationId: number;
  name: string;
  admissionNo: string;
  seatNo: number;
  status: CandidateStatus;
  answered: number;
  questionCount: number;
  score: number | null;
  passed: boolean | null;
};

export type SessionDetail = SessionSummary & { roster: RosterRow[] };

export interface StaffClientToServer {
  'session:watch': (payload: unknown, ack: AckCallback<{ sessionId: number }>) => void;
}

export interface StaffServerToClient {
  'session:changed': (info: { sessionId: number; registrationId: number | null }) => void;
}
