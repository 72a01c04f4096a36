// Analysis API: threats and requirements of a model, their states, and the
// knowledge base's rule descriptions.
import { request } from '../api/client';

/** Origin says which nested model an imported threat comes from. */
export interface Origin {
  model: string;
  modelName?: string;
  item: string;
  element: string;
  elementName?: string;
}

interface ItemBase {
  id: string;
  rule: string;
  element: string;
  elementKind: 'component' | 'container' | 'flow';
  elementName?: string;
  elementType?: string;
  component: string;
  title: string;
  severity: string;
  status: string;
  notes?: string;
  imported?: Origin;
}

export interface ThreatItem extends ItemBase {
  stride: string;
  likelihood: number;
  impact: number;
  cwe?: string[];
  capec?: string[];
  autoStatus?: boolean;
  requirements: string[];
}

export interface RequirementItem extends ItemBase {
  epic: string;
  evidence?: { securityHub?: string[]; config?: string[]; cis?: string[] };
  threats: string[];
}

export type AnalysisItem = ThreatItem | RequirementItem;

export interface ItemList<T> {
  revision: number;
  total: number;
  items: T[];
  warnings?: string[];
  statuses: string[];
}

export interface RuleDetail {
  kind: 'threat' | 'requirement';
  threat?: { id: string; title: string; description: string };
  requirement?: { id: string; title: string; description: string };
}

export interface StatePatch {
  status?: string;
  notes?: string;
}

const enc = encodeURIComponent;

async function list<T>(modelId: string, kind: 'threats' | 'requirements'): Promise<ItemList<T>> {
  const r = (await request<ItemList<T>>('GET', `/models/${enc(modelId)}/${kind}`)).body;
  return { ...r, items: r.items ?? [], statuses: r.statuses ?? [] };
}

export const listThreats = (id: string) => list<ThreatItem>(id, 'threats');
export const listRequirements = (id: string) => list<RequirementItem>(id, 'requirements');

/** patchStates sets the status and notes of items, conditional on the model revision. */
export async function patchStates(modelId: string, revision: number, items: Record<string, StatePatch>): Promise<number> {
  const r = await request<{ revision: number }>('PATCH', `/models/${enc(modelId)}/states`, { body: { items }, revision });
  return r.body.revision ?? r.revision ?? revision + 1;
}

export async function getRule(rule: string): Promise<RuleDetail> {
  return (await request<RuleDetail>('GET', `/catalog/rules/${enc(rule)}`)).body;
}

/** modelRevision reads the current revision of a model (its ETag). */
export async function modelRevision(modelId: string): Promise<{ revision: number; name: string }> {
  const r = await request<{ revision: number; name: string }>('GET', `/models/${enc(modelId)}`);
  return { revision: r.revision ?? r.body.revision, name: r.body.name };
}
