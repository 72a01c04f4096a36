import { describe, expect, it } from 'vitest';
import type { DiagramNode, FlowEdge } from '../types';
import { routeAll, type Point } from './routes';

const comp = (id: string, x: number, y: number, parentId?: string): DiagramNode => ({
  id, type: 'component', position: { x, y }, width: 96, height: 84, data: { type: 'aws.ec2', name: id }, ...(parentId ? { parentId } : {}),
});
const group = (id: string, x: number, y: number, w: number, h: number): DiagramNode => ({
  id, type: 'groupBox', position: { x, y }, width: w, height: h, data: { kind: 'container', name: id, type: 'aws.subnet' },
});
const flow = (id: string, source: string, target: string): FlowEdge => ({ id, type: 'flow', source, target, data: { protocol: 'HTTPS', port: 443 } });

/** crossings counts segments of pts passing through the inside of box. */
function crosses(pts: Point[], b: { x: number; y: number; width: number; height: number }): boolean {
  for (let i = 1; i < pts.length; i++) {
    const p = pts[i - 1];
    const q = pts[i];
    const x1 = Math.min(p.x, q.x), x2 = Math.max(p.x, q.x), y1 = Math.min(p.y, q.y), y2 = Math.max(p.y, q.y);
    if (x2 > b.x && x1 < b.x + b.width && y2 > b.y && y1 < b.y + b.height) return true;
  }
  return false;
}

describe('routeAll', () => {
  it('goes around a component in the way, orthogonally', () => {
    const nodes = [comp('a', 0, 0), comp('block', 200, -10), comp('b', 400, 0)];
    const r = routeAll(nodes, [flow('f', 'a', 'b')]).get('f')!;
    expect(crosses(r.points, { x: 200, y: -10, width: 96, height: 84 })).toBe(false);
    for (let i = 1; i < r.points.length; i++) expect(r.points[i].x === r.points[i - 1].x || r.points[i].y === r.points[i - 1].y).toBe(true);
    expect(r.points[0]).toEqual({ x: 96, y: 42 });
    expect(r.points[r.points.length - 1]).toEqual({ x: 400, y: 42 });
  });

  it('routes a backward flow around both ends', () => {
    const nodes = [comp('a', 400, 0), comp('b', 0, 0)];
    const r = routeAll(nodes, [flow('f', 'a', 'b')]).get('f')!;
    expect(crosses(r.points.slice(1, -1), { x: 0, y: 0, width: 96, height: 84 })).toBe(false);
    expect(crosses(r.points.slice(1, -1), { x: 400, y: 0, width: 96, height: 84 })).toBe(false);
  });

  it('bundles flows with the same ends into one route led by the first', () => {
    const nodes = [comp('a', 0, 0), comp('b', 300, 0)];
    const routes = routeAll(nodes, [flow('f1', 'a', 'b'), flow('f2', 'a', 'b'), flow('f3', 'b', 'a')]);
    expect(routes.get('f2')).toBe(routes.get('f1'));
    expect(routes.get('f1')!.members).toEqual(['f1', 'f2']);
    expect(routes.get('f3')!.lead).toBe('f3');
  });

  it('leaves hidden flows out of bundles: the visible one draws', () => {
    const nodes = [comp('a', 0, 0), comp('b', 300, 0)];
    const routes = routeAll(nodes, [{ ...flow('f1', 'a', 'b'), hidden: true }, flow('f2', 'a', 'b')]);
    expect(routes.has('f1')).toBe(false);
    expect(routes.get('f2')!).toMatchObject({ lead: 'f2', members: ['f2'] });
  });

  it('keeps the label off group titles', () => {
    // A flow into a subnet whose title lies on the straight line.
    const nodes = [comp('a', 0, 100), group('sn', 300, 120, 300, 200), comp('b', 100, 60, 'sn')];
    const r = routeAll(nodes, [flow('f', 'a', 'b')], () => 'HTTPS:443').get('f')!;
    const l = r.label;
    const title = { x: 300, y: 120, width: 300, height: 28 };
    const w = 'HTTPS:443'.length * 6.5 + 14;
    expect(l.x + w / 2 > title.x && l.x - w / 2 < title.x + title.width && l.y + 9 > title.y && l.y - 9 < title.y + title.height).toBe(false);
  });
});

describe('trunks', () => {
  it('flows fanning out from one source share one vertical line', () => {
    const nodes = [comp('src', 0, 200), ...[0, 1, 2, 3].map((i) => comp(`t${i}`, 400 + i * 150, i * 140))];
    const routes = routeAll(nodes, [0, 1, 2, 3].map((i) => flow(`f${i}`, 'src', `t${i}`)));
    const xs = new Set([0, 1, 2, 3].map((i) => routes.get(`f${i}`)!.points).filter((p) => p.length === 4).map((p) => p[1].x));
    expect(xs.size).toBe(1);
  });
});
