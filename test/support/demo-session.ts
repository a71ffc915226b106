import { installFreshBanList } from './link';
import type { TestServer } from './test-server';

/**
 * Brings the demo session to 'running' the way an exam morning does: both custodians open the sealed
 * papers with their codes, then the chief examiner starts the exam.
 */
export async function prepareDemoSession(server: TestServer): Promise<void> {
  const { papers, sessions } = server.app.services;
  const sessionId = server.demo!.sessionId;
  const chief = server.db.prepare("SELECT id FROM staff WHERE username = 'chief'").pluck().get() as number;
  // A fresh ban list, as the demo regulator would send it (issue 14); the server process has no test helper.
  installFreshBanList(server);
  if (sessions.get(sessionId).state === 'sealed') {
    const codes = server.demo!.custodianCodes.map((c) => ({ username: c.username, code: c.code }));
    papers.openSession(sessionId, { codes }, `staff:${chief}`);
  }
  if (sessions.get(sessionId).state === 'open') papers.startSession(sessionId, `staff:${chief}`);
  const state = sessions.get(sessionId).state;
  if (state !== 'running') throw new Error(`demo session is ${state}; expected running`);
}
