// Types of the Jira integration API (pkg/api/openapi/jira.json).
export type Deployment = 'cloud' | 'datacenter';

export interface JiraInstance {
  id: string;
  name: string;
  baseUrl: string;
  deployment: Deployment;
  email?: string;
  hasToken: boolean;
  hasWebhookSecret: boolean;
  webhookPath?: string;
  updatedAt?: string;
  revision: number;
}

export interface JiraInstanceInput {
  name?: string;
  baseUrl?: string;
  deployment?: Deployment;
  email?: string;
  token?: string;
  webhookSecret?: string;
}

export interface JiraConnection {
  ok: boolean;
  serverTitle?: string;
  version?: string;
  deploymentType?: string;
  user?: string;
  error?: string;
  retryAfter?: number;
}

export type ThreatStatus = 'Open' | 'In Progress' | 'Mitigated' | 'Not Applicable' | 'Risk Accepted';
export type RequirementStatus = 'Open' | 'In Progress' | 'Implemented' | 'Not Applicable' | 'Risk Accepted';

export interface StatusRule {
  status?: string;
  category?: 'new' | 'indeterminate' | 'done';
  resolution?: string;
  threat: ThreatStatus;
  requirement: RequirementStatus;
}

export interface JiraLink {
  model?: string;
  enabled: boolean;
  instance?: string;
  project?: string;
  threatIssueType?: string;
  requirementIssueType?: string;
  labels?: string[] | null;
  statusMap?: StatusRule[] | null;
  revision?: number;
}

export interface IssueLink {
  instance?: string;
  key: string;
  url?: string;
  status?: string;
  updatedAt?: string;
}

export interface JiraDraft {
  item: string;
  kind: 'threat' | 'requirement';
  project?: string;
  issueType?: string;
  summary: string;
  description: string;
  preview?: string;
  labels?: string[] | null;
  existing?: IssueLink | null;
}

export interface JiraIssueResult {
  item: string;
  outcome: 'created' | 'found' | 'existing' | 'failed';
  key?: string;
  url?: string;
  error?: string;
  problems?: { field: string; message: string }[] | null;
  retryAfter?: number;
}
