import { describe, expect, it } from 'vitest';
import type { Component, Diagram, Group } from '../../schema/types';
import { GAP, overlaps, PAD, settle, TITLE } from './settle';

const comp = (id: string, x: number, y: number, parent?: string): Component => ({ id, type: 'aws.ec2', name: id, position: { x, y }, ...(parent ? { parent } : {}) });
const grp = (id: string, x: number, y: number, w: number, h: number, parent?: string): Group => ({
  id, kind: 'container', name: id, type: 'aws.vpc', position: { x, y }, size: { width: w, height: h }, ...(parent ? { parent } : {}),
});
const diagram = (components: Component[], groups: Group[] = []): Diagram => ({ components, flows: [], groups });

// absolute boxes of every element, for checks in canvas coordinates.
function boxes(d: Diagram) {
  const gs = new Map(d.groups.map((g) => [g.id, g]));
  const abs = (e: Component | Group) => {
    let { x, y } = e.position;
    for (let p = e.parent ? gs.get(e.parent) : undefined; p; p = p.parent ? gs.get(p.parent) : undefined) {
      x += p.position.x;
      y += p.position.y;
    }
    const s = 'kind' in e ? e.size : (e.size ?? { width: 96, height: 84 });
    return { id: e.id, parent: e.parent, x, y, ...s };
  };
  return [...d.groups, ...d.components].map(abs);
}

describe('settle', () => {
  it('returns next unchanged when nothing is new', () => {
    const d = diagram([comp('a', 0, 0)]);
    expect(settle(d, d)).toBe(d);
  });

  it('insets containers stacked at (0,0) of each other below their titles', () => {
    // What the old Apply produced: subnet, SG and instance on the same origin.
    const prev = diagram([comp('i', 0, 0)]);
    const next = diagram(
      [comp('i', 0, 0, 'sg')],
      [grp('vpc', 0, 0, 200, 140), grp('subnet', 0, 0, 200, 140, 'vpc'), grp('sg', 0, 0, 200, 140, 'subnet')],
    );
    const out = settle(prev, next);
    for (const e of [...out.groups, ...out.components]) {
      if (!e.parent) continue;
      const p = out.groups.find((g) => g.id === e.parent)!;
      const s = 'kind' in e ? e.size : { width: 96, height: 84 };
      expect(e.position.x, e.id).toBeGreaterThanOrEqual(PAD);
      expect(e.position.y, e.id).toBeGreaterThanOrEqual(TITLE + PAD);
      expect(e.position.x + s.width, e.id).toBeLessThanOrEqual(p.size.width - PAD);
      expect(e.position.y + s.height, e.id).toBeLessThanOrEqual(p.size.height - PAD);
    }
    // The wrapped instance stays where it was drawn.
    const i = boxes(out).find((b) => b.id === 'i')!;
    expect([i.x, i.y]).toEqual([0, 0]);
  });

  it('places new components on the same point apart, near where they were put', () => {
    const prev = diagram([comp('a', 0, 0)]);
    const next = diagram([comp('a', 0, 0), comp('b', 240, 0), comp('c', 240, 0), comp('d', 240, 0)]);
    const out = settle(prev, next);
    const bs = boxes(out);
    for (const x of bs) for (const y of bs) if (x.id < y.id) expect(overlaps(x, y), `${x.id} ${y.id}`).toBe(false);
    expect(bs.find((b) => b.id === 'b')).toMatchObject({ x: 240, y: 0 });
    for (const b of bs) expect(Math.hypot(b.x - 240, b.y)).toBeLessThan(400);
  });

  it('moves a new top-level component out of a container it landed on', () => {
    const prev = diagram([comp('a', 40, 70, 'vpc')], [grp('vpc', 0, 0, 600, 400)]);
    const next = diagram([...prev.components, comp('log', 280, 70)], prev.groups);
    const out = settle(prev, next);
    const log = out.components.find((c) => c.id === 'log')!;
    expect(overlaps({ ...log.position, width: 96, height: 84 }, { x: 0, y: 0, width: 600, height: 400 }, GAP)).toBe(false);
  });

  it('keeps old elements where they are', () => {
    const prev = diagram([comp('a', 0, 0), comp('b', 500, 0)]);
    const next = diagram([...prev.components, comp('n', 0, 0)]);
    const out = settle(prev, next);
    expect(out.components.slice(0, 2)).toEqual(prev.components);
  });
});
