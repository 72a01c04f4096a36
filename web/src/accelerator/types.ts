// Types of the Accelerator API (pkg/api/openapi/accelerator.json).
import type { Priority } from '../schema/types';
import type { Contradiction } from '../evidence/types';

export interface AcceleratorSummary {
  accounts: number;
  vpcs: number;
  threatModels: number;
  outOfSyncModels: number;
  unreachable: string[];
  /** unverified lists registered accounts not verified yet: their VPCs are not read. */
  unverified?: string[];
  /** unlisted lists usable accounts whose VPCs were not listed yet (the scheduled check lists them); not counted in vpcs. */
  unlisted?: string[];
}

/** AccountStatus: registered and waiting for its member stack, connected, or the last verification failed. */
export type AccountStatus = 'pending' | 'verified' | 'failed';

/** Account is a registered member account (pkg/api accountView). */
export interface Account {
  id: string;
  name: string;
  roleArn?: string;
  externalId: string;
  regions?: string[];
  access: 'role' | 'files';
  verified: boolean;
  verifiedAt?: string;
  verifyError?: string;
  lastVerify?: string;
  status: AccountStatus;
  /** deployCommand deploys the member stack with this account's ExternalId (role access only). */
  deployCommand?: string;
  /** evidencePull is the scheduled run's last pull of the account's findings and rule evaluations (aws mode); absent until the first. */
  evidencePull?: EvidencePull;
  revision: number;
}

/** EvidencePull is one scheduled pull of an account's Security Hub findings and AWS Config rule evaluations (pkg/workflow EvidencePullRecord). */
export interface EvidencePull {
  accountId: string;
  regions?: string[];
  started: string;
  ended: string;
  /** succeeded is when the last pull without an error ended. */
  succeeded?: string;
  stored: { created: number; updated: number; unchanged: number };
  /** foreign counts observations about other accounts, never stored for this tenant. */
  foreign?: number;
  /** error is why the last pull failed; a later scheduled run pulls again. */
  error?: string;
  failures?: number;
  /** next is when the scheduled run pulls the account again, as the server worked it out when it recorded this pull. */
  next?: string;
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

export type StepName = 'collect' | 'build' | 'analyze' | 'evaluate' | 'persist' | 'check' | 'sync';

/** ComplianceCounts is what the evaluate step found: requirements by evidence status. */
export interface ComplianceCounts {
  compliant: number;
  nonCompliant: number;
  notAvailable: number;
  evidence: number;
}

/** StepOutput is the part of a step's recorded state the UI shows. */
export interface StepOutput {
  compliance?: ComplianceCounts;
  syncStatus?: ModelSync;
  drift?: DriftCounts;
  modelRevision?: number;
  applied?: number;
  dropped?: number;
  reopened?: number;
}
export type StepStatus = 'pending' | 'running' | 'succeeded' | 'failed' | 'skipped';

export interface RunStep {
  name: StepName;
  status: StepStatus;
  attempts: number;
  startedAt?: string;
  endedAt?: string;
  durationMs: number;
  error?: string;
  output?: StepOutput;
}

/** RunMode: a VPC build, a drift check or a sync; each runs in the background and is polled. */
export type RunMode = 'build' | 'check' | 'sync';

export interface WorkflowRun {
  id: string;
  mode?: RunMode;
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

/** HandDrawnItem is a model element drawn by hand, listed in the Drift Log apart from the drift. */
export type HandDrawnItem = Omit<DriftChange, 'kind'> & { kind: 'hand-drawn' };

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
  drift?: {
    vpcId: string; accountId: string; region: string; changes: DriftChange[] | null;
    /** handDrawn are elements drawn by hand in the model (kind 'hand-drawn'): Sync keeps them; not drift. */
    handDrawn?: HandDrawnItem[] | null;
    /** handDrawnCount counts them all, also past the listed ones. */
    handDrawnCount?: number;
  };
  truncated?: boolean;
  counts: DriftCounts;
  pending?: PendingEvent[] | null;
  checkError?: string;
  revision?: number;
  /** contradictions are element properties current Security Hub or AWS Config evidence contradicts. */
  contradictions?: Contradiction[] | null;
}

export interface SyncResult {
  model: { id: string; revision: number };
  applied: { changes: DriftChange[] | null };
  dropped: string[] | null;
  reopened: string[] | null;
  link: VpcLink;
}
