// Calls of the Accelerator API.
import type { Rest } from '../api/rest';
import type { AcceleratorSummary, BuildRequest, Organization, SyncResult, VpcLink, VpcRow, WorkflowRun } from './types';

const enc = encodeURIComponent;

export function acceleratorApi(rest: Rest) {
  return {
    summary: async () => (await rest<AcceleratorSummary>('GET', '/accelerator/summary')).body,
    organization: async () => (await rest<Organization>('GET', '/accelerator/organization')).body,
    vpcs: async (accountId: string) => (await rest<{ vpcs: VpcRow[] | null }>('GET', `/accelerator/accounts/${enc(accountId)}/vpcs`)).body.vpcs ?? [],
    startBuild: async (req: BuildRequest) => (await rest<WorkflowRun>('POST', '/accelerator/builds', { body: req })).body,
    run: async (id: string) => (await rest<WorkflowRun>('GET', `/accelerator/runs/${enc(id)}`)).body,
    drift: async (modelId: string) => (await rest<VpcLink>('GET', `/accelerator/models/${enc(modelId)}/drift`)).body,
    check: async (modelId: string) => (await rest<VpcLink>('POST', `/accelerator/models/${enc(modelId)}/check`)).body,
    sync: async (modelId: string, revision: number) => {
      const r = await rest<SyncResult>('POST', `/accelerator/models/${enc(modelId)}/sync`, { revision });
      return { ...r.body, revision: r.revision ?? r.body.model.revision };
    },
  };
}

export type AcceleratorApi = ReturnType<typeof acceleratorApi>;
