import type { ApiErrorBody, ImportJobView, ImportSummary } from '../../../../server/src/protocol';
import { api, ApiError } from '../../api';
import { oneLanguage, translate } from '../../i18n';

/**
 * Sends a file as the raw request body (the server's JSON limit stays small; only the bank routes take
 * files). XMLHttpRequest, not fetch: only it reports upload progress.
 */
export function uploadFile<T>(
  path: string,
  query: Record<string, string>,
  file: File,
  token: string,
  onProgress: (done: number, total: number) => void,
): Promise<T> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', `/api${path}?${new URLSearchParams(query)}`);
    xhr.setRequestHeader('authorization', `Bearer ${token}`);
    xhr.setRequestHeader('content-type', 'application/octet-stream');
    xhr.upload.onprogress = (e) => onProgress(e.loaded, e.total || file.size);
    xhr.onerror = () => reject(new ApiError('network', translate('common.unreachable'), 0));
    xhr.onload = () => {
      let body: unknown = null;
      try {
        body = JSON.parse(xhr.responseText);
      } catch {
        /* not JSON */
      }
      if (xhr.status >= 200 && xhr.status < 300) resolve(body as T);
      else {
        const err = (body as ApiErrorBody | null)?.error;
        reject(new ApiError(err?.code ?? 'http-error', oneLanguage(err?.message ?? `HTTP ${xhr.status}`), xhr.status));
      }
    };
    xhr.send(file);
  });
}

/** Polls an import job until it ends, reporting each state. */
export async function followJob(
  id: string,
  token: string,
  onUpdate: (job: ImportJobView) => void,
): Promise<ImportSummary | null> {
  for (;;) {
    const { job } = await api<{ job: ImportJobView }>(`/bank/imports/${id}`, { token });
    onUpdate(job);
    if (job.status !== 'running') return job.summary;
    await new Promise((ok) => setTimeout(ok, 300));
  }
}

export const shortHash = (h: string) => `${h.slice(0, 12)}…`;
