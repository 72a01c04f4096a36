// Calls of the Accelerator API.
import type { Rest } from '../api/rest';
import type { AcceleratorSummary, Account, BuildRequest, Organization, VpcLink, VpcRow, WorkflowRun } from './types';

const enc = encodeURIComponent;

export function acceleratorApi(rest: Rest) {
  return {
    summary: async () => (await rest<AcceleratorSummary>('GET', '/accelerator/summary')).body,
    organization: async () => (await rest<Organization>('GET', '/accelerator/organization')).body,
    vpcs: async (accountId: string) => (await rest<{ vpcs: VpcRow[] | null }>('GET', `/accelerator/accounts/${enc(accountId)}/vpcs`)).body.vpcs ?? [],
    startBuild: async (req: BuildRequest) => (await rest<WorkflowRun>('POST', '/accelerator/builds', { body: req })).body,
    run: async (id: string) => (await rest<WorkflowRun>('GET', `/accelerator/runs/${enc(id)}`)).body,
    drift: async (modelId: string) => (await rest<VpcLink>('GET', `/accelerator/models/${enc(modelId)}/drift`)).body,
    /** check starts a drift check; poll the returned run. */
    check: async (modelId: string) => (await rest<WorkflowRun>('POST', `/accelerator/models/${enc(modelId)}/check`)).body,
    /** sync starts a sync of the model at revision; poll the returned run. */
    sync: async (modelId: string, revision: number) => (await rest<WorkflowRun>('POST', `/accelerator/models/${enc(modelId)}/sync`, { revision })).body,
    accounts: async () => (await rest<{ accounts: Account[] | null }>('GET', '/accelerator/accounts')).body.accounts ?? [],
    register: async (id: string, name?: string) => (await rest<Account>('POST', '/accelerator/accounts', { body: name ? { id, name } : { id } })).body,
    verify: async (id: string) => (await rest<Account>('POST', `/accelerator/accounts/${enc(id)}/verify`)).body,
  };
}

export type AcceleratorApi = ReturnType<typeof acceleratorApi>;
