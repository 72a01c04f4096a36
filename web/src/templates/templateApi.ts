// The diagram editor edits threat models through the Api interface; the
// Template Builder reuses it by giving it an Api whose "model" is a
// template: GET and PUT /templates/{id} with If-Match, and a blank diagram
// for a template not saved yet (saved with Save As).
import { ApiError, httpApi, type Api } from '../api/client';
import type { Rest } from '../api/rest';
import type { DraftStore, Draft } from '../store/drafts';
import { emptyDiagram, SCHEMA_VERSION, type ThreatModel } from '../schema/types';
import { templatesApi, type Template } from './api';

export const NEW_TEMPLATE = 'new';

const unsupported = () => Promise.reject(new ApiError(400, { title: 'Not available in the Template Builder' }));

function asModel(t: Template, id: string): ThreatModel {
  const now = new Date().toISOString();
  return {
    schemaVersion: SCHEMA_VERSION, id, name: t.name, description: t.description, projectType: 'Other', priority: 'Medium', facing: 'internal',
    createdAt: now, updatedAt: now, revision: t.revision ?? 0, diagram: t.diagram ?? emptyDiagram(),
  };
}

/** templateApi serves one template as the editor's model, through rest; onChange hears every version it reads or saves. */
export function templateApi(rest: Rest, onChange: (t: Template) => void): Api {
  const base = httpApi(rest);
  const templates = templatesApi(rest);
  let current: Template | null = null;
  const keep = (t: Template) => {
    current = t;
    onChange(t);
    return t;
  };
  return {
    catalog: () => base.catalog(),
    listModels: unsupported,
    createModel: unsupported,
    patchModel: unsupported,
    deleteModel: unsupported,
    getModel: async (id) => {
      if (id === NEW_TEMPLATE) return asModel(keep({ name: 'New template', diagram: emptyDiagram(), revision: 0 }), id);
      return asModel(keep(await templates.getTemplate(id)), id);
    },
    getDiagram: async (id) => {
      const t = id === NEW_TEMPLATE ? current! : keep(await templates.getTemplate(id));
      return { diagram: t.diagram, revision: t.revision ?? 0 };
    },
    putDiagram: async (id, revision, diagram) => {
      if (id === NEW_TEMPLATE || !current) {
        throw new ApiError(422, { title: 'Not saved', detail: 'A new template is saved with Save As…: give it a name.', field: '/name' });
      }
      const saved = keep(await templates.putTemplate({ ...current, id, revision, diagram }));
      return { diagram: saved.diagram, revision: saved.revision ?? revision + 1 };
    },
  };
}

/** memoryDrafts keeps the builder's drafts in memory only. */
export function memoryDrafts(): DraftStore {
  const m = new Map<string, Draft>();
  return { load: (id) => m.get(id) ?? null, save: (d) => void m.set(d.modelId, d), remove: (id) => void m.delete(id), discard: (id) => void m.delete(id) };
}
