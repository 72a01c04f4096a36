import { describe, expect, it } from 'vitest';
import type { RequirementItem, ThreatItem } from './api';
import { groupItems, matches, sourceOf, THREAT_COLUMNS, visibleColumns } from './table';

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
    expect(groupItems(items, 'source').map((g) => [g.key, g.items.length])).toEqual([['Web', 2], ['Bucket', 1]]);
    expect(groupItems(items, 'status', ['Open', 'In Progress', 'Implemented']).map((g) => [g.key, g.items.length])).toEqual([['Open', 2], ['Implemented', 1]]);
    expect(groupItems(items, 'epic').map((g) => g.key)).toEqual(['IAM', 'Logging']);
    expect(groupItems(items, 'none')[0].items).toHaveLength(3);
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
