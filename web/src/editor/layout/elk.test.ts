import ELK from 'elkjs/lib/elk.bundled.js';
import { describe, expect, it } from 'vitest';
import type { Component, Diagram, Group } from '../../schema/types';
import { COMPONENT_SIZE, GROUP_PADDING, GROUP_TITLE } from '../types';
import { layoutWith, toElk } from './elk';
import { overlaps } from './settle';

const comp = (id: string, x: number, y: number, parent?: string): Component => ({ id, type: 'aws.ec2', name: id, position: { x, y }, ...(parent ? { parent } : {}) });
const grp = (id: string, parent?: string): Group => ({ id, kind: 'container', name: id, type: 'aws.subnet', position: { x: 0, y: 0 }, size: { width: 200, height: 140 }, ...(parent ? { parent } : {}) });

describe('elk layout', () => {
  it('lifts flows between groups to the siblings under their common ancestor, once per pair', () => {
    const d: Diagram = {
      groups: [grp('vpc'), grp('a', 'vpc'), grp('b', 'vpc')],
      components: [comp('x', 0, 0, 'a'), comp('y', 0, 0, 'b'), comp('z', 0, 0, 'b'), comp('out', 0, 0)],
      flows: [
        { id: 'f1', source: 'x', target: 'y', protocol: 'HTTPS' },
        { id: 'f2', source: 'x', target: 'z', protocol: 'HTTPS' },
        { id: 'f3', source: 'out', target: 'x', protocol: 'HTTPS' },
        { id: 'f4', source: 'y', target: 'z', protocol: 'HTTPS' },
      ],
    };
    const g = toElk(d);
    const vpc = g.children!.find((n) => n.id === 'vpc')!;
    expect(g.edges!.map((e) => [e.sources[0], e.targets[0]])).toEqual([['out', 'vpc']]);
    expect(vpc.edges!.map((e) => [e.sources[0], e.targets[0]])).toEqual([['a', 'b']]);
    expect(vpc.children!.find((n) => n.id === 'b')!.edges!.map((e) => [e.sources[0], e.targets[0]])).toEqual([['y', 'z']]);
  });

  it('spreads a scattered import into a compact diagram with no overlaps and children inset below titles', async () => {
    // 120 components scattered over a tall strip, as an import without positions draws them.
    const components = Array.from({ length: 120 }, (_, i) => comp(`c${i}`, (i % 3) * 3000, i * 1800, i < 12 ? `g${i % 3}` : undefined));
    const groups = [grp('g0'), grp('g1'), grp('g2')];
    const flows = Array.from({ length: 80 }, (_, i) => ({ id: `f${i}`, source: `c${i}`, target: `c${(i * 7 + 3) % 120}`, protocol: 'HTTPS' }));
    const out = await layoutWith(new ELK(), { components, groups, flows });
    const gs = new Map(out.groups.map((g) => [g.id, g]));
    const box = (e: Component | Group) => {
      const p = e.parent ? gs.get(e.parent)! : undefined;
      const s = 'kind' in e ? e.size : COMPONENT_SIZE;
      return { x: e.position.x + (p?.position.x ?? 0), y: e.position.y + (p?.position.y ?? 0), ...s };
    };
    const top = [...out.groups, ...out.components].filter((e) => !e.parent).map(box);
    for (let i = 0; i < top.length; i++) for (let j = i + 1; j < top.length; j++) expect(overlaps(top[i], top[j])).toBe(false);
    for (const c of out.components.filter((x) => x.parent)) {
      expect(c.position.y).toBeGreaterThanOrEqual(GROUP_TITLE + GROUP_PADDING);
      expect(c.position.x).toBeGreaterThanOrEqual(GROUP_PADDING);
    }
    const w = Math.max(...top.map((b) => b.x + b.width)) - Math.min(...top.map((b) => b.x));
    const h = Math.max(...top.map((b) => b.y + b.height)) - Math.min(...top.map((b) => b.y));
    // Readable as a whole: not a 200,000 px strip.
    expect(w * h).toBeLessThan(120 * 400 * 400);
    expect(Math.max(w / h, h / w)).toBeLessThan(6);
  });
});
