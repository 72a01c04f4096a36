// Accelerator slice of the one store: dashboard counts, the organization
// tree, the selected account's VPC table, builds in progress, and the open
// model's drift log.
import type { StateCreator } from 'zustand';
import { errorText } from '../api/rest';
import type { AppState, Deps } from '../store/types';
import { evidenceApi } from '../evidence/api';
import { acceleratorApi } from './api';
import { accountsUnder, buildRequest, firstAccount, flattenOrg, runEnded, runError, type DriftFilter, type NewAccelModel } from './logic';
import type { AcceleratorSummary, Account, Organization, VpcLink, VpcRow, WorkflowRun } from './types';

/** ExtDeps are optional settings of the integration slices (tests poll fast). */
export interface ExtDeps {
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
  driftBusy: 'check' | 'sync' | 'apply' | null;
  driftError: string | null;
  /** accelAccounts are the tenant's registered accounts (Add account shows the pending ones). */
  accelAccounts: Account[];

  loadAccelerator(): Promise<void>;
  /** selectAccount selects a node of the organization tree (the Root, an OU or an account) and lists the VPCs of the registered accounts below it. */
  selectAccount(id: string): Promise<void>;
  startBuild(vpc: VpcRow, m: NewAccelModel): Promise<WorkflowRun>;
  loadDrift(modelId: string): Promise<void>;
  checkDrift(): Promise<void>;
  syncDrift(): Promise<void>;
  /** applyContradiction sets an element's property to what the evidence shows (the Drift Log's contradictions), saving pending edits first. */
  applyContradiction(element: string, property: string): Promise<void>;
  setDriftFilter(f: DriftFilter): void;
  clearDrift(): void;
  loadAccounts(): Promise<void>;
  /** registerAccount registers an account id; the answer holds the member stack's deploy command. */
  registerAccount(id: string, name?: string): Promise<Account>;
  /** verifyAccount asks the server to assume the account's role; the answer says verified or why not. */
  verifyAccount(id: string): Promise<Account>;
}

export const acceleratorSlice = (deps: Deps & ExtDeps): StateCreator<AppState, [], [], AcceleratorSlice> => {
  const api = acceleratorApi(deps.rest);
  const evidence = evidenceApi(deps.rest);
  const pollMs = deps.pollMs ?? 400;
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
  return (set, get) => {
    /** poll follows a run until it ends. */
    const poll = async (run: WorkflowRun, put?: (r: WorkflowRun) => void) => {
      while (!runEnded(run)) {
        await sleep(pollMs);
        run = await api.run(run.id);
        put?.(run);
      }
      return run;
    };
    const putAccount = (a: Account) => {
      // A verification answers the account without its last evidence pull: keep the one known.
      const prev = get().accelAccounts.find((x) => x.id === a.id);
      if (!a.evidencePull && prev?.evidencePull) a = { ...a, evidencePull: prev.evidencePull };
      const rest = get().accelAccounts.filter((x) => x.id !== a.id);
      set({ accelAccounts: [...rest, a].sort((x, y) => x.id.localeCompare(y.id)) });
    };
    /** vpcsUnder lists the VPCs of every registered account at or below the tree node id (#17.12). */
    const vpcsUnder = async (id: string) => {
      const org = get().accelOrg;
      const ids = org ? accountsUnder(org.root, id, org.registered) : [id];
      return (await Promise.all(ids.map((a) => api.vpcs(a)))).flat();
    };
    const refreshTable = async () => {
      const [summary, vpcs] = await Promise.all([api.summary(), get().accelAccount ? vpcsUnder(get().accelAccount!) : Promise.resolve(get().accelVpcs)]);
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
      accelAccounts: [],

      async loadAccelerator() {
        set({ accelLoading: true, accelError: null });
        try {
          const [summary, org, accounts] = await Promise.all([api.summary(), api.organization(), api.accounts()]);
          set({ accelSummary: summary, accelOrg: org, accelAccounts: accounts });
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
          const vpcs = await vpcsUnder(id);
          if (get().accelAccount === id) set({ accelVpcs: vpcs });
        } catch (e) {
          set({ accelError: errorText(e), accelVpcs: [] });
        }
      },

      async startBuild(vpc, m) {
        let run = await api.startBuild(buildRequest(vpc, m));
        const put = (r: WorkflowRun) => set({ accelRuns: { ...get().accelRuns, [vpc.vpcId]: r } });
        put(run);
        run = await poll(run, put);
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
          // The check runs in the background (it reads the VPC's inventory): follow its run, then read the link.
          const run = await poll(await api.check(id));
          if (run.status === 'failed') set({ driftError: runError(run) });
          const link = await api.drift(id);
          if (get().driftModelId === id) set({ drift: link });
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
          const run = await poll(await api.sync(id, get().modelId === id ? get().revision : (await deps.api.getModel(id)).revision));
          if (run.status === 'failed') {
            set({ driftError: runError(run) });
            return;
          }
          set({ drift: await api.drift(id), driftFilter: 'all' });
          // The diagram changed on the server: reopen it.
          if (get().modelId === id) await get().openModel(id);
        } catch (e) {
          set({ driftError: errorText(e) });
        } finally {
          set({ driftBusy: null });
        }
      },

      async applyContradiction(element, property) {
        const id = get().driftModelId;
        if (!id) return;
        set({ driftBusy: 'apply', driftError: null });
        try {
          // The change is conditional on the model's revision: save pending edits first.
          if (get().modelId === id && get().dirty) await get().save();
          const revision = get().modelId === id ? get().revision : (await deps.api.getModel(id)).revision;
          await evidence.applyContradiction(id, revision, element, property);
          set({ drift: await api.drift(id) });
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

      async loadAccounts() {
        set({ accelAccounts: await api.accounts() });
      },

      async registerAccount(id, name) {
        const a = await api.register(id.trim(), name?.trim() || undefined);
        putAccount(a);
        return a;
      },

      async verifyAccount(id) {
        const a = await api.verify(id);
        putAccount(a);
        if (a.status === 'verified') {
          // A connected account joins the organization tree and the counts.
          try {
            const [summary, org] = await Promise.all([api.summary(), api.organization()]);
            set({ accelSummary: summary, accelOrg: org });
          } catch (e) {
            set({ accelError: errorText(e) });
          }
        }
        return a;
      },
    };
  };
};
