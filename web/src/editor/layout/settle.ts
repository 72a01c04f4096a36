// Settling what automation added to a diagram (Assist "Add it"): the server
// places a new container around an element and a new component beside its
// anchor, but knows nothing of drawn sizes, titles or what else is there.
// settle moves only the new elements (and grows the containers that hold
// them) so that containers inset their children below the title, and no new
// element overlaps a sibling.
import type { Component, Diagram, Group, Point, Size } from '../../schema/types';
import { COMPONENT_SIZE, GROUP_PADDING, GROUP_TITLE } from '../types';

/** GAP is the free space kept between siblings. */
export const GAP = 24;
/** INSET is the margin inside a container: PAD at the sides and bottom, TITLE + PAD at the top. */
export const PAD = GROUP_PADDING;
export const TITLE = GROUP_TITLE;
const STEP = 24;
const MAX_RINGS = 200;

type Elem = Component | Group;

interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

const isGroup = (e: Elem): e is Group => 'kind' in e;
const sizeOf = (e: Elem): Size => (isGroup(e) ? e.size : (e.size ?? COMPONENT_SIZE));
const boxOf = (e: Elem): Box => ({ ...e.position, ...sizeOf(e) });

/** overlaps reports whether a and b, each grown by gap/2, intersect. */
export function overlaps(a: Box, b: Box, gap = 0): boolean {
  return a.x < b.x + b.width + gap && b.x < a.x + a.width + gap && a.y < b.y + b.height + gap && b.y < a.y + a.height + gap;
}

/**
 * freeSpot returns the position nearest to want (searching outwards on
 * rings of STEP) where a box of size does not come within GAP of any of
 * taken. want itself is kept when it is free; a spot searched for lies at
 * or right of/below min.
 */
export function freeSpot(want: Point, size: Size, taken: Box[], min: Point = { x: -Infinity, y: -Infinity }): Point {
  const free = (p: Point) => !taken.some((t) => overlaps({ ...p, ...size }, t, GAP));
  if (free(want)) return want;
  const fits = (p: Point) => p.x >= min.x && p.y >= min.y && free(p);
  const start = { x: Math.max(want.x, min.x), y: Math.max(want.y, min.y) };
  if (fits(start)) return start;
  for (let r = 1; r <= MAX_RINGS; r++) {
    // Candidates on the ring, nearest first; right and below before left and above.
    const ring: Point[] = [];
    for (let i = -r; i <= r; i++) {
      ring.push({ x: start.x + r * STEP, y: start.y + i * STEP }, { x: start.x + i * STEP, y: start.y + r * STEP });
      ring.push({ x: start.x - r * STEP, y: start.y + i * STEP }, { x: start.x + i * STEP, y: start.y - r * STEP });
    }
    ring.sort((a, b) => Math.hypot(a.x - start.x, a.y - start.y) - Math.hypot(b.x - start.x, b.y - start.y));
    const p = ring.find(fits);
    if (p) return p;
  }
  // Nothing free nearby: below everything.
  return { x: start.x, y: Math.max(start.y, ...taken.map((t) => t.y + t.height + GAP)) };
}

/** depth counts the ancestors of a group. */
function depthOf(g: Group, byId: Map<string, Group>): number {
  let d = 0;
  for (let p = g.parent ? byId.get(g.parent) : undefined; p && d < 100; p = p.parent ? byId.get(p.parent) : undefined) d++;
  return d;
}

/**
 * settle returns next with the elements that are not in prev (and the
 * containers around them) arranged: every container holding a new element,
 * or new itself, insets its children by PAD (TITLE + PAD at the top) and is
 * big enough for them; a new element that comes within GAP of a sibling is
 * moved to the nearest free spot. Elements that were in prev keep their
 * place relative to their parent. next is not changed.
 */
export function settle(prev: Diagram, next: Diagram): Diagram {
  const old = new Set([...(prev.components ?? []), ...(prev.groups ?? [])].map((e) => e.id));
  const out: Diagram = {
    components: (next.components ?? []).map((c) => ({ ...c, position: { ...c.position } })),
    flows: next.flows ?? [],
    groups: (next.groups ?? []).map((g) => ({ ...g, position: { ...g.position }, size: { ...g.size } })),
  };
  const all: Elem[] = [...out.groups, ...out.components];
  const fresh = new Set(all.filter((e) => !old.has(e.id)).map((e) => e.id));
  if (fresh.size === 0) return next;
  const groups = new Map(out.groups.map((g) => [g.id, g]));
  const children = new Map<string, Elem[]>();
  for (const e of all) {
    const k = e.parent && groups.has(e.parent) ? e.parent : '';
    children.set(k, [...(children.get(k) ?? []), e]);
  }
  // Containers touched: new ones and the ancestors of anything new.
  const touched = new Set<string>();
  for (const e of all) {
    if (!fresh.has(e.id)) continue;
    if (isGroup(e)) touched.add(e.id);
    for (let p = e.parent ? groups.get(e.parent) : undefined, d = 0; p && d < 100; p = p.parent ? groups.get(p.parent) : undefined, d++) touched.add(p.id);
  }

  // Children are placed before their parent is sized: deepest first.
  const order = [...touched].map((id) => groups.get(id)!).sort((a, b) => depthOf(b, groups) - depthOf(a, groups));
  for (const g of order) {
    const kids = children.get(g.id) ?? [];
    spread(kids, fresh, { x: PAD, y: TITLE + PAD });
    if (!kids.length) continue;
    // Inset the children; a new container moves out instead, so what it wraps stays where it was drawn.
    const x0 = Math.min(...kids.map((k) => k.position.x));
    const y0 = Math.min(...kids.map((k) => k.position.y));
    const dx = Math.max(0, PAD - x0);
    const dy = Math.max(0, TITLE + PAD - y0);
    if (dx || dy) {
      for (const k of kids) {
        k.position.x += dx;
        k.position.y += dy;
      }
      if (fresh.has(g.id)) {
        g.position.x -= dx;
        g.position.y -= dy;
      }
    }
    const x1 = Math.max(...kids.map((k) => k.position.x + sizeOf(k).width));
    const y1 = Math.max(...kids.map((k) => k.position.y + sizeOf(k).height));
    g.size.width = Math.max(g.size.width, x1 + PAD);
    g.size.height = Math.max(g.size.height, y1 + PAD);
  }
  spread(children.get('') ?? [], fresh);
  return out;
}

/** spread moves each new element among siblings that comes within GAP of another to the nearest free spot. */
function spread(siblings: Elem[], fresh: Set<string>, min?: Point): void {
  // Old elements first: they stay; new ones find room around them, in order.
  const placed: Box[] = siblings.filter((s) => !fresh.has(s.id)).map(boxOf);
  for (const s of siblings) {
    if (!fresh.has(s.id)) continue;
    s.position = freeSpot(s.position, sizeOf(s), placed, min);
    placed.push(boxOf(s));
  }
}
