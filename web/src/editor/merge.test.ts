import { describe, expect, it } from 'vitest';
import type { Diagram } from '../schema/types';
import { diffDiagrams, merge3 } from './merge';

const comp = (id: string, x = 0, parent?: string) => ({ id, type: 'aws.ec2', name: id.toUpperCase(), position: { x, y: 0 }, ...(parent ? { parent } : {}) });
const base: Diagram = {
  components: [comp('a'), comp('b'), comp('c')],
  flows: [{ id: 'f1', source: 'a', target: 'b', protocol: 'https' }],
  groups: [],
};

describe('diff and merge', () => {
  it('lists added, changed and removed elements', () => {
    const next: Diagram = { ...base, components: [comp('a', 50), comp('b'), comp('d')] };
    expect(diffDiagrams(base, next)).toEqual([
      { kind: 'components', id: 'a', name: 'A', change: 'changed' },
      { kind: 'components', id: 'd', name: 'D', change: 'added' },
      { kind: 'components', id: 'c', name: 'C', change: 'removed' },
    ]);
  });
  it('keeps both sides; mine wins on the same element', () => {
    const mine: Diagram = { ...base, components: [comp('a', 10), comp('b'), comp('c'), comp('m')] };
    const theirs: Diagram = { ...base, components: [comp('a', 99), comp('b', 5), comp('t')], flows: [] };
    const m = merge3(base, mine, theirs);
    expect(m.components.map((c) => [c.id, c.position.x])).toEqual([['a', 10], ['b', 5], ['t', 0], ['m', 0]]);
    expect(m.flows).toEqual([]);
  });
  it('brings back what my new flow needs when theirs removed it', () => {
    const mine: Diagram = { ...base, flows: [...base.flows, { id: 'f2', source: 'b', target: 'c', protocol: 'https' }] };
    const theirs: Diagram = { ...base, components: [comp('a'), comp('b')] };
    const m = merge3(base, mine, theirs);
    expect(m.components.map((c) => c.id).sort()).toEqual(['a', 'b', 'c']);
    expect(m.flows.map((f) => f.id)).toEqual(['f1', 'f2']);
  });
  it('restores a parent group that theirs deleted', () => {
    const g = { id: 'g', kind: 'group' as const, name: 'G', position: { x: 0, y: 0 }, size: { width: 100, height: 100 } };
    const b2: Diagram = { ...base, groups: [g] };
    const mine: Diagram = { ...b2, components: [...b2.components, comp('n', 0, 'g')] };
    const theirs: Diagram = { ...b2, groups: [] };
    expect(merge3(b2, mine, theirs).groups).toEqual([g]);
  });
});
