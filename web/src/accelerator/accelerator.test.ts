import { describe, expect, it } from 'vitest';
import { createStore } from 'zustand';
import type { Rest, RestOptions } from '../api/rest';
import type { AppState, Deps } from '../store/types';
import { accountName, accountsUnder, buildRequest, filterDrift, firstAccount, flattenOrg, highlightCss, presetFor, runError, runProgress, syncColour } from './logic';
import { acceleratorSlice } from './slice';
import type { OrgNode, VpcRow, WorkflowRun } from './types';

const vpc: VpcRow = { vpcId: 'vpc-1', name: 'shop-prod', accountId: '111111111111', region: 'us-east-1', cidrBlock: '10.0.0.0/16', modelCount: 0, syncStatus: 'none', models: [] };

const run = (statuses: string[], status: WorkflowRun['status']): WorkflowRun => ({
  id: 'run-1', modelId: 'tm-1', request: { accountId: '111111111111', region: 'us-east-1', vpcId: 'vpc-1' }, status, createdAt: '',
  steps: (['collect', 'build', 'analyze', 'evaluate', 'persist'] as const).map((name, i) => ({ name, status: statuses[i] as never, attempts: 1, durationMs: 1 })),
});

describe('accelerator logic', () => {
  it('colours the sync status: yellow without a model, red out of sync, green in sync', () => {
    expect(syncColour('none')).toBe('yellow');
    expect(syncColour('out-of-sync')).toBe('red');
    expect(syncColour('in-sync')).toBe('green');
    expect(syncColour('unknown')).toBe('grey');
  });
  it('flattens the organization tree with depths, OUs first, and picks the first registered account', () => {
    const root: OrgNode = { id: 'r', name: 'Root', type: 'root', children: [
      { id: '222222222222', name: 'B', type: 'account' },
      { id: 'ou-1', name: 'Workloads', type: 'ou', children: [{ id: '111111111111', name: 'A', type: 'account' }] },
    ] };
    const rows = flattenOrg(root, ['111111111111']);
    expect(rows.map((r) => [r.node.id, r.depth, r.registered])).toEqual([['r', 0, false], ['ou-1', 1, false], ['111111111111', 2, true], ['222222222222', 1, false]]);
    expect(firstAccount(rows)).toBe('111111111111');
    expect(firstAccount(flattenOrg(root, []))).toBe('111111111111');
  });
  it('reports build progress and errors', () => {
    expect(runProgress(run(['succeeded', 'running', 'pending', 'pending', 'pending'], 'running'))).toMatchObject({ done: 1, total: 5, percent: 20, current: 'build', finished: false });
    expect(runProgress(run(['succeeded', 'succeeded', 'succeeded', 'skipped', 'succeeded'], 'succeeded'))).toMatchObject({ done: 5, percent: 100, finished: true, current: null });
    const failed = run(['succeeded', 'failed', 'pending', 'pending', 'pending'], 'failed');
    failed.steps[1].error = 'no such VPC';
    expect(runError(failed)).toBe('build: no such VPC');
    expect(runError(run(['succeeded'], 'running'))).toBeNull();
  });
  it('filters drift and highlights the filtered elements by data-id', () => {
    const changes = [
      { kind: 'only-in-model' as const, element: 'component' as const, id: 'i-1' },
      { kind: 'only-in-vpc' as const, element: 'flow' as const, id: 'flow-2' },
    ];
    expect(filterDrift(changes, 'only-in-vpc').map((c) => c.id)).toEqual(['flow-2']);
    expect(filterDrift(null, 'all')).toEqual([]);
    const css = highlightCss(filterDrift(changes, 'only-in-model'));
    expect(css).toContain('.react-flow__node[data-id="i-1"]');
    expect(css).not.toContain('flow-2');
    expect(highlightCss([])).toBe('');
  });
  it('presets a new model from the VPC', () => {
    const m = presetFor(vpc, new Date('2026-11-25T10:00:00Z'));
    expect(m).toMatchObject({ name: 'shop-prod', version: '2026-11-25' });
    expect(buildRequest(vpc, { ...m, name: ' Shop ', facing: 'public', labels: ['pci'] })).toEqual({
      accountId: '111111111111', region: 'us-east-1', vpcId: 'vpc-1', name: 'Shop', version: '2026-11-25', facing: 'public', priority: 'Medium', labels: ['pci'],
    });
  });
});

describe('accelerator slice', () => {
  it('starts a build, polls the run until it ends, and refreshes the table', async () => {
    const calls: string[] = [];
    let polls = 0;
    const rest = (async (method: string, path: string, o?: RestOptions) => {
      calls.push(`${method} ${path}`);
      if (path === '/accelerator/builds') {
        expect(o?.body).toMatchObject({ vpcId: 'vpc-1', name: 'shop-prod' });
        return { body: run(['pending', 'pending', 'pending', 'pending', 'pending'], 'pending') };
      }
      if (path === '/accelerator/runs/run-1') {
        polls++;
        return { body: polls < 2 ? run(['succeeded', 'running', 'pending', 'pending', 'pending'], 'running') : run(['succeeded', 'succeeded', 'succeeded', 'skipped', 'succeeded'], 'succeeded') };
      }
      if (path === '/accelerator/summary') return { body: { accounts: 1, vpcs: 1, threatModels: 1, outOfSyncModels: 0, unreachable: [] } };
      if (path.endsWith('/vpcs')) return { body: { vpcs: [{ ...vpc, modelCount: 1, syncStatus: 'in-sync' }] } };
      throw new Error(`unexpected ${method} ${path}`);
    }) as Rest;
    const store = createStore<AppState>()((...a) => acceleratorSlice({ rest, pollMs: 1 } as unknown as Deps)(...a) as AppState);
    store.setState({ accelAccount: '111111111111' });
    const done = await store.getState().startBuild(vpc, presetFor(vpc, new Date()));
    expect(done.status).toBe('succeeded');
    expect(polls).toBe(2);
    expect(store.getState().accelRuns['vpc-1'].status).toBe('succeeded');
    expect(store.getState().accelVpcs[0].syncStatus).toBe('in-sync');
    expect(calls).toContain('GET /accelerator/accounts/111111111111/vpcs');
  });
});

describe('organization tree selection (#17.12)', () => {
  const root: OrgNode = {
    id: 'r-1', name: 'Root', type: 'root', children: [
      { id: 'ou-a', name: 'Workloads', type: 'ou', children: [
        { id: '222222222222', name: 'Demo account 222222222222', type: 'account' },
        { id: '111111111111', name: 'Demo account 111111111111', type: 'account' },
        { id: 'ou-b', name: 'Sandbox', type: 'ou', children: [{ id: '333333333333', name: 'sandbox', type: 'account' }] },
      ] },
      { id: '444444444444', name: 'not ours', type: 'account' },
    ],
  };
  const registered = ['111111111111', '222222222222', '333333333333'];
  const cases = [
    { name: 'the Root: every registered account below', id: 'r-1', want: ['333333333333', '111111111111', '222222222222'] },
    { name: 'an OU: its accounts and those of OUs below', id: 'ou-a', want: ['333333333333', '111111111111', '222222222222'] },
    { name: 'a nested OU', id: 'ou-b', want: ['333333333333'] },
    { name: 'an account: itself', id: '222222222222', want: ['222222222222'] },
    { name: 'an id not in the tree: itself', id: '555555555555', want: ['555555555555'] },
  ];
  for (const c of cases) it(c.name, () => expect(accountsUnder(root, c.id, registered)).toEqual(c.want));
});

describe('accountName does not repeat the id', () => {
  const cases = [
    ['Demo account 111111111111', 'Demo account'],
    ['111111111111', ''],
    ['shop-prod (111111111111)', 'shop-prod'],
    ['111111111111 - shop-prod', 'shop-prod'],
    ['shop-prod', 'shop-prod'],
  ];
  for (const [name, want] of cases) it(`${name} → ${want || '(empty)'}`, () => expect(accountName(name, '111111111111')).toBe(want));
});

describe('selecting an OU lists the VPCs of its accounts (#17.12)', () => {
  it('asks for each registered account below and shows them all', async () => {
    const calls: string[] = [];
    const rest = (async (method: string, path: string) => {
      calls.push(path);
      const acct = /accounts\/(\d+)\/vpcs/.exec(path)?.[1];
      if (acct) return { body: { vpcs: [{ vpcId: `vpc-${acct}`, name: acct, accountId: acct, region: 'eu-west-1', modelCount: 0, syncStatus: 'none', models: [] }] } };
      throw new Error(`unexpected ${method} ${path}`);
    }) as Rest;
    const store = createStore<AppState>()((...a) => acceleratorSlice({ rest, pollMs: 1 } as unknown as Deps)(...a) as AppState);
    const root: OrgNode = { id: 'r', name: 'Root', type: 'root', children: [{ id: 'ou', name: 'Workloads', type: 'ou', children: [
      { id: '111111111111', name: 'a', type: 'account' }, { id: '222222222222', name: 'b', type: 'account' }, { id: '333333333333', name: 'c', type: 'account' },
    ] }] };
    store.setState({ accelOrg: { root, registered: ['111111111111', '222222222222'], source: 'organizations' } });
    await store.getState().selectAccount('ou');
    expect(store.getState().accelAccount).toBe('ou');
    expect(store.getState().accelVpcs.map((v) => v.vpcId)).toEqual(['vpc-111111111111', 'vpc-222222222222']);
    expect(calls).not.toContain('/accelerator/accounts/333333333333/vpcs');
  });
});
