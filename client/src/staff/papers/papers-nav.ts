import { navigate } from '../use-route';

/** An onClick for in-app links: history navigation instead of a page load. */
export function go(href: string) {
  return (e: { preventDefault(): void }) => {
    e.preventDefault();
    navigate(href);
  };
}
