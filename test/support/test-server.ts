import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../server/src/config';
import { startServer, type Started } from '../../server/src/main';
import type { Clock } from '../../server/src/shared/clock';
import { installFreshBanList } from './link';

// recordingsDir: where room video may be attached from (absent for a server started outside startTestServer).
export type TestServer = Started & { url: string; dataDir: string; recordingsDir?: string; stop(): Promise<void> };

/** A real server on a free loopback port with a temporary data folder (demo data unless told otherwise). */
export async function startTestServer(
  options: { demo?: boolean; clock?: Clock; dataDir?: string; keepData?: boolean } = {},
): Promise<TestServer> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'exam-center-test-'));
  // A temporary data folder gets its own recordings folder; a given one keeps the default (<data>/../recordings).
  const ownRecordings = options.dataDir ? null : mkdtempSync(join(tmpdir(), 'exam-center-recordings-'));
  const config = loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    EXAM_CENTER_DATA: dataDir,
    ...(ownRecordings ? { EXAM_CENTER_RECORDINGS: ownRecordings } : {}),
    EXAM_CENTER_DEMO: options.demo === false ? '0' : '1',
    EXAM_CENTER_LOG: 'silent',
  });
  const started = await startServer(config, options.clock);
  // Sessions open only on a fresh province ban list (issue 14): the demo regulator vouches for it.
  installFreshBanList({ ...started, dataDir });
  return {
    ...started,
    url: `http://127.0.0.1:${started.port}`,
    dataDir,
    recordingsDir: config.recordingsDir,
    async stop() {
      await started.app.close();
      started.db.close();
      if (!options.keepData) rmSync(dataDir, { recursive: true, force: true });
      if (ownRecordings) rmSync(ownRecordings, { recursive: true, force: true });
    },
  };
}

export async function http<T = unknown>(
  base: string,
  path: string,
  options: { method?: string; body?: unknown; token?: string } = {},
): Promise<{ status: number; body: T }> {
  const headers: Record<string, string> = {};
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  const res = await fetch(base + path, {
    method: options.method ?? (options.body === undefined ? 'GET' : 'POST'),
    headers,
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    /* not JSON */
  }
  return { status: res.status, body: body as T };
}

export async function staffToken(base: string, username: string, password: string): Promise<string> {
  const res = await http<{ token: string }>(base, '/api/auth/login', { body: { username, password } });
  if (res.status !== 200) throw new Error(`login ${username} failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.token;
}

/**
 * A chief examiner by role who is on duty in no session (the insider tests' "chief of another session"):
 * created directly, with a password they set themselves, and logged in.
 */
export async function offDutyChiefToken(server: TestServer, username: string, name: string): Promise<string> {
  const password = `${username}-pass-2026`;
  server.app.services.auth.createStaff(
    { username, name, roles: ['chief_examiner'], password, mustChangePassword: false },
    'system:test',
  );
  return staffToken(server.url, username, password);
}

export async function candidateToken(base: string, admissionNo: string, idNumber: string): Promise<string> {
  const res = await http<{ token: string }>(base, '/api/auth/candidate', { body: { admissionNo, idNumber } });
  if (res.status !== 200) throw new Error(`candidate login failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.token;
}
