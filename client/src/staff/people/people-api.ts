import type { ApiErrorBody } from '../../../../server/src/protocol';
import { api, ApiError } from '../../api';
import { oneLanguage, translate } from '../../i18n';

export { api, ApiError };

/** Sends a CSV or Excel file as the raw body; the answer is an ImportResult with row-exact problems. */
export async function uploadTable<T>(path: string, file: File, token: string, dryRun: boolean): Promise<T> {
  const format = /\.xlsx$/i.test(file.name) ? 'xlsx' : 'csv';
  const res = await fetch(`/api${path}?format=${format}&dryRun=${dryRun ? 1 : 0}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/octet-stream' },
    body: file,
  }).catch(() => {
    throw new ApiError('network', translate('common.unreachable'), 0);
  });
  const body = (await res.json().catch(() => null)) as unknown;
  if (!res.ok) {
    const err = (body as ApiErrorBody | null)?.error;
    throw new ApiError(err?.code ?? 'http-error', oneLanguage(err?.message ?? `HTTP ${res.status}`), res.status);
  }
  return body as T;
}

export const errorText = (err: unknown) => (err instanceof Error ? err.message : String(err));

/** A photo file as a data URL, refused above 200 KB (the candidate screen shows it on old PCs). */
export function readPhoto(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    if (file.size > 200 * 1024) return reject(new Error(oneLanguage('照片不能超过 200 KB / photo over 200 KB')));
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result));
    reader.onerror = () => reject(new Error('cannot read photo'));
    reader.readAsDataURL(file);
  });
}
