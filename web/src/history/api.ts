// The version history, review and diff routes of a model (issue #19), over
// the app's Rest client: X-Bulwark-Client, If-Match and problem+json errors
// come from api/client.ts.
import type { Rest } from '../api/rest';
import type { ThreatModel } from '../schema/types';

export type ReviewState = 'submitted' | 'approved' | 'rejected';
export type ReviewAction = 'submit' | 'approve' | 'reject';

/** Review is the sign-off state of a version. */
export interface Review {
  state: ReviewState;
  by: string;
  at: string;
  comment?: string;
}

/** Version is one recorded save of a model. */
export interface Version {
  revision: number;
  author: string;
  savedAt: string;
  summary: string;
  name?: string;
  review?: Review;
}

/** VersionPage is one page of a model's versions, newest first. */
export interface VersionPage {
  items: Version[];
  nextToken?: string;
}

/** DiffElement is a component, flow or group that differs. */
export interface DiffElement {
  id: string;
  name: string;
  type: string;
  changes?: { field: string; from: unknown; to: unknown }[];
}

/** DiffElements are the added, removed and changed elements of one kind. */
export interface DiffElements {
  added: DiffElement[] | null;
  removed: DiffElement[] | null;
  changed: DiffElement[] | null;
}

/** DiffItem is a threat or requirement that appears, disappears or changes status. */
export interface DiffItem {
  id: string;
  title: string;
  severity?: string;
  stride?: string;
  elementId: string;
  elementName?: string;
  status?: string;
  from?: { status: string; severity?: string };
  to?: { status: string; severity?: string };
}

/** DiffItems are the added, removed and changed threats or requirements. */
export interface DiffItems {
  added: DiffItem[] | null;
  removed: DiffItem[] | null;
  changed: DiffItem[] | null;
}

/** ComplianceChange is a requirement whose evidence status differs on an element. */
export interface ComplianceChange {
  id: string;
  title: string;
  elementId: string;
  from: string;
  to: string;
}

/** Diff is the threat-level difference between two versions of a model. */
export interface Diff {
  from: { revision: number };
  to: { revision: number };
  components: DiffElements;
  flows: DiffElements;
  groups: DiffElements;
  threats: DiffItems;
  requirements: DiffItems;
  compliance: { changed: ComplianceChange[] | null };
  summary: Record<string, number>;
}

/** DiffRef names one side of a diff: a revision, the approved baseline or the current model. */
export type DiffRef = number | 'baseline' | 'current';

const base = (id: string) => `/models/${encodeURIComponent(id)}`;

/** HistoryApi is what the History panel asks of the server; tests pass a fake Rest. */
export function historyApi(rest: Rest) {
  return {
    async list(id: string, nextToken?: string): Promise<VersionPage> {
      const r = await rest<VersionPage>('GET', `${base(id)}/versions`, { query: { nextToken } });
      return { items: r.body.items ?? [], nextToken: r.body.nextToken || undefined };
    },
    async get(id: string, rev: number): Promise<ThreatModel> {
      return (await rest<ThreatModel>('GET', `${base(id)}/versions/${rev}`)).body;
    },
    /** at is the model document at one side of a diff: the current model, else the recorded version. */
    async at(id: string, ref: DiffRef, rev: number): Promise<ThreatModel> {
      if (ref === 'current') return (await rest<ThreatModel>('GET', base(id))).body;
      return (await rest<ThreatModel>('GET', `${base(id)}/versions/${rev}`)).body;
    },
    async name(id: string, rev: number, name: string): Promise<Version> {
      return (await rest<Version>('PATCH', `${base(id)}/versions/${rev}`, { body: { name: name.trim() || null } })).body;
    },
    /** restore makes version rev the model's content at a new revision; current is the revision the editor has (If-Match). */
    async restore(id: string, rev: number, current: number): Promise<ThreatModel> {
      const r = await rest<ThreatModel>('POST', `${base(id)}/versions/${rev}/restore`, { revision: current });
      return { ...r.body, revision: r.revision ?? r.body.revision };
    },
    async review(id: string, rev: number, action: ReviewAction, comment?: string): Promise<Version> {
      return (await rest<Version>('POST', `${base(id)}/versions/${rev}/review`, { body: comment ? { action, comment } : { action } })).body;
    },
    /** diffDocument compares side from of the model with a document that is not stored (an import, a file). */
    async diffDocument(id: string, from: DiffRef, document: unknown): Promise<Diff> {
      return (await rest<Diff>('POST', `${base(id)}/diff`, { query: { from: String(from) }, body: { document } })).body;
    },
    async diff(id: string, from: DiffRef, to: DiffRef = 'current'): Promise<Diff> {
      return (await rest<Diff>('GET', `${base(id)}/diff`, { query: { from: String(from), to: String(to) } })).body;
    },
  };
}

/** HistoryApi is the client historyApi returns. */
export type HistoryApi = ReturnType<typeof historyApi>;
