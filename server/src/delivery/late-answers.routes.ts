import { Router } from 'express';
import type { Db } from '../db/open';
import { idParam, requireStaff } from '../http/middleware';
import type { LateAnswerView } from '../protocol';
import type { SessionDuty } from '../sessions/session-duty';
import { LateAnswersRepo } from './late-answers.repo';

/**
 * Saves refused for lateness, kept as evidence (issue 13 hole 8): the proctor's seat panel shows them, and
 * officials read them like every other record of the room. Read-only: nothing here changes a result. Only the
 * session's own staff, the admin and officials read them (SessionDuty.requireReader).
 */
export function lateAnswerRoutes(db: Db, duty: SessionDuty): Router {
  const r = Router();
  const repo = new LateAnswersRepo(db);
  const viewers = requireStaff('admin', 'chief_examiner', 'proctor', 'official');
  r.get('/proctoring/sessions/:id/late-answers', viewers, duty.readsSession(), (req, res) => {
    const lateAnswers: LateAnswerView[] = repo.ofSession(idParam(req));
    res.json({ lateAnswers });
  });
  return r;
}
