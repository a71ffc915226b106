import type { TestServer } from './test-server';

/** Brings the demo session to 'running' so candidates can start (whatever state the demo seed leaves it in). */
export async function prepareDemoSession(server: TestServer): Promise<void> {
  const session = server.app.services.sessions.get(server.demo!.sessionId);
  if (session.state !== 'running') throw new Error(`demo session is ${session.state}; expected running`);
}
