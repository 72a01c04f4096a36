// Pure helpers of the Accelerator screens: sync colours, the organization
// tree, build progress, drift filters and the preset of a new model.
import type { Account, BuildRequest, ComplianceCounts, DriftChange, DriftKind, OrgNode, VpcRow, VpcSync, WorkflowRun } from './types';

export type SyncColour = 'yellow' | 'red' | 'green' | 'grey';

/** syncColour: yellow when the VPC has no threat model yet, red out of sync, green in sync, grey not checked. */
export function syncColour(s: VpcSync): SyncColour {
  switch (s) {
    case 'none':
      return 'yellow';
    case 'out-of-sync':
      return 'red';
    case 'in-sync':
      return 'green';
    default:
      return 'grey';
  }
}

export const SYNC_LABEL: Record<VpcSync, string> = {
  none: 'No threat model yet',
  'out-of-sync': 'Out of sync',
  'in-sync': 'In sync',
  unknown: 'Not checked yet',
};

export interface TreeRow {
  node: OrgNode;
  depth: number;
  registered: boolean;
}

/** flattenOrg lists the tree depth first with each node's depth, accounts sorted by name within their parent. */
export function flattenOrg(root: OrgNode, registered: string[]): TreeRow[] {
  const reg = new Set(registered);
  const out: TreeRow[] = [];
  const walk = (n: OrgNode, depth: number) => {
    out.push({ node: n, depth, registered: n.type === 'account' && reg.has(n.id) });
    const kids = [...(n.children ?? [])].sort((a, b) => (a.type === b.type ? a.name.localeCompare(b.name) : a.type === 'ou' ? -1 : 1));
    kids.forEach((k) => walk(k, depth + 1));
  };
  walk(root, 0);
  return out;
}

/** findNode returns the node of the tree with id, if any. */
export function findNode(root: OrgNode, id: string): OrgNode | undefined {
  if (root.id === id) return root;
  for (const c of root.children ?? []) {
    const f = findNode(c, id);
    if (f) return f;
  }
  return undefined;
}

/**
 * accountsUnder lists the registered accounts at or below the node id (the
 * Root, an OU or an account), in tree order: the VPCs shown when it is
 * selected. An account that is selected is listed even if unregistered, as
 * is an id the tree does not hold.
 */
export function accountsUnder(root: OrgNode, id: string, registered: string[]): string[] {
  const node = findNode(root, id);
  if (!node || node.type === 'account') return [id];
  const reg = new Set(registered);
  return flattenOrg(node, registered).filter((r) => r.node.type === 'account' && reg.has(r.node.id)).map((r) => r.node.id);
}

/**
 * accountName is an account's name without its id (shown beside it):
 * "Demo account 111111111111" → "Demo account"; a name that is only the id
 * gives "".
 */
export function accountName(name: string, id: string): string {
  if (!id) return name.trim();
  return name.split(id).join(' ').replace(/[\s()[\]\-–—:·,]+$/, '').replace(/^[\s()[\]\-–—:·,]+/, '').replace(/\s{2,}/g, ' ').replace(/\(\s*\)/g, '').trim();
}

/** firstAccount is the first registered account of the tree, to select on opening. */
export function firstAccount(rows: TreeRow[]): string | null {
  return rows.find((r) => r.registered)?.node.id ?? rows.find((r) => r.node.type === 'account')?.node.id ?? null;
}

export interface Progress {
  done: number;
  total: number;
  percent: number;
  current: string | null;
  finished: boolean;
  failed: boolean;
}

/** runProgress summarizes a build run: finished steps (succeeded or skipped) out of all. */
export function runProgress(run: WorkflowRun): Progress {
  const total = run.steps.length || 5;
  const done = run.steps.filter((s) => s.status === 'succeeded' || s.status === 'skipped').length;
  const current = run.steps.find((s) => s.status === 'running' || s.status === 'failed')?.name ?? run.steps.find((s) => s.status === 'pending')?.name ?? null;
  const finished = run.status === 'succeeded' || run.status === 'failed';
  return { done, total, percent: Math.round((done / total) * 100), current: finished ? null : current, finished, failed: run.status === 'failed' };
}

/** runError is the first error message of a failed run. */
export function runError(run: WorkflowRun): string | null {
  if (run.status !== 'failed') return null;
  const step = run.steps.find((s) => s.error);
  return run.error || (step ? `${step.name}: ${step.error}` : 'The build failed.');
}

export type DriftFilter = 'all' | DriftKind;

export const DRIFT_LABEL: Record<DriftKind, string> = {
  'only-in-model': 'Only in Threat Model',
  'only-in-vpc': 'Only in VPC',
  changed: 'Changed',
};

export function filterDrift(changes: DriftChange[] | null | undefined, f: DriftFilter): DriftChange[] {
  return (changes ?? []).filter((c) => f === 'all' || c.kind === f);
}

/**
 * highlightCss draws the chosen drift items on the diagram: React Flow marks
 * nodes and edges with data-id. colour and scope (a selector of the diagram
 * to limit it to) let the History's comparison draw its changes the same way.
 */
export function highlightCss(changes: Pick<DriftChange, 'id'>[], { colour = '#d91515', scope = '' }: { colour?: string; scope?: string } = {}): string {
  const ids = changes.map((c) => JSON.stringify(c.id));
  if (ids.length === 0) return '';
  const within = scope ? `${scope} ` : '';
  const nodes = ids.map((i) => `${within}.react-flow__node[data-id=${i}]`).join(',\n');
  const edges = ids.map((i) => `${within}.react-flow__edge[data-id=${i}] .react-flow__edge-path`).join(',\n');
  return `${nodes} { outline: 3px solid ${colour}; outline-offset: 2px; border-radius: 8px; }\n${edges} { stroke: ${colour} !important; stroke-width: 3px !important; }`;
}

export interface NewAccelModel {
  name: string;
  version: string;
  facing: 'internal' | 'public';
  priority: BuildRequest['priority'];
  labels: string[];
}

/** presetFor is the form's start: the VPC's name and today's date as the version. */
export function presetFor(vpc: VpcRow, today: Date): NewAccelModel {
  return { name: vpc.name || vpc.vpcId, version: today.toISOString().slice(0, 10), facing: 'internal', priority: 'Medium', labels: [] };
}

export function buildRequest(vpc: VpcRow, m: NewAccelModel): BuildRequest {
  return { accountId: vpc.accountId, region: vpc.region, vpcId: vpc.vpcId, name: m.name.trim(), version: m.version.trim(), facing: m.facing, priority: m.priority, labels: m.labels };
}

/** complianceText sums up what the evaluate step found, e.g. "2 compliant · 1 non-compliant · 12 without evidence". */
export function complianceText(c: ComplianceCounts): string {
  return `${c.compliant} compliant · ${c.nonCompliant} non-compliant · ${c.notAvailable} without evidence`;
}

/** validAccountId tells whether s is a 12-digit AWS account id. */
export function validAccountId(s: string): boolean {
  return /^[0-9]{12}$/.test(s.trim());
}

export type AddStepState = 'done' | 'current' | 'todo' | 'failed';

/** addAccountSteps is the state of the three steps of adding an account: register, deploy the member stack, verify. */
export function addAccountSteps(a: Account | null, verifying = false): [AddStepState, AddStepState, AddStepState] {
  if (!a) return ['current', 'todo', 'todo'];
  if (a.status === 'verified') return ['done', 'done', 'done'];
  if (a.status === 'failed' && !verifying) return ['done', 'current', 'failed'];
  return ['done', 'current', verifying ? 'current' : 'todo'];
}

/** runEnded tells whether a run is over (succeeded or failed). */
export function runEnded(run: WorkflowRun): boolean {
  return run.status === 'succeeded' || run.status === 'failed';
}
