import { useSyncExternalStore } from 'react';
import { en } from './en';
import { zh, type MessageKey } from './zh';

// Two languages of static strings: a typed dictionary keeps the candidate bundle small (no i18n runtime).
export type Lang = 'zh-CN' | 'en';
const dictionaries: Record<Lang, Record<MessageKey, string>> = { 'zh-CN': zh, en };
const STORAGE_KEY = 'exam-center.lang';

let current: Lang = (localStorage.getItem(STORAGE_KEY) as Lang | null) === 'en' ? 'en' : 'zh-CN';
const listeners = new Set<() => void>();

export function setLang(lang: Lang): void {
  current = lang;
  localStorage.setItem(STORAGE_KEY, lang);
  document.documentElement.lang = lang;
  listeners.forEach((l) => l());
}

export const currentLang = (): Lang => current;

/**
 * Server messages say "中文 / English" for the CLI and the logs; a screen shows only its locale's half
 * (issue 16: one language per screen). A message not in that form is shown as it is.
 */
export function oneLanguage(message: string, lang: Lang = current): string {
  const m = /^(.*\p{Script=Han}.*?) \/ ([^\p{Script=Han}]+)$/u.exec(message);
  if (!m) return message;
  return (lang === 'en' ? m[2] : m[1]) ?? message;
}

export function translate(key: MessageKey, vars?: Record<string, string | number>): string {
  let text = dictionaries[current][key] ?? key;
  if (vars) for (const [k, v] of Object.entries(vars)) text = text.replaceAll(`{${k}}`, String(v));
  return text;
}

/** Re-renders the component when the language changes. */
export function useT(): { t: typeof translate; lang: Lang } {
  const lang = useSyncExternalStore(
    (cb) => {
      listeners.add(cb);
      return () => listeners.delete(cb);
    },
    () => current,
  );
  return { t: translate, lang };
}

export type { MessageKey };
