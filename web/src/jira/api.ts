// Calls of the Jira integration API.
import type { Rest } from '../api/rest';
import type { JiraConnection, JiraDraft, JiraInstance, JiraInstanceInput, JiraIssueResult, JiraLink } from './types';

const enc = encodeURIComponent;
const INST = '/integrations/jira/instances';

export function jiraApi(rest: Rest) {
  return {
    instances: async () => (await rest<{ items: JiraInstance[] | null }>('GET', INST)).body.items ?? [],
    createInstance: async (i: JiraInstanceInput) => (await rest<JiraInstance>('POST', INST, { body: i })).body,
    patchInstance: async (id: string, revision: number, i: JiraInstanceInput) => (await rest<JiraInstance>('PATCH', `${INST}/${enc(id)}`, { body: i, revision })).body,
    deleteInstance: async (id: string, revision: number) => void (await rest('DELETE', `${INST}/${enc(id)}`, { revision })),
    test: async (id: string) => (await rest<JiraConnection>('POST', `${INST}/${enc(id)}/test`)).body,
    issueTypes: async (id: string, project: string) =>
      (await rest<{ items: { id: string; name: string; subtask?: boolean }[] | null }>('GET', `${INST}/${enc(id)}/projects/${enc(project)}/issuetypes`)).body.items ?? [],
    link: async (modelId: string) => {
      const r = await rest<JiraLink>('GET', `/models/${enc(modelId)}/jira`);
      return { ...r.body, revision: r.revision ?? r.body.revision ?? 0 };
    },
    saveLink: async (modelId: string, revision: number, l: Omit<JiraLink, 'revision' | 'model'>) => {
      const r = await rest<JiraLink>('PUT', `/models/${enc(modelId)}/jira`, { body: l, revision: revision > 0 ? revision : undefined });
      return { ...r.body, revision: r.revision ?? r.body.revision ?? revision + 1 };
    },
    drafts: async (modelId: string, items: string[]) => (await rest<{ drafts: JiraDraft[] | null }>('POST', `/models/${enc(modelId)}/jira/drafts`, { body: { items } })).body.drafts ?? [],
    createIssues: async (modelId: string, issues: { item: string; summary?: string; description?: string }[]) =>
      (await rest<{ results: JiraIssueResult[] | null }>('POST', `/models/${enc(modelId)}/jira/issues`, { body: { issues } })).body.results ?? [],
  };
}

export type JiraApi = ReturnType<typeof jiraApi>;
