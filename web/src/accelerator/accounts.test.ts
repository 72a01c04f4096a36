import { describe, expect, it } from 'vitest';
import { createStore } from 'zustand';
import type { Rest, RestOptions } from '../api/rest';
import type { AppState, Deps } from '../store/types';
import { addAccountSteps, complianceText, validAccountId } from './logic';
import { acceleratorSlice } from './slice';
import type { Account, WorkflowRun } from './types';

const account = (p: Partial<Account>): Account => ({
  id: '444444444444', name: 'Account 444444444444', externalId: 'bulwark-x', access: 'role', verified: false, status: 'pending', revision: 1,
  deployCommand: 'aws cloudformation deploy … ExternalId=bulwark-x', ...p,
});

const run = (mode: WorkflowRun['mode'], status: WorkflowRun['status'], error?: string): WorkflowRun => ({
  id: `run-${mode}`, mode, modelId: 'tm-1', request: { accountId: '111111111111', region: 'eu-west-1', vpcId: 'vpc-1' }, status, createdAt: '',
  steps: [{ name: mode === 'sync' ? 'sync' : 'check', status: status === 'failed' ? 'failed' : status === 'succeeded' ? 'succeeded' : 'running', attempts: 1, durationMs: 1, error }],
});

function storeWith(rest: Rest) {
  return createStore<AppState>()((...a) => acceleratorSlice({ rest, pollMs: 1 } as unknown as Deps)(...a) as AppState);
}

describe('adding an account', () => {
  it('knows the three steps: register, deploy, verify', () => {
    expect(addAccountSteps(null)).toEqual(['current', 'todo', 'todo']);
    expect(addAccountSteps(account({}))).toEqual(['done', 'current', 'todo']);
    expect(addAccountSteps(account({}), true)).toEqual(['done', 'current', 'current']);
    expect(addAccountSteps(account({ status: 'failed', verifyError: 'AccessDenied' }))).toEqual(['done', 'current', 'failed']);
    expect(addAccountSteps(account({ status: 'verified', verified: true }))).toEqual(['done', 'done', 'done']);
  });
  it('checks account ids', () => {
    expect(validAccountId(' 444444444444 ')).toBe(true);
    expect(validAccountId('4444')).toBe(false);
    expect(validAccountId('44444444444a')).toBe(false);
  });
  it('registers with the id only, then verifies; a connected account refreshes the tree', async () => {
    const calls: string[] = [];
    const rest = (async (method: string, path: string, o?: RestOptions) => {
      calls.push(`${method} ${path}`);
      if (method === 'POST' && path === '/accelerator/accounts') {
        expect(o?.body).toEqual({ id: '444444444444' });
        return { body: account({}) };
      }
      if (path === '/accelerator/accounts/444444444444/verify') return { body: account({ status: 'verified', verified: true }) };
      if (path === '/accelerator/summary') return { body: { accounts: 1, vpcs: 0, threatModels: 0, outOfSyncModels: 0, unreachable: [] } };
      if (path === '/accelerator/organization') return { body: { root: { id: 'r', name: 'Root', type: 'root', children: [{ id: '444444444444', name: 'x', type: 'account' }] }, registered: ['444444444444'], source: 'organizations' } };
      throw new Error(`unexpected ${method} ${path}`);
    }) as Rest;
    const store = storeWith(rest);
    const a = await store.getState().registerAccount(' 444444444444 ', ' ');
    expect(a.deployCommand).toContain('ExternalId=bulwark-x');
    expect(store.getState().accelAccounts.map((x) => x.status)).toEqual(['pending']);
    const v = await store.getState().verifyAccount('444444444444');
    expect(v.status).toBe('verified');
    expect(store.getState().accelAccounts.map((x) => x.status)).toEqual(['verified']);
    expect(store.getState().accelOrg?.root.children?.[0].id).toBe('444444444444');
    expect(calls).toContain('GET /accelerator/organization');
  });
  it('keeps a failed verification with its reason and reads nothing else', async () => {
    const calls: string[] = [];
    const rest = (async (method: string, path: string) => {
      calls.push(`${method} ${path}`);
      return { body: account({ status: 'failed', verifyError: 'AccessDenied: not authorized to perform sts:AssumeRole' }) };
    }) as Rest;
    const store = storeWith(rest);
    const v = await store.getState().verifyAccount('444444444444');
    expect(v.verifyError).toMatch(/AccessDenied/);
    expect(calls).toEqual(['POST /accelerator/accounts/444444444444/verify']);
  });
});

describe('drift check and sync run in the background', () => {
  it('check: starts a run, polls it, then reads the drift', async () => {
    const calls: string[] = [];
    let polls = 0;
    const rest = (async (method: string, path: string) => {
      calls.push(`${method} ${path}`);
      if (path === '/accelerator/models/tm-1/check') return { body: run('check', 'pending') };
      if (path === '/accelerator/runs/run-check') return { body: run('check', ++polls < 2 ? 'running' : 'succeeded') };
      if (path === '/accelerator/models/tm-1/drift') return { body: { modelId: 'tm-1', syncStatus: 'out-of-sync', counts: { onlyInModel: 0, onlyInVpc: 1, changed: 0 } } };
      throw new Error(`unexpected ${method} ${path}`);
    }) as Rest;
    const store = storeWith(rest);
    store.setState({ driftModelId: 'tm-1' });
    await store.getState().checkDrift();
    expect(calls).toEqual(['POST /accelerator/models/tm-1/check', 'GET /accelerator/runs/run-check', 'GET /accelerator/runs/run-check', 'GET /accelerator/models/tm-1/drift']);
    expect(store.getState().drift?.syncStatus).toBe('out-of-sync');
    expect(store.getState().driftBusy).toBeNull();
  });
  it('sync: a failed run shows its error and keeps the model', async () => {
    const rest = (async (method: string, path: string, o?: RestOptions) => {
      if (path === '/accelerator/models/tm-1/sync') {
        expect(o?.revision).toBe(3);
        return { body: run('sync', 'pending') };
      }
      if (path === '/accelerator/runs/run-sync') return { body: run('sync', 'failed', 'model tm-1 changed since revision 3') };
      throw new Error(`unexpected ${method} ${path}`);
    }) as Rest;
    const store = storeWith(rest);
    store.setState({ driftModelId: 'tm-1', modelId: 'tm-1', revision: 3, dirty: false } as Partial<AppState>);
    await store.getState().syncDrift();
    expect(store.getState().driftError).toMatch(/changed since revision 3/);
  });
  it('a contradiction is applied at the open model\'s revision, then the drift log and the model are read again', async () => {
    const calls: string[] = [];
    const rest = (async (method: string, path: string, o?: RestOptions) => {
      calls.push(`${method} ${path}`);
      if (path === '/models/tm-1/evidence/contradictions/apply') {
        expect(o?.revision).toBe(3);
        expect(o?.body).toEqual({ element: 'db', property: 'publiclyAccessible' });
        return { body: {}, revision: 4 };
      }
      if (path === '/accelerator/models/tm-1/drift') return { body: { modelId: 'tm-1', syncStatus: 'in-sync', counts: { onlyInModel: 0, onlyInVpc: 0, changed: 0 }, contradictions: [] } };
      throw new Error(`unexpected ${method} ${path}`);
    }) as Rest;
    const store = storeWith(rest);
    const opened: string[] = [];
    store.setState({ driftModelId: 'tm-1', modelId: 'tm-1', revision: 3, dirty: false, openModel: async (id: string) => void opened.push(id) } as Partial<AppState>);
    await store.getState().applyContradiction('db', 'publiclyAccessible');
    expect(calls).toEqual(['POST /models/tm-1/evidence/contradictions/apply', 'GET /accelerator/models/tm-1/drift']);
    expect(opened).toEqual(['tm-1']);
    expect(store.getState().drift?.contradictions).toEqual([]);
    expect(store.getState().driftBusy).toBeNull();
  });
  it('a stale contradiction shows the server\'s reason', async () => {
    const rest = (async () => {
      throw new Error('model tm-1 changed since revision 3; reload it and apply your change again');
    }) as Rest;
    const store = storeWith(rest);
    store.setState({ driftModelId: 'tm-1', modelId: 'tm-1', revision: 3, dirty: false } as Partial<AppState>);
    await store.getState().applyContradiction('db', 'publiclyAccessible');
    expect(store.getState().driftError).toMatch(/changed since revision 3/);
  });
});

describe('evaluate step', () => {
  it('sums up the evidence counts', () => {
    expect(complianceText({ compliant: 2, nonCompliant: 1, notAvailable: 12, evidence: 7 })).toBe('2 compliant · 1 non-compliant · 12 without evidence');
  });
});
