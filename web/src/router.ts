// A minimal history-based router: the current path as React state, and navigate() to change it.
import { useSyncExternalStore, type MouseEvent } from 'react';

const NAVIGATION_EVENT = 'switchboard:navigate';

function subscribe(onChange: () => void): () => void {
  window.addEventListener('popstate', onChange);
  window.addEventListener(NAVIGATION_EVENT, onChange);
  return () => {
    window.removeEventListener('popstate', onChange);
    window.removeEventListener(NAVIGATION_EVENT, onChange);
  };
}

const currentPath = () => window.location.pathname;
const currentSearch = () => window.location.search;

export function usePath(): string {
  return useSyncExternalStore(subscribe, currentPath);
}

/** The query string (`?a=b`, or ''): pages that are returned to with parameters (OAuth) read them here. */
export function useSearch(): string {
  return useSyncExternalStore(subscribe, currentSearch);
}

export function navigate(path: string, options: { replace?: boolean } = {}): void {
  // The query string counts: dropping `?integration=…` from the address is a navigation too.
  if (path === window.location.pathname + window.location.search) return;
  if (options.replace) window.history.replaceState(null, '', path);
  else window.history.pushState(null, '', path);
  // pushState fires no event of its own; tell usePath subscribers.
  window.dispatchEvent(new Event(NAVIGATION_EVENT));
}

/** Props for an <a> that navigates in-app on a plain click and still opens a new tab on ctrl/middle click. */
export function linkProps(path: string): { href: string; onClick: (event: MouseEvent) => void } {
  return {
    href: path,
    onClick(event) {
      if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
      event.preventDefault();
      navigate(path);
    },
  };
}
