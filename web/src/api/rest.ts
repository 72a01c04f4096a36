// A typed Rest function over request() for the integration features
// (Accelerator, Jira, evidence, reports): query strings, the Location
// header, and a fake in tests. Auth and base URL come from api/auth.ts.
import { ApiError, request } from './client';

export { apiBase, authHeaders, configureApi, type TokenSource } from './auth';

export type Query = Record<string, string | number | boolean | string[] | undefined>;

export function queryString(q?: Query): string {
  if (!q) return '';
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(q)) {
    if (v === undefined || v === '') continue;
    if (Array.isArray(v)) v.forEach((x) => p.append(k, x));
    else p.set(k, String(v));
  }
  const s = p.toString();
  return s ? `?${s}` : '';
}

export interface RestOptions {
  body?: unknown;
  /** revision is sent as If-Match: "<revision>". */
  revision?: number;
  query?: Query;
  /** raw is sent as is (uploads). */
  raw?: BodyInit;
  contentType?: string;
}

export interface RestResponse<T> {
  body: T;
  revision?: number;
  location?: string;
}

/** Rest calls one API route; tests pass a fake. */
export type Rest = <T>(method: string, path: string, opts?: RestOptions) => Promise<RestResponse<T>>;

/** restClient calls the configured API. */
export function restClient(fetchFn?: typeof fetch): Rest {
  return async <T>(method: string, path: string, o: RestOptions = {}) => {
    const r = await request<T>(method, path + queryString(o.query), { body: o.body, raw: o.raw, contentType: o.contentType, revision: o.revision, fetchFn });
    return { body: r.body, revision: r.revision, location: r.headers.get('Location') ?? undefined };
  };
}

/** errorText is a one-line message for an error from the API. */
export function errorText(e: unknown): string {
  if (e instanceof ApiError) {
    const fields = e.problem.problems?.map((p) => `${p.field}: ${p.message}`).join('; ');
    return fields ? `${e.message} (${fields})` : e.message;
  }
  return (e as Error)?.message ?? String(e);
}
