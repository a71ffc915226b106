import { useCallback } from 'react';
import { api, ApiError } from '../../api';
import { useT } from '../../i18n';
import { navigate } from '../use-route';
import { formatDateTime, todayInCentre } from '../../time-format';

export type Ctx = { token: string; roles: string[]; base: string; onExpired: () => void };

/** Bilingual text picker: zh-CN first, English when chosen. */
export function useL(): (zh: string, en: string) => string {
  const { lang } = useT();
  return useCallback((zh: string, en: string) => (lang === 'en' ? en : zh), [lang]);
}

export const AREA_NAMES: Record<string, [string, string]> = {
  site: ['考试场所', 'Exam site'],
  equipment: ['考试设备', 'Equipment'],
  certificates: ['考评人员资格证书', 'Staff certificates'],
  procedure: ['考试程序', 'Exam procedure'],
  disclosure: ['信息公开', 'Published information'],
  archives: ['考试档案', 'Archives'],
  report: ['群众反映', 'Candidate report'],
};
export const STATUS_NAMES: Record<string, [string, string]> = {
  open: ['待整改', 'Open'],
  rectifying: ['整改中', 'Rectifying'],
  rectified: ['已整改待验收', 'Rectified, awaiting verification'],
  verified: ['已验收', 'Verified'],
};
export const KIND_NAMES: Record<string, [string, string]> = {
  money: ['索要钱物', 'Request for money'],
  coaching: ['考试中指导答题', 'Coaching during the exam'],
  recusal: ['应回避未回避', 'Failed recusal'],
  other: ['其他', 'Other'],
};

export const todayCst = (): string => todayInCentre();
export const timeCst = (ms: number): string => formatDateTime(ms);

/** Runs an API call; a 401 ends the login, other errors go to setError. */
export function useCall(ctx: Ctx, setError: (e: string | null) => void) {
  return useCallback(
    async <T,>(path: string, body?: unknown): Promise<T | null> => {
      setError(null);
      try {
        return await api<T>(path, { token: ctx.token, body });
      } catch (err) {
        if (err instanceof ApiError && err.status === 401) ctx.onExpired();
        else setError(err instanceof Error ? err.message : String(err));
        return null;
      }
    },
    [ctx, setError],
  );
}

export async function downloadFile(path: string, token: string, filename: string): Promise<void> {
  const res = await fetch(`/api${path}`, { headers: { authorization: `Bearer ${token}` } });
  if (!res.ok) throw new Error(`HTTP ${res.status}`);
  const url = URL.createObjectURL(await res.blob());
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export function NavLink({ href, children, testId }: { href: string; children: React.ReactNode; testId?: string }) {
  return (
    <a
      href={href}
      data-testid={testId}
      onClick={(e) => {
        e.preventDefault();
        navigate(href);
      }}
    >
      {children}
    </a>
  );
}
