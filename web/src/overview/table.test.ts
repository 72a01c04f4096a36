import { describe, expect, it } from 'vitest';
import type { RequirementItem, ThreatItem } from './api';
import {
  applyFilters, columnValues, EMPTY, groupByColumn, matches, REQUIREMENT_COLUMNS, sourceOf, STATUS_COLUMN, THREAT_COLUMNS, valueOrder, visibleColumns, type Column,
} from './table';

const req = (id: string, over: Partial<RequirementItem> = {}): RequirementItem => ({
  id, rule: id.split('@')[0], element: 'e1', elementKind: 'component', elementName: 'Web', elementType: 'aws.ec2',
  component: 'e1', title: `Title ${id}`, severity: 'High', status: 'Open', epic: 'IAM', threats: [], ...over,
});

const threat = (over: Partial<ThreatItem> = {}): ThreatItem => ({
  id: 't@e1', rule: 't', element: 'e1', elementKind: 'component', elementName: 'Web', component: 'e1', title: 'T',
  severity: 'High', status: 'Open', stride: 'Spoofing', likelihood: 3, impact: 4, requirements: [], ...over,
});

describe('overview table', () => {
  it('names the nested model as the source of an imported item', () => {
    expect(sourceOf(req('a@e1'))).toBe('Web');
    expect(sourceOf(threat({ imported: { model: 'tm-2', modelName: 'Payments', item: 'x', element: 'y' } }))).toBe('Payments');
  });

  it('groups by source, status (in status order) and epic, keeping counts', () => {
    const items = [
      req('aws.ec2.a@e1', { status: 'Implemented' }),
      req('aws.ec2.b@e1', { epic: 'Logging' }),
      req('aws.s3.c@s1', { elementName: 'Bucket', status: 'Open' }),
    ];
    const col = (id: string) => [...REQUIREMENT_COLUMNS, STATUS_COLUMN].find((c) => c.id === id)!;
    expect(groupByColumn(items, col('source')).map((g) => [g.key, g.items.length])).toEqual([['Web', 2], ['Bucket', 1]]);
    const statuses = ['Open', 'In Progress', 'Implemented'];
    expect(groupByColumn(items, col('status'), valueOrder('status', statuses)).map((g) => [g.key, g.items.length])).toEqual([['Open', 2], ['Implemented', 1]]);
    expect(groupByColumn(items, col('epic')).map((g) => g.key)).toEqual(['IAM', 'Logging']);
    expect(groupByColumn(items, undefined)[0].items).toHaveLength(3);
  });

  it('searches every word in title, rule, source and status', () => {
    expect(matches(req('aws.ec2.require-imdsv2@e1'), 'aws.ec2.')).toBe(true);
    expect(matches(req('aws.common.x@e1'), 'aws.ec2.')).toBe(false);
    expect(matches(req('a@e1'), 'web open')).toBe(true);
    expect(matches(req('a@e1'), '')).toBe(true);
  });

  it('shows the Security Requirement column as yes or no', () => {
    const col = THREAT_COLUMNS.find((c) => c.id === 'hasRequirement')!;
    expect(col.value(threat({ requirements: ['r@e1'] }))).toBe('Yes');
    expect(col.value(threat())).toBe('No');
    expect(visibleColumns(THREAT_COLUMNS, ['title', 'hasRequirement']).map((c) => c.id)).toEqual(['title', 'hasRequirement']);
    expect(visibleColumns(THREAT_COLUMNS, null).some((c) => c.id === 'rule')).toBe(false);
  });
});

describe('filters and grouping by any column', () => {
  const items = [
    threat({ id: 'a', severity: 'Low', requirements: ['r'] }),
    threat({ id: 'b', severity: 'High' }),
    threat({ id: 'c', severity: 'Critical', stride: 'Tampering' }),
    threat({ id: 'd', severity: 'High', status: 'Mitigated', requirements: ['r'] }),
    threat({ id: 'e', severity: 'High', stride: 'Tampering' }),
  ];
  const col = (id: string) => [...THREAT_COLUMNS, STATUS_COLUMN].find((c) => c.id === id)!;
  const ids = (xs: ThreatItem[]) => xs.map((x) => x.id).join('');

  it('keeps the rows whose cell equals every filter', () => {
    const cols = [...THREAT_COLUMNS, STATUS_COLUMN] as Column<ThreatItem>[];
    expect(ids(applyFilters(items, cols, { hasRequirement: 'No' }))).toBe('bce');
    expect(ids(applyFilters(items, cols, { hasRequirement: 'No', severity: 'High' }))).toBe('be');
    expect(ids(applyFilters(items, cols, { stride: 'Tampering', status: 'Open' }))).toBe('ce');
    expect(applyFilters(items, cols, {})).toBe(items);
    // A filter on a column that is not offered (hidden) is ignored.
    expect(ids(applyFilters(items, cols.filter((c) => c.id !== 'severity'), { severity: 'Low' }))).toBe('abcde');
  });

  it('lists values with counts in their natural order', () => {
    expect(columnValues(items, col('severity'), valueOrder('severity', []))).toEqual([
      { value: 'Critical', count: 1 }, { value: 'High', count: 3 }, { value: 'Low', count: 1 },
    ]);
    expect(columnValues(items, col('hasRequirement'), valueOrder('hasRequirement', []))).toEqual([{ value: 'Yes', count: 2 }, { value: 'No', count: 3 }]);
    expect(columnValues([threat({ cwe: [] })], col('cwe')).map((v) => v.value)).toEqual([EMPTY]);
  });

  it('groups by any column, severities highest first', () => {
    const g = groupByColumn(applyFilters(items, THREAT_COLUMNS, { hasRequirement: 'No' }), col('severity'), valueOrder('severity', []));
    expect(g.map((x) => [x.key, x.items.length])).toEqual([['Critical', 1], ['High', 2]]);
    expect(groupByColumn(items, col('stride')).map((x) => x.key)).toEqual(['Spoofing', 'Tampering']);
    expect(groupByColumn(items, col('status'), valueOrder('status', ['Open', 'Mitigated'])).map((x) => x.key)).toEqual(['Open', 'Mitigated']);
    expect(groupByColumn(items, undefined)).toEqual([{ key: 'All', items }]);
  });
});
