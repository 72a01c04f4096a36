// The Overview's table logic: columns, search, filters, grouping and counts. Pure
// functions over the analysis items; OverviewPage renders them.
import type { AnalysisItem, RequirementItem, ThreatItem } from './api';

export type Pane = 'threats' | 'requirements';

export interface Column<T> {
  id: string;
  label: string;
  value(item: T): string;
  /** shown unless the user hides it */
  default: boolean;
}

/** sourceOf is where an item comes from: its element, or the nested model it was imported from. */
export function sourceOf(item: AnalysisItem): string {
  if (item.imported) return item.imported.modelName || item.imported.model;
  return item.elementName || item.element;
}

const common = <T extends AnalysisItem>(): Column<T>[] => [
  { id: 'title', label: 'Title', value: (i) => i.title, default: true },
  { id: 'source', label: 'Source', value: sourceOf, default: true },
  { id: 'element', label: 'Element', value: (i) => (i.imported ? i.imported.elementName || i.imported.element : i.elementType ?? ''), default: false },
  { id: 'severity', label: 'Severity', value: (i) => i.severity, default: true },
];

export const THREAT_COLUMNS: Column<ThreatItem>[] = [
  ...common<ThreatItem>(),
  { id: 'stride', label: 'STRIDE', value: (i) => i.stride, default: true },
  { id: 'risk', label: 'Risk', value: (i) => String(i.likelihood * i.impact), default: false },
  { id: 'hasRequirement', label: 'Security Requirement', value: (i) => (i.requirements?.length ? 'Yes' : 'No'), default: true },
  { id: 'cwe', label: 'CWE', value: (i) => (i.cwe ?? []).join(', '), default: false },
  { id: 'rule', label: 'Rule', value: (i) => i.rule, default: false },
];

export const REQUIREMENT_COLUMNS: Column<RequirementItem>[] = [
  ...common<RequirementItem>(),
  { id: 'epic', label: 'Epic', value: (i) => i.epic, default: true },
  { id: 'evidence', label: 'Evidence', value: (i) => [...(i.evidence?.securityHub ?? []), ...(i.evidence?.config ?? [])].join(', '), default: false },
  { id: 'rule', label: 'Rule', value: (i) => i.rule, default: false },
];

/** matches tells whether an item matches a search text (title, rule, source, element, status, epic). */
export function matches(item: AnalysisItem, q: string): boolean {
  const needle = q.trim().toLowerCase();
  if (!needle) return true;
  const hay = [item.title, item.rule, sourceOf(item), item.elementType ?? '', item.status, 'epic' in item ? item.epic : '', item.notes ?? '']
    .join('\n').toLowerCase();
  return needle.split(/\s+/).every((w) => hay.includes(w));
}

export interface ItemGroup<T> {
  key: string;
  items: T[];
}

/** visibleColumns applies the user's choice (ids to show) or the defaults. */
export function visibleColumns<T>(all: Column<T>[], chosen: string[] | null): Column<T>[] {
  return all.filter((c) => (chosen ? chosen.includes(c.id) : c.default));
}

/** STATUS_COLUMN is the status as a column, so that it can be filtered and grouped like the others. */
export const STATUS_COLUMN: Column<AnalysisItem> = { id: 'status', label: 'Status', value: (i) => i.status, default: false };

/** SEVERITIES is the order of severities, highest first. */
export const SEVERITIES = ['Critical', 'High', 'Medium', 'Low', 'Info'];

/** Filters maps a column id to the one value rows must have in that column. */
export type Filters = Readonly<Record<string, string>>;

/** EMPTY is how an empty cell is named in filters and group titles. */
export const EMPTY = '—';

const cell = <T,>(c: Column<T>, i: T) => c.value(i) || EMPTY;

/** applyFilters keeps the items whose cell equals the filter's value in every filtered column; unknown columns are ignored. */
export function applyFilters<T>(items: T[], columns: Column<T>[], filters: Filters): T[] {
  const active = columns.filter((c) => filters[c.id] !== undefined);
  if (active.length === 0) return items;
  return items.filter((i) => active.every((c) => cell(c, i) === filters[c.id]));
}

/** valueOrder is the natural order of a column's values: severities and statuses in their order, the rest as given. */
export function valueOrder(columnId: string, statuses: string[]): string[] | undefined {
  if (columnId === 'severity') return SEVERITIES;
  if (columnId === 'status') return statuses;
  if (columnId === 'hasRequirement') return ['Yes', 'No'];
  return undefined;
}

function sortKeys(keys: string[], order: string[] | undefined): string[] {
  if (!order) return keys;
  const rank = (k: string) => (order.includes(k) ? order.indexOf(k) : order.length);
  return [...keys].sort((a, b) => rank(a) - rank(b));
}

/** columnValues lists the values of a column among items with how many items have each, in the column's order (else alphabetical). */
export function columnValues<T>(items: T[], column: Column<T>, order?: string[]): { value: string; count: number }[] {
  const counts = new Map<string, number>();
  for (const i of items) {
    const v = cell(column, i);
    counts.set(v, (counts.get(v) ?? 0) + 1);
  }
  const keys = order ? sortKeys([...counts.keys()], order) : [...counts.keys()].sort((a, b) => a.localeCompare(b));
  return keys.map((value) => ({ value, count: counts.get(value)! }));
}

/** groupByColumn groups items by a column's value (first appearance order, or the column's natural order); no column means one group. */
export function groupByColumn<T>(items: T[], column: Column<T> | undefined, order?: string[]): ItemGroup<T>[] {
  if (!column) return [{ key: 'All', items }];
  const groups = new Map<string, T[]>();
  for (const i of items) {
    const k = cell(column, i);
    const g = groups.get(k);
    if (g) g.push(i);
    else groups.set(k, [i]);
  }
  return sortKeys([...groups.keys()], order).map((key) => ({ key, items: groups.get(key)! }));
}
