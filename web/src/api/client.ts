// The Bulwark API (/api/v1) as the editor and the library use it: the Api of
// models, diagrams and the catalog, called through the app's one Rest client
// (rest.ts). Errors are RFC 9457 problem documents, surfaced as ApiError.
import type { Catalog } from '../schema/catalog';
import type { Rest } from './rest';
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

/** httpApi is the server's Api, called through rest. */
export function httpApi(rest: Rest): Api {
  return {
    catalog: async () => (await rest<Catalog>('GET', '/catalog')).body,
    listModels: async (q) => {
      const r = (await rest<Page<Summary>>('GET', '/models' + modelQueryString(q))).body;
      return { items: r.items ?? [], next: r.next ?? '' };
    },
    createModel: async (m) => (await rest<ThreatModel>('POST', '/models', { body: m })).body,
    getModel: async (id) => {
      const r = await rest<ThreatModel>('GET', `/models/${encodeURIComponent(id)}`);
      return { ...r.body, revision: r.revision ?? r.body.revision };
    },
    patchModel: async (id, rev, patch) => (await rest<ThreatModel>('PATCH', `/models/${encodeURIComponent(id)}`, { body: patch, revision: rev })).body,
    deleteModel: async (id) => {
      await rest('DELETE', `/models/${encodeURIComponent(id)}`);
    },
    getDiagram: async (id) => {
      const r = await rest<Diagram>('GET', `/models/${encodeURIComponent(id)}/diagram`);
      return { diagram: r.body, revision: r.revision ?? 0 };
    },
    putDiagram: async (id, rev, d) => {
      const r = await rest<{ revision: number; diagram: Diagram }>('PUT', `/models/${encodeURIComponent(id)}/diagram`, { body: d, revision: rev });
      return { diagram: r.body.diagram, revision: r.body.revision ?? r.revision ?? rev + 1 };
    },
  };
}
