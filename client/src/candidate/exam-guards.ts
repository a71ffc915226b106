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
    const listeners: [EventTarget, string, (e: Event) => void][] = [
      [document, 'copy', block('copy')],
      [document, 'cut', block('copy')],
      [document, 'paste', block('paste')],
      [document, 'contextmenu', block('context-menu')],
      [window, 'blur', () => signal('focus-lost')],
      [window, 'focus', () => signal('focus-back')],
      [document, 'visibilitychange', () => document.visibilityState === 'hidden' && signal('hidden')],
      [document, 'fullscreenchange', () => !document.fullscreenElement && signal('fullscreen-exit')],
    ];
    for (const [target, event, listener] of listeners) target.addEventListener(event, listener);
    return () => {
      for (const [target, event, listener] of listeners) target.removeEventListener(event, listener);
    };
  }, [active, signal]);
}

/** Full screen needs a click (a user gesture); a refusal (kiosk browsers, tests) is not an error. */
export function enterFullscreen(): void {
  document.documentElement.requestFullscreen?.().catch(() => undefined);
}
