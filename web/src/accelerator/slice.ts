// Accelerator slice of the one store: dashboard counts, the organization
// tree, the selected account's VPC table, builds in progress, and the open
// model's drift log.
import type { StateCreator } from 'zustand';
import { errorText, restClient, type Rest } from '../api/rest';
import type { AppState, Deps } from '../store/types';
import { acceleratorApi } from './api';
import { buildRequest, firstAccount, flattenOrg, type DriftFilter, type NewAccelModel } from './logic';
import type { AcceleratorSummary, Organization, VpcLink, VpcRow, WorkflowRun } from './types';

/** ExtDeps are optional dependencies of the integration slices (tests pass fakes). */
export interface ExtDeps {
  rest?: Rest;
  /** pollMs is the build progress polling period. */
  pollMs?: number;
}

export interface AcceleratorSlice {
  accelSummary: AcceleratorSummary | null;
  accelOrg: Organization | null;
  accelAccount: string | null;
  accelVpcs: VpcRow[];
  accelLoading: boolean;
  accelError: string | null;
  /** accelRuns holds the latest build run per VPC id. */
  accelRuns: Record<string, WorkflowRun>;
  drift: VpcLink | null;
  driftModelId: string | null;
  driftFilter: DriftFilter;
  driftBusy: 'check' | 'sync' | null;
  driftError: string | null;

  loadAccelerator(): Promise<void>;
  selectAccount(id: string): Promise<void>;
  startBuild(vpc: VpcRow, m: NewAccelModel): Promise<WorkflowRun>;
  loadDrift(modelId: string): Promise<void>;
  checkDrift(): Promise<void>;
  syncDrift(): Promise<void>;
  setDriftFilter(f: DriftFilter): void;
  clearDrift(): void;
}

export const acceleratorSlice = (deps: Deps & ExtDeps): StateCreator<AppState, [], [], AcceleratorSlice> => {
  const api = acceleratorApi(deps.rest ?? restClient());
  const pollMs = deps.pollMs ?? 400;
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
  return (set, get) => {
    const refreshTable = async () => {
      const [summary, vpcs] = await Promise.all([api.summary(), get().accelAccount ? api.vpcs(get().accelAccount!) : Promise.resolve(get().accelVpcs)]);
      set({ accelSummary: summary, accelVpcs: vpcs });
    };
    return {
      accelSummary: null,
      accelOrg: null,
      accelAccount: null,
      accelVpcs: [],
      accelLoading: false,
      accelError: null,
      accelRuns: {},
      drift: null,
      driftModelId: null,
      driftFilter: 'all',
      driftBusy: null,
      driftError: null,

      async loadAccelerator() {
        set({ accelLoading: true, accelError: null });
        try {
          const [summary, org] = await Promise.all([api.summary(), api.organization()]);
          set({ accelSummary: summary, accelOrg: org });
          const account = get().accelAccount ?? firstAccount(flattenOrg(org.root, org.registered));
          if (account) await get().selectAccount(account);
        } catch (e) {
          set({ accelError: errorText(e) });
        } finally {
          set({ accelLoading: false });
        }
      },

      async selectAccount(id) {
        set({ accelAccount: id, accelError: null });
        try {
          const vpcs = await api.vpcs(id);
          if (get().accelAccount === id) set({ accelVpcs: vpcs });
        } catch (e) {
          set({ accelError: errorText(e), accelVpcs: [] });
        }
      },

      async startBuild(vpc, m) {
        let run = await api.startBuild(buildRequest(vpc, m));
        const put = (r: WorkflowRun) => set({ accelRuns: { ...get().accelRuns, [vpc.vpcId]: r } });
        put(run);
        while (run.status === 'pending' || run.status === 'running') {
          await sleep(pollMs);
          run = await api.run(run.id);
          put(run);
        }
        try {
          await refreshTable();
        } catch (e) {
          set({ accelError: errorText(e) });
        }
        return run;
      },

      async loadDrift(modelId) {
        set({ driftModelId: modelId, driftError: null });
        try {
          const link = await api.drift(modelId);
          if (get().driftModelId === modelId) set({ drift: link });
        } catch (e) {
          if (get().driftModelId === modelId) set({ drift: null, driftError: errorText(e) });
        }
      },

      async checkDrift() {
        const id = get().driftModelId;
        if (!id) return;
        set({ driftBusy: 'check', driftError: null });
        try {
          set({ drift: await api.check(id) });
        } catch (e) {
          set({ driftError: errorText(e) });
        } finally {
          set({ driftBusy: null });
        }
      },

      async syncDrift() {
        const id = get().driftModelId;
        if (!id) return;
        set({ driftBusy: 'sync', driftError: null });
        try {
          // Save pending edits first: the sync is conditional on the model's revision.
          if (get().modelId === id && get().dirty) await get().save();
          const res = await api.sync(id, get().modelId === id ? get().revision : (await deps.api.getModel(id)).revision);
          set({ drift: res.link, driftFilter: 'all' });
          // The diagram changed on the server: reopen it.
          if (get().modelId === id) await get().openModel(id);
        } catch (e) {
          set({ driftError: errorText(e) });
        } finally {
          set({ driftBusy: null });
        }
      },

      setDriftFilter(f) {
        set({ driftFilter: f });
      },

      clearDrift() {
        set({ drift: null, driftModelId: null, driftFilter: 'all', driftError: null });
      },
    };
  };
};
