// An in-memory Api with the server's revision rules, for unit tests.
import type { Catalog } from '../schema/catalog';
import type { Diagram, ThreatModel } from '../schema/types';
import { ApiError, type Api } from './client';
import type { Rest, RestOptions } from './rest';

export function fakeApi(catalog: Catalog): Api & { models: Map<string, ThreatModel>; puts: number } {
  const models = new Map<string, ThreatModel>();
  let seq = 0;
  const clone = <T>(v: T): T => structuredClone(v);
  const get = (id: string) => {
    const m = models.get(id);
    if (!m) throw new ApiError(404, { title: 'Not found', status: 404 });
    return m;
  };
  const api = {
    models,
    puts: 0,
    catalog: async () => clone(catalog),
    listModels: async () => ({
      items: [...models.values()].map((m) => ({
        id: m.id, name: m.name, projectType: m.projectType, priority: m.priority, facing: m.facing, labels: m.labels,
        createdAt: m.createdAt, updatedAt: m.updatedAt, revision: m.revision,
        componentCount: m.diagram.components.length, flowCount: m.diagram.flows.length,
      })),
      next: '',
    }),
    createModel: async (n) => {
      const now = new Date().toISOString();
      const m: ThreatModel = { ...clone(n), id: `m${++seq}`, revision: 1, createdAt: now, updatedAt: now };
      models.set(m.id, m);
      return clone(m);
    },
    getModel: async (id) => clone(get(id)),
    patchModel: async (id, rev, patch) => {
      const m = get(id);
      if (m.revision !== rev) throw new ApiError(409, { status: 409, title: 'Conflict', currentRevision: m.revision });
      Object.assign(m, patch, { revision: m.revision + 1 });
      return clone(m);
    },
    deleteModel: async (id) => {
      get(id);
      models.delete(id);
    },
    getDiagram: async (id) => ({ diagram: clone(get(id).diagram), revision: get(id).revision }),
    putDiagram: async (id: string, rev: number, d: Diagram) => {
      api.puts++;
      const m = get(id);
      if (m.revision !== rev) throw new ApiError(409, { status: 409, title: 'Conflict', currentRevision: m.revision });
      const bad = d.flows.findIndex((f) => !f.protocol);
      if (bad >= 0) throw new ApiError(422, { status: 422, title: 'Invalid', problems: [{ field: `/diagram/flows/${bad}/protocol`, message: 'is required' }] });
      m.diagram = clone(d);
      m.revision++;
      return { diagram: clone(d), revision: m.revision };
    },
  } satisfies Api & { models: Map<string, ThreatModel>; puts: number };
  return api;
}

/** noRest is a Rest for tests that call no integration route: every call fails. */
export const noRest: Rest = async (method, path) => {
  throw new ApiError(501, { title: 'noRest', detail: `${method} ${path} was not expected in this test` });
};

/** RestCall is one call a recordingRest heard. */
export interface RestCall {
  method: string;
  path: string;
  opts?: RestOptions;
}

/** recordingRest is a Rest for tests that keeps every call in calls and answers with answer's body (and revision 7). */
export function recordingRest(answer: (method: string, path: string) => unknown = () => ({})): { rest: Rest; calls: RestCall[] } {
  const calls: RestCall[] = [];
  const rest = (async (method: string, path: string, opts?: RestOptions) => {
    calls.push({ method, path, opts });
    return { body: answer(method, path), revision: 7 };
  }) as Rest;
  return { rest, calls };
}
