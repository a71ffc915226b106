import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { addAfterTransition } from '../audit/transition-hooks';
import type { Db } from '../db/open';
import { addTransitionGuard } from '../sessions/transition-guards';
import type { Logger } from '../shared/logger';
import { sessionNoticeBody, type NoticeTrainingEngagement, type SessionNoticeBody } from '../protocol';
import type { LinkService } from './link.service';

const ID_NUMBER = /^\d{17}[\dX]$/;
const DAY = /^\d{4}-\d{2}-\d{2}$/;
/** The wire's limit per person (protocol/regulator.ts); a declaration longer than that is cut, not refused. */
const MAX_ENGAGEMENTS = 50;

/**
 * What the centre tells the regulator as a session moves (issue 14): a session.notice at sealing and at every
 * transition, and the archive itself (archive.submitted) once it is built — queued in the transition's own
 * transaction, so a session never reaches a state the regulator is not told of. Also the opening guard:
 * opening on a stale ban list needs a fresh list or an exception. Returns a function removing both.
 */
export function wireLinkHooks(db: Db, link: LinkService, dataDir: string | null, logger: Logger): () => void {
  const removeGuard = addTransitionGuard(db, (session, to) => {
    if (to === 'open') link.checkOpening(session.id);
  });
  const removeHook = addAfterTransition(db, (sessionId, to) => {
    const notice = sessionNotice(link, sessionId);
    if (notice) link.enqueue('session.notice', notice);
    else logger.error({ sessionId, to }, 'session notice for the regulator could not be built');
    if (to === 'archived') {
      const archive = link.repo.latestArchive(sessionId);
      // An app without a data folder (unit tests) keeps archives in memory: nothing to send.
      if (!archive || !dataDir || archive.file.startsWith('(memory)')) return;
      const bytes = readFileSync(join(dataDir, archive.file));
      link.enqueue('archive.submitted', {
        sessionCode: notice?.sessionCode ?? String(sessionId),
        fileName: basename(archive.file),
        sha256: archive.sha256,
        bytes: bytes.toString('base64'),
      });
    }
  });
  return () => {
    removeGuard();
    removeHook();
  };
}

/**
 * The notice body. People without a valid ID number on file are left out rather than let one bad record make
 * the whole message malformed (the regulator would refuse it and the channel would stop there).
 */
export function sessionNotice(link: LinkService, sessionId: number): SessionNoticeBody | null {
  const s = link.repo.sessionForNotice(sessionId);
  if (!s) return null;
  // Likewise an engagement the wire could not carry is left out, never the whole notice.
  const engagements = new Map<string, NoticeTrainingEngagement[]>();
  for (const e of link.repo.noticeEngagements(sessionId)) {
    const list = engagements.get(e.idNumber) ?? [];
    if (!e.orgName.trim() || !DAY.test(e.from) || (e.to !== null && !DAY.test(e.to)) || list.length >= MAX_ENGAGEMENTS)
      continue;
    list.push({
      org: { name: e.orgName.trim().slice(0, 100), creditCode: e.orgCreditCode?.slice(0, 18) ?? null },
      from: e.from,
      to: e.to,
    });
    engagements.set(e.idNumber, list);
  }
  const body = {
    sessionCode: s.code,
    category: s.category,
    state: s.state,
    scheduledStart: s.scheduledStart,
    scheduledEnd: s.scheduledEnd,
    candidates: link.repo
      .noticeCandidates(sessionId)
      .filter((c) => ID_NUMBER.test(c.idNumber) && c.name.trim())
      .map((c) => ({
        idNumber: c.idNumber,
        name: c.name.trim().slice(0, 50),
        trainingOrg: c.orgName
          ? { name: c.orgName.trim().slice(0, 100), creditCode: c.orgCreditCode?.slice(0, 18) ?? null }
          : null,
      })),
    staff: link.repo
      .noticeStaff(sessionId)
      .filter((p) => ID_NUMBER.test(p.idNumber) && p.name.trim())
      .map((p) => ({
        idNumber: p.idNumber,
        name: p.name.trim().slice(0, 50),
        duty: p.duty,
        trainingEngagements: engagements.get(p.idNumber) ?? [],
      })),
  };
  const parsed = sessionNoticeBody.safeParse(body);
  return parsed.success ? parsed.data : null;
}
