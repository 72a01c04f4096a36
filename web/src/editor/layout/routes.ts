// Orthogonal routes for flows, around components: every flow leaves its
// source on the right and enters its target on the left (see handles.ts);
// between them it runs on horizontal and vertical segments whose free
// coordinate (a vertical channel, or for backward flows a horizontal one)
// is chosen among the gaps between components so that no segment crosses a
// component the flow does not connect, nor a group's title. Flows with the
// same source and target are bundled: one route, drawn once, with a count.
import { absoluteRect, indexNodes, type Rect } from '../geometry';
import { GROUP_TITLE, type DiagramNode, type FlowEdge } from '../types';

export interface Point {
  x: number;
  y: number;
}

/** Route is how one flow is drawn. */
export interface Route {
  /** lead is the flow that draws the bundle; the others draw nothing. */
  lead: string;
  /** members are the ids of all flows of the bundle (lead first). */
  members: string[];
  /** points are the corners from the source handle to the target handle. */
  points: Point[];
  /** label is where the bundle's label sits (its centre). */
  label: Point;
  /** labelClear is false when no place on the route keeps the label off titles and components: it shows only on hover then. */
  labelClear: boolean;
}

/** ROUTE_MAX_NODES: above this many nodes routes are not computed (flows are drawn as plain steps). */
export const ROUTE_MAX_NODES = 250;
const STUB = 16; // straight run out of a handle
const CLEAR = 10; // distance kept from a box
const CROSS_COST = 100_000;
const TITLE_COST = 20_000;

interface Obstacle extends Rect {
  id: string;
  cost: number;
}

/** crossesH reports whether the horizontal segment y, x1..x2 passes through the inside of r. */
function crossesH(y: number, x1: number, x2: number, r: Rect): boolean {
  const [a, b] = x1 < x2 ? [x1, x2] : [x2, x1];
  return y > r.y + 0.5 && y < r.y + r.height - 0.5 && b > r.x + 0.5 && a < r.x + r.width - 0.5;
}

function crossesV(x: number, y1: number, y2: number, r: Rect): boolean {
  const [a, b] = y1 < y2 ? [y1, y2] : [y2, y1];
  return x > r.x + 0.5 && x < r.x + r.width - 0.5 && b > r.y + 0.5 && a < r.y + r.height - 0.5;
}

/** cost of a polyline: its length plus a penalty per obstacle a segment passes through (except those in skip); it stops counting above bound. */
function cost(points: Point[], obstacles: Obstacle[], skip: Set<string>, bound = Infinity): number {
  let c = 0;
  for (let i = 1; i < points.length; i++) c += Math.abs(points[i].x - points[i - 1].x) + Math.abs(points[i].y - points[i - 1].y);
  for (let i = 1; i < points.length && c < bound; i++) {
    const p = points[i - 1];
    const q = points[i];
    for (const o of obstacles) {
      if (skip.has(o.id)) continue;
      if (p.y === q.y ? crossesH(p.y, p.x, q.x, o) : crossesV(p.x, p.y, q.y, o)) {
        c += o.cost;
        if (c >= bound) break;
      }
    }
  }
  return c;
}

/** channels returns candidate free coordinates: just outside every box edge, and the midpoints of [lo, hi]. */
function channels(boxes: Rect[], axis: 'x' | 'y', lo: number, hi: number): number[] {
  const out = new Set<number>([Math.round((lo + hi) / 2)]);
  const size = axis === 'x' ? 'width' : 'height';
  for (const b of boxes) {
    out.add(b[axis] - CLEAR);
    out.add(b[axis] + b[size] + CLEAR);
  }
  return [...out];
}

/**
 * routeOne picks the cheapest orthogonal route from s (leaving rightwards)
 * to t (entering leftwards). A clear vertical channel among prefer (the
 * trunk of other flows from the same source or into the same target) is
 * taken first, so that fanned-out flows share one line.
 */
export function routeOne(s: Point, t: Point, obstacles: Obstacle[], skip: Set<string>, prefer: number[] = []): Point[] {
  let best: Point[] = [s, t];
  let bestCost = Infinity;
  const consider = (pts: Point[]) => {
    const c = cost(pts, near, skip, bestCost);
    if (c < bestCost) {
      bestCost = c;
      best = pts;
    }
  };
  const M = 600;
  const near = obstacles.filter(
    (o) => o.x + o.width >= Math.min(s.x, t.x) - M && o.x <= Math.max(s.x, t.x) + M && o.y + o.height >= Math.min(s.y, t.y) - M && o.y <= Math.max(s.y, t.y) + M,
  );
  const direct = Math.abs(t.x - s.x) + Math.abs(t.y - s.y);
  // Three segments through a vertical channel x between the two ends; all
  // such routes are as long, so the first without crossings (nearest the middle) wins.
  if (t.x - s.x >= 2 * STUB) {
    const mid = (s.x + t.x) / 2;
    const inRange = (x: number) => x >= s.x + STUB && x <= t.x - STUB;
    const xs = [...prefer.filter(inRange), ...channels(near, 'x', s.x + STUB, t.x - STUB).filter(inRange).sort((a, b) => Math.abs(a - mid) - Math.abs(b - mid))];
    for (const x of xs) {
      consider(s.y === t.y ? [s, t] : [s, { x, y: s.y }, { x, y: t.y }, t]);
      if (bestCost <= direct) break;
    }
  }
  if (bestCost < TITLE_COST) return simplify(best);
  // Five segments: out to the right, along a horizontal channel y, into the target from the left.
  const ymid = (s.y + t.y) / 2;
  const ys = channels(near, 'y', Math.min(s.y, t.y), Math.max(s.y, t.y)).sort((a, b) => Math.abs(a - ymid) - Math.abs(b - ymid));
  const x1s = [s.x + STUB, ...channels(near, 'x', s.x, s.x).filter((x) => x > s.x + STUB && x < s.x + 300).sort((a, b) => a - b)].slice(0, 3);
  const x2s = [t.x - STUB, ...channels(near, 'x', t.x, t.x).filter((x) => x < t.x - STUB && x > t.x - 300).sort((a, b) => b - a)].slice(0, 3);
  for (const y of ys) {
    // No route through y can be shorter than this: skip it once something better is known.
    if (Math.abs(t.x - s.x) + Math.abs(s.y - y) + Math.abs(t.y - y) >= bestCost) continue;
    for (const x1 of x1s) for (const x2 of x2s) consider([s, { x: x1, y: s.y }, { x: x1, y }, { x: x2, y }, { x: x2, y: t.y }, t]);
  }
  return simplify(best);
}

/** simplify drops zero-length segments and corners on a straight line. */
function simplify(ps: Point[]): Point[] {
  const out: Point[] = [];
  for (const p of ps) {
    const last = out[out.length - 1];
    if (last && last.x === p.x && last.y === p.y) continue;
    const prev = out[out.length - 2];
    if (prev && last && ((prev.x === last.x && last.x === p.x) || (prev.y === last.y && last.y === p.y))) out.pop();
    out.push(p);
  }
  return out;
}

/** labelAt puts a label of about size w × h on the route: the middle of the first segment where it covers no obstacle, else of the longest. */
function labelAt(points: Point[], w: number, h: number, obstacles: Obstacle[], skip: Set<string>): { at: Point; clear: boolean } {
  const segs = points.slice(1).map((q, i) => ({ p: points[i], q, len: Math.abs(q.x - points[i].x) + Math.abs(q.y - points[i].y) }));
  const byLength = [...segs].sort((a, b) => b.len - a.len);
  const free = (c: Point) => !obstacles.some((o) => !skip.has(o.id) && c.x + w / 2 > o.x && c.x - w / 2 < o.x + o.width && c.y + h / 2 > o.y && c.y - h / 2 < o.y + o.height);
  for (const s of byLength) {
    for (const f of [0.5, 0.4, 0.6, 0.3, 0.7, 0.2, 0.8, 0.1, 0.9]) {
      const c = { x: s.p.x + (s.q.x - s.p.x) * f, y: s.p.y + (s.q.y - s.p.y) * f };
      if (free(c)) return { at: c, clear: true };
    }
  }
  const s = byLength[0];
  return { at: s ? { x: (s.p.x + s.q.x) / 2, y: (s.p.y + s.q.y) / 2 } : points[0], clear: false };
}

/** handlePoint is where a flow leaves (right side) or enters (left side) a node, mid-height. */
const handlePoint = (r: Rect, side: 'out' | 'in'): Point => ({ x: side === 'out' ? r.x + r.width : r.x, y: r.y + r.height / 2 });

/**
 * routeAll routes every flow of a diagram. Components are obstacles; so are
 * group titles (a flow may cross a group's border, not its title). A flow
 * ignores its own ends, and the groups that hold them. labelText gives a
 * flow's label text, to size the label.
 */
export function routeAll(nodes: DiagramNode[], edges: FlowEdge[], labelText: (e: FlowEdge, count: number) => string = () => ''): Map<string, Route> {
  const byId = indexNodes(nodes);
  const rects = new Map(nodes.map((n) => [n.id, absoluteRect(n, byId)]));
  const obstacles: Obstacle[] = [];
  for (const n of nodes) {
    const r = rects.get(n.id)!;
    if (n.type === 'component') obstacles.push({ id: n.id, ...r, cost: CROSS_COST });
    else obstacles.push({ id: n.id, x: r.x, y: r.y, width: r.width, height: GROUP_TITLE, cost: TITLE_COST });
  }
  const ancestors = (id: string) => {
    const out = [id];
    for (let p = byId.get(id)?.parentId; p && out.length < 100; p = byId.get(p)?.parentId) out.push(p);
    return out;
  };
  const bundles = new Map<string, FlowEdge[]>();
  for (const e of edges) {
    // A hidden flow (e.g. an inferred one the user hid) is neither drawn nor counted.
    if (e.hidden || !rects.has(e.source) || !rects.has(e.target)) continue;
    const k = `${e.source}\u0000${e.target}`;
    bundles.set(k, [...(bundles.get(k) ?? []), e]);
  }
  const out = new Map<string, Route>();
  const trunkOut = new Map<string, number>();
  const trunkIn = new Map<string, number>();
  for (const members of bundles.values()) {
    const lead = members[0];
    const s = handlePoint(rects.get(lead.source)!, 'out');
    const t = handlePoint(rects.get(lead.target)!, 'in');
    const skip = new Set([...ancestors(lead.source), ...ancestors(lead.target)]);
    const prefer = [trunkOut.get(lead.source), trunkIn.get(lead.target)].filter((x): x is number => x !== undefined);
    const points = routeOne(s, t, obstacles, skip, prefer);
    // A three-segment route's vertical run becomes the trunk of its source and target.
    if (points.length === 4) {
      if (!trunkOut.has(lead.source)) trunkOut.set(lead.source, points[1].x);
      if (!trunkIn.has(lead.target)) trunkIn.set(lead.target, points[1].x);
    }
    const text = labelText(lead, members.length);
    const label = labelAt(points, text.length * 7 + 16, 22, obstacles, new Set([lead.source, lead.target]));
    const route: Route = { lead: lead.id, members: members.map((m) => m.id), points, label: label.at, labelClear: label.clear };
    for (const m of members) out.set(m.id, route);
  }
  return out;
}

/** pathOf draws a route as an SVG path with rounded corners of radius r. */
export function pathOf(points: Point[], r = 6): string {
  if (points.length < 2) return '';
  let d = `M${points[0].x},${points[0].y}`;
  for (let i = 1; i < points.length - 1; i++) {
    const p = points[i - 1];
    const c = points[i];
    const n = points[i + 1];
    const r1 = Math.min(r, Math.hypot(c.x - p.x, c.y - p.y) / 2, Math.hypot(n.x - c.x, n.y - c.y) / 2);
    const a = { x: c.x - Math.sign(c.x - p.x) * r1, y: c.y - Math.sign(c.y - p.y) * r1 };
    const b = { x: c.x + Math.sign(n.x - c.x) * r1, y: c.y + Math.sign(n.y - c.y) * r1 };
    d += ` L${a.x},${a.y} Q${c.x},${c.y} ${b.x},${b.y}`;
  }
  const last = points[points.length - 1];
  return `${d} L${last.x},${last.y}`;
}
