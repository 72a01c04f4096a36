import { describe, expect, it } from 'vitest';
import { flatten, rowWindow, windowParts } from './virtual';

describe('table window', () => {
  it('renders only the rows in view and a margin around them', () => {
    expect(rowWindow(10_000, 0, 680, 34, 10)).toEqual({ start: 0, end: 30 });
    expect(rowWindow(10_000, 3400, 680, 34, 10)).toEqual({ start: 90, end: 130 });
    expect(rowWindow(10_000, 34 * 10_000, 680, 34, 10)).toEqual({ start: 9990, end: 10_000 });
    expect(rowWindow(5, 0, 680, 34, 10)).toEqual({ start: 0, end: 5 });
    expect(rowWindow(0, 100, 680)).toEqual({ start: 0, end: 0 });
  });

  it('lists group titles before their rows', () => {
    const groups = [{ key: 'High', items: ['a', 'b'] }, { key: 'Low', items: ['c'] }];
    expect(flatten(groups, true).map((e) => (e.kind === 'group' ? e.group.key : e.item))).toEqual(['High', 'a', 'b', 'Low', 'c']);
    expect(flatten(groups, false)).toHaveLength(3);
  });
});

describe('window parts', () => {
  const groups = [{ key: 'A', items: ['a1', 'a2', 'a3'] }, { key: 'B', items: ['b1', 'b2'] }, { key: 'C', items: ['c1', 'c2', 'c3'] }];
  // Entries: A a1 a2 a3 B b1 b2 C c1 c2 c3 (11).
  it('renders every group with spacers for the rows outside the window', () => {
    const p = windowParts(groups, true, { start: 2, end: 6 }, true);
    expect(p.groups.map((g) => [g.group.key, g.head, g.rows.join(), g.above, g.below])).toEqual([
      ['A', true, 'a2,a3', 1, 0], ['B', true, 'b1', 0, 1], ['C', true, '', 0, 3],
    ]);
    expect([p.before, p.after]).toEqual([0, 0]);
  });

  it('renders only the window, with spacers around it, when there are many groups', () => {
    const p = windowParts(groups, true, { start: 2, end: 6 }, false);
    expect(p.groups.map((g) => [g.group.key, g.head, g.rows.join()])).toEqual([['A', false, 'a2,a3'], ['B', true, 'b1']]);
    expect([p.before, p.after]).toEqual([2, 5]);
    // Rendered entries plus spacers add up to all of them.
    const rendered = p.groups.reduce((n, g) => n + g.rows.length + (g.head ? 1 : 0), 0);
    expect(p.before + rendered + p.after).toBe(11);
  });
});
