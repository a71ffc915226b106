import { translate, type MessageKey } from '../i18n';
import { api } from '../api';

/**
 * The label of a code the regulator's server sends (a verdict, a finding kind, a refusal code …), from the
 * `regulator.<group>.<code>` entries of the i18n catalogue; an unknown code (a newer server) shows in brackets,
 * never bare.
 */
export function codeLabel(group: string, code: string | null | undefined): string {
  if (code === null || code === undefined || code === '') return '—';
  const key = `regulator.${group}.${code}`;
  const text = translate(key as MessageKey);
  return text === key ? `〔${code}〕` : text;
}

/** An anomaly from an archive or a notice: `incident:phone`, `identity-check:fail`, `late-answer` … */
export function anomalyLabel(kind: string): string {
  const [head = kind, sub] = kind.split(':');
  const key = `regulator.anomaly.${head}`;
  const text = translate(key as MessageKey, { sub: sub ? codeLabel(head, sub) : '' });
  return text === key ? `〔${kind}〕` : text;
}

/** 甲市考试中心（ALPHA-01） / Alpha centre (ALPHA-01): the brackets of the screen's language. */
export const centreRef = (c: { name: string; code: string }): string =>
  translate('regulator.centreRef', { name: c.name, code: c.code });

/** "12 / 20" style counts and "—" for what is not known yet. */
export const orDash = (v: string | number | null | undefined): string =>
  v === null || v === undefined || v === '' ? '—' : String(v);

export const percent = (rate: number): string => `${(rate * 100).toFixed(1)}%`;

/** A file from the regulator (archive, bundle): the consoles' one download helper. */
export { download } from '../staff/grading/download';

/** A POST whose error becomes a line on the screen rather than an exception. */
export async function post<T>(
  path: string,
  body: unknown,
  token: string,
): Promise<{ ok: true; data: T } | { ok: false; error: string }> {
  try {
    return { ok: true, data: await api<T>(path, { body, token }) };
  } catch (err) {
    return { ok: false, error: err instanceof Error ? err.message : String(err) };
  }
}
