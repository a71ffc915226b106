import { useSyncExternalStore, type ReactNode } from 'react';

/*
 * The route lives in the hash (#/people/110…): the regulator's server then only has to serve
 * regulator.html at `/`, and a reload or a bookmarked link still opens the same page.
 */
const listeners = new Set<() => void>();
window.addEventListener('hashchange', () => listeners.forEach((l) => l()));

export function navigate(route: string): void {
  location.hash = route;
}

export type Route = { path: string; query: URLSearchParams };

function current(): string {
  return location.hash;
}

export function useHashRoute(): Route {
  const hash = useSyncExternalStore((cb) => {
    listeners.add(cb);
    return () => listeners.delete(cb);
  }, current);
  const raw = hash.replace(/^#/, '') || '/';
  const [path = '/', query = ''] = raw.split('?');
  return { path, query: new URLSearchParams(query) };
}

/** A link inside the console. */
export function Go({ to, children, current }: { to: string; children: ReactNode; current?: boolean }) {
  return (
    <a href={`#${to}`} aria-current={current ? 'page' : undefined}>
      {children}
    </a>
  );
}
