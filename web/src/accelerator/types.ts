// Types of the Accelerator API (pkg/api/openapi/accelerator.json).
import type { Priority } from '../schema/types';

export interface AcceleratorSummary {
  accounts: number;
  vpcs: number;
  threatModels: number;
  outOfSyncModels: number;
  unreachable: string[];
}

export interface OrgNode {
  id: string;
  name: string;
  type: 'root' | 'ou' | 'account';
  email?: string;
  status?: string;
  children?: OrgNode[];
}

export interface Organization {
  root: OrgNode;
  registered: string[];
  source: 'organizations' | 'registered';
}

export interface DriftCounts {
  onlyInModel: number;
  onlyInVpc: number;
  changed: number;
}

export type ModelSync = 'unknown' | 'in-sync' | 'out-of-sync';
export type VpcSync = 'none' | ModelSync;

export interface VpcModel {
  id: string;
  name: string;
  version?: string;
  syncStatus: ModelSync;
  lastCheck?: string;
  counts: DriftCounts;
}

export interface VpcRow {
  vpcId: string;
  name: string;
  accountId: string;
  region: string;
  cidrBlock?: string;
  modelCount: number;
  syncStatus: VpcSync;
  models: VpcModel[];
}

export interface BuildRequest {
  accountId: string;
  region: string;
  vpcId: string;
  modelId?: string;
  name?: string;
  version?: string;
  description?: string;
  facing?: 'internal' | 'public';
  priority?: Priority;
  labels?: string[];
}

export type StepName = 'collect' | 'build' | 'analyze' | 'evaluate' | 'persist';
export type StepStatus = 'pending' | 'running' | 'succeeded' | 'failed' | 'skipped';

export interface RunStep {
  name: StepName;
  status: StepStatus;
  attempts: number;
  startedAt?: string;
  endedAt?: string;
  durationMs: number;
  error?: string;
}

export interface WorkflowRun {
  id: string;
  modelId: string;
  request: BuildRequest;
  status: 'pending' | 'running' | 'succeeded' | 'failed';
  steps: RunStep[];
  error?: string;
  createdAt: string;
  endedAt?: string;
}

export type DriftKind = 'only-in-model' | 'only-in-vpc' | 'changed';

export interface DriftChange {
  kind: DriftKind;
  element: 'component' | 'group' | 'flow';
  id: string;
  name?: string;
  resourceType?: string;
  resourceId?: string;
  attributes?: { name?: string; model?: string; vpc?: string }[];
}

export interface PendingEvent {
  key?: string;
  resourceType?: string;
  resourceId?: string;
  changeType?: 'UPDATE' | 'DELETE';
  captureTime?: string;
}

export interface VpcLink {
  modelId: string;
  accountId: string;
  region: string;
  vpcId: string;
  syncStatus: ModelSync;
  runId?: string;
  lastBuild?: string;
  lastCheck?: string;
  lastSync?: string;
  seenUntil?: string;
  drift?: { vpcId: string; accountId: string; region: string; changes: DriftChange[] | null };
  truncated?: boolean;
  counts: DriftCounts;
  pending?: PendingEvent[] | null;
  checkError?: string;
  revision?: number;
}

export interface SyncResult {
  model: { id: string; revision: number };
  applied: { changes: DriftChange[] | null };
  dropped: string[] | null;
  reopened: string[] | null;
  link: VpcLink;
}
