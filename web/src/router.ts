// A tiny history-API router: the app has two routes and needs nothing more.
import { useSyncExternalStore } from 'react';

const EVENT = 'bulwark:navigate';

export function navigate(path: string): void {
  if (path === location.pathname) return;
  history.pushState(null, '', path);
  window.dispatchEvent(new Event(EVENT));
}

function subscribe(cb: () => void): () => void {
  window.addEventListener('popstate', cb);
  window.addEventListener(EVENT, cb);
  return () => {
    window.removeEventListener('popstate', cb);
    window.removeEventListener(EVENT, cb);
  };
}

export type Route =
  | { page: 'library' }
  | { page: 'editor'; id: string }
  | { page: 'accelerator' }
  | { page: 'settings'; tab: string }
  | { page: 'notFound' };

/** FeatureRoute: the Overview of a model, and Settings → Templates with the Template Builder. */
export type FeatureRoute = { page: 'overview'; id: string } | { page: 'templates' } | { page: 'templateBuilder'; id: string };

export function parseRoute(path: string): Route | FeatureRoute {
  if (path === '/' || path === '') return { page: 'library' };
  const ov = path.match(/^\/models\/([^/]+)\/overview\/?$/);
  if (ov) return { page: 'overview', id: decodeURIComponent(ov[1]) };
  const tp = path.match(/^\/settings\/templates(?:\/([^/]+))?\/?$/);
  if (tp) return tp[1] ? { page: 'templateBuilder', id: decodeURIComponent(tp[1]) } : { page: 'templates' };
  if (/^\/accelerator\/?$/.test(path)) return { page: 'accelerator' };
  const st = path.match(/^\/settings(?:\/([^/]+))?\/?$/);
  if (st) return { page: 'settings', tab: st[1] ?? 'integrations' };
  const m = path.match(/^\/models\/([^/]+)\/?$/);
  if (m) return { page: 'editor', id: decodeURIComponent(m[1]) };
  return { page: 'notFound' };
}

export function useRoute(): Route | FeatureRoute {
  const path = useSyncExternalStore(subscribe, () => location.pathname);
  return parseRoute(path);
}
