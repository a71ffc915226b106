/**
 * How answer saves appear in a session's chain: one 'answer.saved' event per save, or — when several saves are
 * committed together (group commit) — one 'answers.saved' event listing them all. Either way every save's
 * choice hash is in the chain; readers use savedAnswers() and need not care which form they meet.
 */
export const ANSWER_EVENT_TYPES = ['answer.saved', 'answers.saved'];

export type SavedAnswer = { registrationId: number; position: number; seq: number; choiceHash: string };

export function savedAnswers(e: { type: string; payload: Record<string, unknown> }): SavedAnswer[] {
  if (e.type === 'answer.saved') return [toSaved(e.payload)];
  if (e.type === 'answers.saved' && Array.isArray(e.payload.saves))
    return (e.payload.saves as Record<string, unknown>[]).map(toSaved);
  return [];
}

const toSaved = (p: Record<string, unknown>): SavedAnswer => ({
  registrationId: Number(p.registrationId),
  position: Number(p.position),
  seq: Number(p.seq),
  choiceHash: String(p.choiceHash),
});
