import { Router } from 'express';
import type { Db } from '../db/open';
import { idParam, requireStaff } from '../http/middleware';
import type { LateAnswerView } from '../protocol';
import { LateAnswersRepo } from './late-answers.repo';

/**
 * Saves refused for lateness, kept as evidence (issue 13 hole 8): the proctor's seat panel shows them, and
 * officials read them like every other record of the room. Read-only: nothing here changes a result.
 */
export function lateAnswerRoutes(db: Db): Router {
  const r = Router();
  const repo = new LateAnswersRepo(db);
  const viewers = requireStaff('admin', 'chief_examiner', 'proctor', 'official');
  r.get('/proctoring/sessions/:id/late-answers', viewers, (req, res) => {
    const lateAnswers: LateAnswerView[] = repo.ofSession(idParam(req));
    res.json({ lateAnswers });
  });
  return r;
}
