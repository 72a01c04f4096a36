// Pure helpers of the compliance views: labels, counts and grouping by
// compliance status, and report links.
import type { ComplianceItem, ComplianceStatus, EvidenceList } from './types';

export const COMPLIANCE_ORDER: ComplianceStatus[] = ['NON_COMPLIANT', 'COMPLIANT', 'NOT_AVAILABLE'];

/** complianceLabel writes a status as people read it: NON-COMPLIANT, NOT AVAILABLE. */
export function complianceLabel(s: ComplianceStatus): string {
  return s === 'NON_COMPLIANT' ? 'NON-COMPLIANT' : s === 'NOT_AVAILABLE' ? 'NOT AVAILABLE' : s;
}

/** countsLine is "COMPLIANT 15 / NON-COMPLIANT 52 / NOT AVAILABLE 3", leaving out zero counts. */
export function countsLine(counts: EvidenceList['counts']): string {
  return (['COMPLIANT', 'NON_COMPLIANT', 'NOT_AVAILABLE'] as ComplianceStatus[])
    .filter((s) => (counts[s] ?? 0) > 0)
    .map((s) => `${complianceLabel(s)} ${counts[s]}`)
    .join(' / ');
}

/** complianceIndex maps requirement item ids to their compliance item (all items of the list and of its groups). */
export function complianceIndex(list: EvidenceList): Map<string, ComplianceItem> {
  const m = new Map<string, ComplianceItem>();
  for (const i of list.items ?? []) m.set(i.requirement, i);
  for (const g of list.groups ?? []) for (const i of g.items ?? []) m.set(i.requirement, i);
  return m;
}

/** groupByCompliance groups items by their requirement's compliance status, non-compliant first, with counts. */
export function groupByCompliance<T extends { id: string }>(items: T[], index: Map<string, ComplianceItem>): { key: string; status: ComplianceStatus; items: T[] }[] {
  const by = new Map<ComplianceStatus, T[]>();
  for (const i of items) {
    const s = index.get(i.id)?.status ?? 'NOT_AVAILABLE';
    by.set(s, [...(by.get(s) ?? []), i]);
  }
  return COMPLIANCE_ORDER.filter((s) => by.has(s)).map((s) => ({ key: complianceLabel(s), status: s, items: by.get(s)! }));
}

export type ReportKind = 'executive' | 'developer' | 'policy' | 'cis';
export type ReportFormat = 'html' | 'csv' | 'json';

export const REPORTS: { kind: ReportKind; title: string }[] = [
  { kind: 'executive', title: 'Executive' },
  { kind: 'developer', title: 'Developer' },
  { kind: 'policy', title: 'Policy compliance' },
  { kind: 'cis', title: 'CIS AWS Foundations' },
];

/** reportPath is the API path of a report (relative to the API base). */
export function reportPath(modelId: string, kind: ReportKind, format: ReportFormat, download = false): string {
  const q = new URLSearchParams({ format });
  if (download) q.set('download', 'true');
  return `/models/${encodeURIComponent(modelId)}/reports/${kind}?${q}`;
}
