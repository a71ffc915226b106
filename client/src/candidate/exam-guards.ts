import { useEffect } from 'react';

/**
 * Exam-room discipline in the browser (issue 6): copy, paste and the context menu are blocked; focus loss,
 * hiding the page and leaving full screen are reported to the proctors. Nothing here blocks answering.
 */
export function useExamGuards(active: boolean, signal: (kind: string) => void): void {
  useEffect(() => {
    if (!active) return;
    const block = (kind: string) => (e: Event) => {
      e.preventDefault();
      signal(kind);
    };
    const onCopy = block('copy');
    const onPaste = block('paste');
    const onContext = block('context-menu');
    const onBlur = () => signal('focus-lost');
    const onFocus = () => signal('focus-back');
    const onVisibility = () => document.visibilityState === 'hidden' && signal('hidden');
    const onFullscreen = () => !document.fullscreenElement && signal('fullscreen-exit');
    document.addEventListener('copy', onCopy);
    document.addEventListener('cut', onCopy);
    document.addEventListener('paste', onPaste);
    document.addEventListener('contextmenu', onContext);
    window.addEventListener('blur', onBlur);
    window.addEventListener('focus', onFocus);
    document.addEventListener('visibilitychange', onVisibility);
    document.addEventListener('fullscreenchange', onFullscreen);
    return () => {
      document.removeEventListener('copy', onCopy);
      document.removeEventListener('cut', onCopy);
      document.removeEventListener('paste', onPaste);
      document.removeEventListener('contextmenu', onContext);
      window.removeEventListener('blur', onBlur);
      window.removeEventListener('focus', onFocus);
      document.removeEventListener('visibilitychange', onVisibility);
      document.removeEventListener('fullscreenchange', onFullscreen);
    };
  }, [active, signal]);
}

/** Full screen needs a click (a user gesture); a refusal (kiosk browsers, tests) is not an error. */
export function enterFullscreen(): void {
  document.documentElement.requestFullscreen?.().catch(() => undefined);
}
