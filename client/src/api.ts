import type { ApiErrorBody } from '../../server/src/protocol';
import { oneLanguage, translate } from './i18n';
import { WORKSTATION_KEY } from './workstation';

export class ApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

/** JSON over fetch with the bearer token; server errors arrive as { error: { code, message } }. */
export async function api<T>(
  path: string,
  options: { method?: string; body?: unknown; token?: string | null } = {},
): Promise<T> {
  const headers: Record<string, string> = {};
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  // On an enrolled seat the candidate's REST calls carry the workstation token too (seat binding, issue 13).
  const workstationToken = typeof localStorage === 'undefined' ? null : localStorage.getItem(WORKSTATION_KEY);
  if (workstationToken) headers['x-workstation-token'] = workstationToken;
  let res: Response;
  try {
    res = await fetch(`/api${path}`, {
      method: options.method ?? (options.body === undefined ? 'GET' : 'POST'),
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
    });
  } catch {
    throw new ApiError('network', translate('common.unreachable'), 0);
  }
  const data = (await res.json().catch(() => null)) as unknown;
  if (!res.ok) {
    const err = (data as ApiErrorBody | null)?.error;
    throw new ApiError(err?.code ?? 'http-error', oneLanguage(err?.message ?? `HTTP ${res.status}`), res.status);
  }
  return data as T;
}
