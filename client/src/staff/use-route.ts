import { useSyncExternalStore } from 'react';

// A few pages only: the path is the state; navigate() pushes history so Back works.
const listeners = new Set<() => void>();
window.addEventListener('popstate', () => listeners.forEach((l) => l()));

export function navigate(path: string): void {
  history.pushState(null, '', path);
  listeners.forEach((l) => l());
}

export function useRoute(): string {
  return useSyncExternalStore(
    (cb) => {
      listeners.add(cb);
      return () => listeners.delete(cb);
    },
    () => location.pathname,
  );
}
