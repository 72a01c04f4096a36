// Templates API, and the caller's session (templates are managed by admins).
import type { Rest } from '../api/rest';
import type { Diagram, NewThreatModel, ThreatModel } from '../schema/types';

export interface TemplateSummary {
  id: string;
  name: string;
  description?: string;
  category?: string;
  labels?: string[];
  version: number;
  state: 'draft' | 'approved';
  builtIn?: boolean;
  updatedAt?: string;
  revision: number;
  componentCount: number;
  flowCount: number;
}

export interface Template {
  id?: string;
  name: string;
  description?: string;
  category?: string;
  labels?: string[];
  properties?: Record<string, string>;
  diagram: Diagram;
  version?: number;
  state?: 'draft' | 'approved';
  approvedBy?: string;
  approvedAt?: string;
  builtIn?: boolean;
  source?: string;
  revision?: number;
}

export type Role = 'viewer' | 'reviewer' | 'editor' | 'admin';

export interface Session {
  authMode?: 'local' | 'jwt';
  user?: string;
  tenant?: string;
  role: Role;
}

/** SaveAsTemplate is what POST /models/{id}/templates takes: the whole model, one group, or some components. */
export interface SaveAsTemplate {
  name: string;
  description?: string;
  category?: string;
  group?: string;
  components?: string[];
}

const enc = encodeURIComponent;

/** TemplatesApi is what the template pages and the editor ask the server about templates. */
export type TemplatesApi = ReturnType<typeof templatesApi>;

/** templatesApi calls the template routes, and GET /session, through the app's Rest client. */
export function templatesApi(rest: Rest) {
  return {
    getSession: async (): Promise<Session> => (await rest<Session>('GET', '/session')).body,
    listTemplates: async (q = ''): Promise<TemplateSummary[]> => {
      const r = (await rest<{ items: TemplateSummary[] }>('GET', `/templates${q ? `?q=${enc(q)}` : ''}`)).body;
      return r.items ?? [];
    },
    getTemplate: async (id: string): Promise<Template> => {
      const r = await rest<Template>('GET', `/templates/${enc(id)}`);
      return { ...r.body, revision: r.revision ?? r.body.revision };
    },
    createTemplate: async (t: Template): Promise<Template> => (await rest<Template>('POST', '/templates', { body: t })).body,
    putTemplate: async (t: Template & { id: string; revision: number }): Promise<Template> =>
      (await rest<Template>('PUT', `/templates/${enc(t.id)}`, { body: t, revision: t.revision })).body,
    deleteTemplate: async (id: string, revision: number): Promise<void> => {
      await rest('DELETE', `/templates/${enc(id)}`, { revision });
    },
    approveTemplate: async (id: string, revision: number): Promise<Template> =>
      (await rest<Template>('POST', `/templates/${enc(id)}/approve`, { revision })).body,
    duplicateTemplate: async (id: string): Promise<Template> => (await rest<Template>('POST', `/templates/${enc(id)}/duplicate`)).body,
    /** modelFromTemplate creates a model holding a copy of the template's diagram. */
    modelFromTemplate: async (id: string, meta: Omit<NewThreatModel, 'diagram'>): Promise<ThreatModel> =>
      (await rest<ThreatModel>('POST', `/templates/${enc(id)}/models`, { body: meta })).body,
    saveModelAsTemplate: async (modelId: string, req: SaveAsTemplate): Promise<Template> =>
      (await rest<Template>('POST', `/models/${enc(modelId)}/templates`, { body: req })).body,
  };
}
