// Analysis API: threats and requirements of a model, their states, and the
// knowledge base's rule descriptions.
import type { Rest } from '../api/rest';

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

/** OverviewApi is what the Overview page asks the server. */
export type OverviewApi = ReturnType<typeof overviewApi>;

/** overviewApi calls the analysis routes through the app's Rest client. */
export function overviewApi(rest: Rest) {
  const list = async <T>(modelId: string, kind: 'threats' | 'requirements'): Promise<ItemList<T>> => {
    const r = (await rest<ItemList<T>>('GET', `/models/${enc(modelId)}/${kind}`)).body;
    return { ...r, items: r.items ?? [], statuses: r.statuses ?? [] };
  };
  return {
    listThreats: (id: string) => list<ThreatItem>(id, 'threats'),
    listRequirements: (id: string) => list<RequirementItem>(id, 'requirements'),
    /** patchStates sets the status and notes of items, conditional on the model revision. */
    patchStates: async (modelId: string, revision: number, items: Record<string, StatePatch>): Promise<number> => {
      const r = await rest<{ revision: number }>('PATCH', `/models/${enc(modelId)}/states`, { body: { items }, revision });
      return r.body.revision ?? r.revision ?? revision + 1;
    },
    getRule: async (rule: string): Promise<RuleDetail> => (await rest<RuleDetail>('GET', `/catalog/rules/${enc(rule)}`)).body,
    /** modelRevision reads the current revision of a model (its ETag). */
    modelRevision: async (modelId: string): Promise<{ revision: number; name: string }> => {
      const r = await rest<{ revision: number; name: string }>('GET', `/models/${enc(modelId)}`);
      return { revision: r.revision ?? r.body.revision, name: r.body.name };
    },
  };
}
