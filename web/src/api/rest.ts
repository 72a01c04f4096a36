// Rest, the app's one HTTP client of the API: main.tsx makes it with
// restClient and injects it (Deps.rest for the store, RestContext for
// components); every feature's API is a function of it, and tests pass a
// fake. It sends JSON or raw bodies (gzip-compressed when large), the
// revision as If-Match and the caller's credentials, reads JSON answers (or,
// with binary, the answer as a Blob: reports, files), and turns an error
// answer into an ApiError carrying the problem document. Auth and base URL
// come from api/auth.ts.
import { apiBase, authHeaders } from './auth';
import { ApiError, type Problem } from './client';
import { encodeBody } from './compress';

export { apiBase, configureApi, type TokenSource } from './auth';

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
  /**
   * binary reads a successful answer as a Blob (body) instead of JSON: a
   * report or a file. An error answer is still read as a problem document.
   */
  binary?: boolean;
}

export interface RestResponse<T> {
  body: T;
  revision?: number;
  location?: string;
}

/** Rest calls one API route; tests pass a fake. */
export type Rest = <T>(method: string, path: string, opts?: RestOptions) => Promise<RestResponse<T>>;

/** etagRevision reads a revision from an ETag such as "7" or W/"7". */
function etagRevision(etag: string | null): number | undefined {
  const m = etag?.match(/^(?:W\/)?"?(\d+)"?$/);
  return m ? Number(m[1]) : undefined;
}

/** restClient calls the configured API with fetchFn (the browser's fetch unless given). */
export function restClient(fetchFn: typeof fetch = (...a) => fetch(...a)): Rest {
  return async <T>(method: string, path: string, o: RestOptions = {}) => {
    const headers: Record<string, string> = { Accept: o.binary ? '*/*' : 'application/json', 'X-Bulwark-Client': 'web', ...(await authHeaders()) };
    if (o.body !== undefined) headers['Content-Type'] = 'application/json';
    // FormData sets its own multipart Content-Type with the boundary.
    if (o.raw !== undefined && !(o.raw instanceof FormData)) headers['Content-Type'] = o.contentType ?? 'application/octet-stream';
    if (o.revision !== undefined) headers['If-Match'] = `"${o.revision}"`;
    // Large bodies go gzip-compressed: the deployed API takes 6 MB per request.
    const enc = await encodeBody(o.raw ?? (o.body === undefined ? undefined : JSON.stringify(o.body)));
    if (enc.problem) throw new ApiError(413, enc.problem);
    Object.assign(headers, enc.headers);
    let res: Response;
    try {
      res = await fetchFn(apiBase() + path + queryString(o.query), { method, headers, body: enc.body });
    } catch (e) {
      throw new ApiError(0, { title: 'Network error', detail: `Cannot reach the server: ${(e as Error).message}` });
    }
    const meta = { revision: etagRevision(res.headers.get('ETag')), location: res.headers.get('Location') ?? undefined };
    if (o.binary && res.ok) return { body: (await res.blob()) as T, ...meta };
    const text = res.status === 204 ? '' : await res.text();
    let parsed: unknown = undefined;
    if (text) {
      try {
        parsed = JSON.parse(text);
      } catch {
        parsed = undefined;
      }
    }
    if (!res.ok) {
      const problem: Problem = parsed && typeof parsed === 'object' ? (parsed as Problem) : { title: res.statusText, detail: text.slice(0, 200) };
      throw new ApiError(res.status, { status: res.status, ...problem });
    }
    return { body: parsed as T, ...meta };
  };
}

/**
 * getBlob GETs a binary answer (a report as PDF, CSV, HTML…) through rest:
 * the same base URL, credentials and problem+json errors as every other call.
 * path may carry its own query string.
 */
export async function getBlob(rest: Rest, path: string, query?: Query): Promise<Blob> {
  return (await rest<Blob>('GET', path, { query, binary: true })).body;
}

/** errorText is a one-line message for an error from the API. */
export function errorText(e: unknown): string {
  if (e instanceof ApiError) {
    const fields = e.problem.problems?.map((p) => `${p.field}: ${p.message}`).join('; ');
    return fields ? `${e.message} (${fields})` : e.message;
  }
  return (e as Error)?.message ?? String(e);
}
