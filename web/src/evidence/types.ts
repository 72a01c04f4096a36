// Types of the evidence API (pkg/api/openapi/evidence.json).
export type ComplianceStatus = 'COMPLIANT' | 'NON_COMPLIANT' | 'NOT_AVAILABLE';

export interface Evidence {
  id: string;
  source: 'securityhub' | 'config';
  ref: string;
  check: string;
  control?: string;
  configRule?: string;
  cis?: string;
  accountId: string;
  region?: string;
  resourceType?: string;
  resourceId?: string;
  resourceArn?: string;
  accountLevel?: boolean;
  status: ComplianceStatus;
  result: string;
  active: boolean;
  reason?: string;
  title?: string;
  severity?: string;
  observedAt: string;
  superseded?: boolean;
  /** via names the related resource the evidence is about when it is not the element's own ("security group sg-0123 (bastion)"). */
  via?: string;
}

export interface ComplianceItem {
  /** onlyByEvidence: the requirement applies only as the evidence sees the element (see contradictions). */
  onlyByEvidence?: boolean;
  requirement: string;
  rule: string;
  title: string;
  epic: string;
  severity: string;
  element: string;
  elementKind: string;
  elementName?: string;
  component: string;
  implementation: string;
  status: ComplianceStatus;
  sourceName?: string;
  checks: { securityHub: string[] | null; config: string[] | null; cis: string[] | null };
  evidence: Evidence[] | null;
}

export interface EvidenceList {
  revision: number;
  accounts: string[] | null;
  total: number;
  counts: Partial<Record<ComplianceStatus, number>>;
  statuses: ComplianceStatus[];
  items: ComplianceItem[] | null;
  groups?: { key: string; label: string; count: number; items: ComplianceItem[] | null }[] | null;
  /** contradictions are the element properties current evidence contradicts. */
  contradictions?: Contradiction[] | null;
}

/** Contradiction is a property the evidence contradicts: "Security Hub says public, the model says private" (pkg/compliance.Contradiction). */
export interface Contradiction {
  element: string;
  elementKind: string;
  elementName?: string;
  property: string;
  model: boolean;
  evidence: boolean;
  message: string;
  observation: Evidence;
}

export interface EvidenceImportResult {
  files: { name: string; observations: number; skipped: number; notes?: string[] | null }[];
  created: number;
  updated: number;
  unchanged: number;
  accounts: string[] | null;
  /** unmapped are the checks of the imported evidence that decide no requirement. */
  unmapped?: { check: string; source: string; title?: string; observations: number }[] | null;
}

// The executive report's JSON (pkg/report.ExecutiveReport).
export interface StatusCount {
  status: string;
  label: string;
  count: number;
}

export interface ExecutiveReport {
  kind: 'executive';
  title: string;
  model: { id: string; name: string; revision: number };
  accounts: string[] | null;
  generatedAt: string;
  openRisk: number;
  totalRisk: number;
  riskReduced: number;
  threats: number;
  threatStatus: StatusCount[];
  openBySeverity: StatusCount[];
  topThreats: { id: string; title: string; elementName: string; severity: string; risk: number; status: string; stride: string }[];
  requirements: number;
  requirementStatus: StatusCount[];
  implemented: number;
  compliance: StatusCount[];
  epics: { epic: string; requirements: number; implemented: number; compliant: number; nonCompliant: number }[];
}
