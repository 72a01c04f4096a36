import { describe, expect, it } from 'vitest';
import { allState, clickRow, inOrder, prune, toggle, toggleAll } from './selection';

const order = ['a', 'b', 'c', 'd', 'e'];
const ids = (s: ReadonlySet<string>) => [...s].sort();

describe('overview selection', () => {
  it('toggles one row', () => {
    const s = toggle(new Set(), 'b');
    expect(ids(s)).toEqual(['b']);
    expect(ids(toggle(s, 'b'))).toEqual([]);
  });

  it('a plain click toggles and becomes the anchor', () => {
    const r = clickRow(new Set(['a']), order, null, 'c', false);
    expect(ids(r.selection)).toEqual(['a', 'c']);
    expect(r.anchor).toBe('c');
    expect(ids(clickRow(r.selection, order, 'c', 'a', false).selection)).toEqual(['c']);
  });

  it('a shift click selects the range from the anchor, either direction', () => {
    expect(ids(clickRow(new Set(['b']), order, 'b', 'd', true).selection)).toEqual(['b', 'c', 'd']);
    expect(ids(clickRow(new Set(['d']), order, 'd', 'b', true).selection)).toEqual(['b', 'c', 'd']);
    // Outside the range nothing changes.
    expect(ids(clickRow(new Set(['a', 'e']), order, 'b', 'c', true).selection)).toEqual(['a', 'b', 'c', 'e']);
  });

  it('a shift click on a selected row clears the range', () => {
    const r = clickRow(new Set(['a', 'b', 'c', 'd']), order, 'a', 'c', true);
    expect(ids(r.selection)).toEqual(['d']);
    expect(r.anchor).toBe('c');
  });

  it('a shift click without an anchor among the rows toggles only the row', () => {
    expect(ids(clickRow(new Set(), order, null, 'c', true).selection)).toEqual(['c']);
    expect(ids(clickRow(new Set(), order, 'gone', 'c', true).selection)).toEqual(['c']);
  });

  it('tells none, some or all of the shown rows', () => {
    expect(allState(new Set(), order)).toBe('none');
    expect(allState(new Set(['a', 'x']), order)).toBe('some');
    expect(allState(new Set(order), order)).toBe('all');
    expect(allState(new Set(['x']), [])).toBe('none');
  });

  it('select all adds the shown rows, and clears them when all are selected', () => {
    const s = toggleAll(new Set(['x', 'a']), ['a', 'b']);
    expect(ids(s)).toEqual(['a', 'b', 'x']);
    expect(ids(toggleAll(s, ['a', 'b']))).toEqual(['x']);
    const same = new Set(['a']);
    expect(toggleAll(same, [])).toBe(same);
  });

  it('prunes to the shown rows, keeping the same set when nothing goes', () => {
    const s = new Set(['a', 'c', 'x']);
    expect(ids(prune(s, order))).toEqual(['a', 'c']);
    const kept = new Set(['a', 'b']);
    expect(prune(kept, order)).toBe(kept);
    expect(ids(prune(s, []))).toEqual([]);
  });

  it('lists the selection in the shown order', () => {
    expect(inOrder(new Set(['d', 'a', 'x']), order)).toEqual(['a', 'd']);
  });
});
