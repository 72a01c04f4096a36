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

export type ReportKind = 'executive' | 'developer' | 'policy' | 'cis' | 'custom';
export type ReportFormat = 'html' | 'pdf' | 'csv' | 'json';

export const REPORTS: { kind: Exclude<ReportKind, 'custom'>; title: string }[] = [
  { kind: 'executive', title: 'Executive' },
  { kind: 'developer', title: 'Developer' },
  { kind: 'policy', title: 'Policy compliance' },
  { kind: 'cis', title: 'CIS AWS Foundations' },
];

/** FORMATS are the links after a report's title (HTML is the title itself). */
export const FORMATS: { format: Exclude<ReportFormat, 'html'>; label: string }[] = [
  { format: 'pdf', label: 'PDF' },
  { format: 'csv', label: 'CSV' },
  { format: 'json', label: 'JSON' },
];

/** CIS_VERSIONS are the CIS AWS Foundations Benchmark versions the CIS report can evaluate; DEFAULT_CIS is the server's default. */
export const CIS_VERSIONS = ['1.2.0', '1.4.0', '3.0.0'] as const;
export const DEFAULT_CIS = '1.4.0';

export type ReportSection = 'summary' | 'threats' | 'requirements' | 'compliance' | 'cis';

/** SECTIONS are the custom report's sections, in the server's order. */
export const SECTIONS: { id: ReportSection; label: string }[] = [
  { id: 'summary', label: 'Risk summary' },
  { id: 'threats', label: 'Threats' },
  { id: 'requirements', label: 'Requirements' },
  { id: 'compliance', label: 'Compliance evidence' },
  { id: 'cis', label: 'CIS benchmark' },
];

export interface ReportOptions {
  /** sections of the custom report (in SECTIONS order; empty means all). */
  sections?: ReportSection[];
  /** cis is the CIS benchmark version. */
  cis?: string;
}

/** reportPath is the API path of a report (relative to the API base). */
export function reportPath(modelId: string, kind: ReportKind, format: ReportFormat, download = false, o: ReportOptions = {}): string {
  const q = new URLSearchParams({ format });
  if (download) q.set('download', 'true');
  if (o.cis) q.set('cis', o.cis);
  if (kind === 'custom' && o.sections?.length) q.set('sections', SECTIONS.filter((s) => o.sections!.includes(s.id)).map((s) => s.id).join(','));
  return `/models/${encodeURIComponent(modelId)}/reports/${kind}?${q}`;
}

/** reportFilename is the download name of a report: "<kind>.<format>". */
export function reportFilename(kind: ReportKind, format: ReportFormat): string {
  return `${kind}.${format}`;
}

export interface Bar {
  label: string;
  count: number;
  /** y is the bar's top, width its length in px. */
  y: number;
  width: number;
}

/**
 * bars lays out a horizontal bar chart: one row per entry, lengths scaled to
 * the largest count over `width` px (a non-zero count gets at least 2 px).
 */
export function bars(rows: { label: string; count: number }[], width: number, row = 22): Bar[] {
  const max = Math.max(1, ...rows.map((r) => r.count));
  return rows.map((r, i) => ({ label: r.label, count: r.count, y: i * row, width: r.count > 0 ? Math.max(2, Math.round((r.count / max) * width)) : 0 }));
}
