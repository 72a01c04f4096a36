// HTTP client for the Bulwark API (/api/v1). Errors are RFC 9457 problem
// documents, surfaced as ApiError.
import type { Catalog } from '../schema/catalog';
import { apiBase, authHeaders } from './auth';
import { encodeBody } from './compress';
import type { Diagram, NewThreatModel, Summary, ThreatModel } from '../schema/types';

export interface Problem {
  type?: string;
  title?: string;
  status?: number;
  detail?: string;
  field?: string;
  problems?: { field: string; message: string }[];
  currentRevision?: number;
}

export class ApiError extends Error {
  readonly status: number;
  readonly problem: Problem;
  constructor(status: number, problem: Problem) {
    super(problem.detail || problem.title || `HTTP ${status}`);
    this.status = status;
    this.problem = problem;
  }
}

export interface ModelQuery {
  q?: string;
  type?: string[];
  label?: string[];
  priority?: string[];
  sort?: string;
  limit?: number;
  cursor?: string;
}

export interface Page<T> {
  items: T[];
  next: string;
}

export type ModelPatch = Partial<Pick<ThreatModel, 'name' | 'description' | 'version' | 'projectType' | 'priority' | 'facing' | 'labels' | 'owner'>>;

/** Api is what the app needs from the server; tests pass a fake. */
export interface Api {
  catalog(): Promise<Catalog>;
  listModels(q: ModelQuery): Promise<Page<Summary>>;
  createModel(m: NewThreatModel): Promise<ThreatModel>;
  getModel(id: string): Promise<ThreatModel>;
  patchModel(id: string, revision: number, patch: ModelPatch): Promise<ThreatModel>;
  deleteModel(id: string): Promise<void>;
  getDiagram(id: string): Promise<{ diagram: Diagram; revision: number }>;
  putDiagram(id: string, revision: number, d: Diagram): Promise<{ diagram: Diagram; revision: number }>;
}

export function modelQueryString(q: ModelQuery): string {
  const p = new URLSearchParams();
  if (q.q) p.set('q', q.q);
  for (const t of q.type ?? []) p.append('type', t);
  for (const l of q.label ?? []) p.append('label', l);
  for (const pr of q.priority ?? []) p.append('priority', pr);
  if (q.sort) p.set('sort', q.sort);
  if (q.limit) p.set('limit', String(q.limit));
  if (q.cursor) p.set('cursor', q.cursor);
  const s = p.toString();
  return s ? `?${s}` : '';
}

/** etagRevision reads a revision from an ETag such as "7" or W/"7". */
export function etagRevision(etag: string | null): number | undefined {
  const m = etag?.match(/^(?:W\/)?"?(\d+)"?$/);
  return m ? Number(m[1]) : undefined;
}

export interface RequestOptions {
  /** body is sent as JSON. */
  body?: unknown;
  /** raw is sent as it is (e.g. a file), with contentType. */
  raw?: BodyInit;
  contentType?: string;
  /** revision is sent as If-Match. */
  revision?: number;
  base?: string;
  fetchFn?: typeof fetch;
}

/**
 * request calls the API and decodes its JSON answer; an error answer becomes
 * an ApiError carrying the problem document. The features outside the Api
 * interface (analysis, templates, interop) call it directly.
 */
export async function request<T>(method: string, path: string, o: RequestOptions = {}): Promise<{ body: T; revision?: number; headers: Headers }> {
  const headers: Record<string, string> = { Accept: 'application/json', 'X-Bulwark-Client': 'web', ...(await authHeaders()) };
  if (o.body !== undefined) headers['Content-Type'] = 'application/json';
  // FormData sets its own multipart Content-Type with the boundary.
  if (o.raw !== undefined && !(o.raw instanceof FormData)) headers['Content-Type'] = o.contentType ?? 'application/octet-stream';
  if (o.revision !== undefined) headers['If-Match'] = `"${o.revision}"`;
  const fetchFn = o.fetchFn ?? ((...a: Parameters<typeof fetch>) => fetch(...a));
  // Large bodies go gzip-compressed: the deployed API takes 6 MB per request.
  const enc = await encodeBody(o.raw ?? (o.body === undefined ? undefined : JSON.stringify(o.body)));
  if (enc.problem) throw new ApiError(413, enc.problem);
  Object.assign(headers, enc.headers);
  let res: Response;
  try {
    res = await fetchFn((o.base ?? apiBase()) + path, { method, headers, body: enc.body });
  } catch (e) {
    throw new ApiError(0, { title: 'Network error', detail: `Cannot reach the server: ${(e as Error).message}` });
  }
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
  return { body: parsed as T, revision: etagRevision(res.headers.get('ETag')), headers: res.headers };
}

export function httpApi(base?: string, fetchFn: typeof fetch = (...a) => fetch(...a)): Api {
  const call = <T>(method: string, path: string, body?: unknown, revision?: number) => request<T>(method, path, { body, revision, base, fetchFn });
  return {
    catalog: async () => (await call<Catalog>('GET', '/catalog')).body,
    listModels: async (q) => {
      const r = (await call<Page<Summary>>('GET', '/models' + modelQueryString(q))).body;
      return { items: r.items ?? [], next: r.next ?? '' };
    },
    createModel: async (m) => (await call<ThreatModel>('POST', '/models', m)).body,
    getModel: async (id) => {
      const r = await call<ThreatModel>('GET', `/models/${encodeURIComponent(id)}`);
      return { ...r.body, revision: r.revision ?? r.body.revision };
    },
    patchModel: async (id, rev, patch) => (await call<ThreatModel>('PATCH', `/models/${encodeURIComponent(id)}`, patch, rev)).body,
    deleteModel: async (id) => {
      await call('DELETE', `/models/${encodeURIComponent(id)}`);
    },
    getDiagram: async (id) => {
      const r = await call<Diagram>('GET', `/models/${encodeURIComponent(id)}/diagram`);
      return { diagram: r.body, revision: r.revision ?? 0 };
    },
    putDiagram: async (id, rev, d) => {
      const r = await call<{ revision: number; diagram: Diagram }>('PUT', `/models/${encodeURIComponent(id)}/diagram`, d, rev);
      return { diagram: r.body.diagram, revision: r.body.revision ?? r.revision ?? rev + 1 };
    },
  };
}
