import { describe, expect, it } from 'vitest';
import { detailsOf, detailsPatch, fieldErrors } from './details';

const before = detailsOf({ name: 'Shop', version: '1.0', projectType: 'Web Application', priority: 'High', facing: 'public', labels: ['pci'] });

describe('detailsPatch', () => {
  const cases = [
    { name: 'nothing changed', after: { ...before }, want: {} },
    { name: 'trimmed name and version', after: { ...before, name: '  Shop 2 ', version: ' 2.0 ' }, want: { name: 'Shop 2', version: '2.0' } },
    { name: 'an emptied name is sent for the server to refuse', after: { ...before, name: '   ' }, want: { name: '' } },
    { name: 'labels cleared', after: { ...before, labels: [] }, want: { labels: [] } },
    { name: 'type, priority, exposure', after: { ...before, projectType: 'IoT', priority: 'Low' as const, facing: 'internal' as const }, want: { projectType: 'IoT', priority: 'Low', facing: 'internal' } },
  ];
  for (const c of cases) it(c.name, () => expect(detailsPatch(before, c.after)).toEqual(c.want));
});

describe('fieldErrors', () => {
  it('puts each problem beside its field and keeps the rest', () => {
    const got = fieldErrors(
      [
        { field: '/name', message: 'is required' },
        { field: '/labels/1', message: 'longer than 64 characters' },
        { field: '/labels/0', message: 'duplicate label "a"' },
        { field: '/properties', message: 'at most 50 properties, got 51' },
      ],
      ['a', 'x'.repeat(70)],
    );
    expect(got.byField).toEqual({ name: 'Name is required', labels: `Label “${'x'.repeat(70)}” longer than 64 characters; Label “a” duplicate label "a"` });
    expect(got.other).toEqual(['/properties: at most 50 properties, got 51']);
  });
});
