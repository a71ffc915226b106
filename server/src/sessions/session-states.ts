import { AppError } from '../shared/errors';

export const SESSION_STATES = [
  'draft',
  'scheduled',
  'sealed',
  'open',
  'running',
  'paused',
  'closed',
  'graded',
  'archived',
] as const;
export type SessionState = (typeof SESSION_STATES)[number];

// design.md, Session states. 'sealed → scheduled' is a reseal (lost custodian code).
const ALLOWED: Record<SessionState, SessionState[]> = {
  draft: ['scheduled'],
  scheduled: ['draft', 'sealed'],
  sealed: ['open', 'scheduled'],
  open: ['running'],
  running: ['paused', 'closed'],
  paused: ['running', 'closed'],
  closed: ['graded'],
  graded: ['archived'],
  archived: [],
};

export function assertTransition(from: SessionState, to: SessionState): void {
  if (!ALLOWED[from].includes(to))
    throw new AppError('illegal-transition', `a session cannot go from ${from} to ${to}`, 409, { from, to });
}

export const canTransition = (from: SessionState, to: SessionState) => ALLOWED[from].includes(to);
