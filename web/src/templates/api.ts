// Templates API, and the caller's session (templates are managed by admins).
import { request } from '../api/client';
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

export async function getSession(): Promise<Session> {
  return (await request<Session>('GET', '/session')).body;
}

export async function listTemplates(q = ''): Promise<TemplateSummary[]> {
  const r = (await request<{ items: TemplateSummary[] }>('GET', `/templates${q ? `?q=${enc(q)}` : ''}`)).body;
  return r.items ?? [];
}

export async function getTemplate(id: string): Promise<Template> {
  const r = await request<Template>('GET', `/templates/${enc(id)}`);
  return { ...r.body, revision: r.revision ?? r.body.revision };
}

export async function createTemplate(t: Template): Promise<Template> {
  return (await request<Template>('POST', '/templates', { body: t })).body;
}

export async function putTemplate(t: Template & { id: string; revision: number }): Promise<Template> {
  return (await request<Template>('PUT', `/templates/${enc(t.id)}`, { body: t, revision: t.revision })).body;
}

export async function deleteTemplate(id: string, revision: number): Promise<void> {
  await request('DELETE', `/templates/${enc(id)}`, { revision });
}

export async function approveTemplate(id: string, revision: number): Promise<Template> {
  return (await request<Template>('POST', `/templates/${enc(id)}/approve`, { revision })).body;
}

export async function duplicateTemplate(id: string): Promise<Template> {
  return (await request<Template>('POST', `/templates/${enc(id)}/duplicate`)).body;
}

/** modelFromTemplate creates a model holding a copy of the template's diagram. */
export async function modelFromTemplate(id: string, meta: Omit<NewThreatModel, 'diagram'>): Promise<ThreatModel> {
  return (await request<ThreatModel>('POST', `/templates/${enc(id)}/models`, { body: meta })).body;
}

export async function saveModelAsTemplate(modelId: string, req: SaveAsTemplate): Promise<Template> {
  return (await request<Template>('POST', `/models/${enc(modelId)}/templates`, { body: req })).body;
}
