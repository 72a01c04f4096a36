// Layered, compound layout of a whole diagram with ELK (elkjs): groups are
// laid out bottom-up (each container's children first, then the container as
// one box among its siblings), flows between elements in different groups
// pull those groups together. Used for imported models and by "Tidy layout".
// The ELK instance is passed in: the app runs ELK in a Web Worker (see
// tidy.ts), tests and the benchmark run the bundled build directly.
import type { ELK, ElkExtendedEdge, ElkNode, LayoutOptions } from 'elkjs/lib/elk-api';
import type { Component, Diagram, Group } from '../../schema/types';
import { COMPONENT_SIZE, GROUP_MIN, GROUP_PADDING, GROUP_TITLE } from '../types';

/** ROOT_OPTIONS are ELK's options for every level: left to right, orthogonal, compact packing of unconnected parts. */
export const ROOT_OPTIONS: LayoutOptions = {
  'elk.algorithm': 'layered',
  'elk.direction': 'RIGHT',
  'elk.edgeRouting': 'ORTHOGONAL',
  'elk.layered.spacing.nodeNodeBetweenLayers': '80',
  'elk.spacing.nodeNode': '40',
  'elk.spacing.componentComponent': '48',
  'elk.separateConnectedComponents': 'true',
  'elk.aspectRatio': '1.6',
  'elk.layered.considerModelOrder.strategy': 'NODES_AND_EDGES',
};
const GROUP_OPTIONS: LayoutOptions = {
  ...ROOT_OPTIONS,
  'elk.padding': `[top=${GROUP_TITLE + GROUP_PADDING},left=${GROUP_PADDING},bottom=${GROUP_PADDING},right=${GROUP_PADDING}]`,
};

const sizeOf = (c: Component) => c.size ?? COMPONENT_SIZE;

/**
 * toElk builds ELK's graph: components and groups nested as in the diagram,
 * each flow lifted to the pair of elements that are siblings under the
 * flows' common ancestor (once per pair) and kept in that ancestor.
 */
export function toElk(d: Diagram): ElkNode {
  const groups = new Map(d.groups.map((g) => [g.id, g]));
  const parentOf = new Map<string, string>();
  for (const e of [...d.groups, ...d.components]) if (e.parent && groups.has(e.parent)) parentOf.set(e.id, e.parent);
  const root: ElkNode = { id: '__root', layoutOptions: ROOT_OPTIONS, children: [], edges: [] };
  const nodes = new Map<string, ElkNode>([['__root', root]]);
  for (const g of d.groups) nodes.set(g.id, { id: g.id, layoutOptions: GROUP_OPTIONS, children: [], edges: [], width: GROUP_MIN.width, height: GROUP_MIN.height });
  for (const c of d.components) nodes.set(c.id, { id: c.id, ...sizeOf(c) });
  for (const [id, n] of nodes) {
    if (id === '__root') continue;
    nodes.get(parentOf.get(id) ?? '__root')!.children!.push(n);
  }
  // An empty group keeps its drawn size.
  for (const g of d.groups) {
    const n = nodes.get(g.id)!;
    if (!n.children!.length) Object.assign(n, { width: Math.max(g.size.width, GROUP_MIN.width), height: Math.max(g.size.height, GROUP_MIN.height) });
  }
  const chain = (id: string) => {
    const out = [id];
    for (let p = parentOf.get(id); p && out.length < 100; p = parentOf.get(p)) out.push(p);
    return out.reverse(); // outermost first
  };
  const seen = new Set<string>();
  for (const f of d.flows) {
    if (!nodes.has(f.source) || !nodes.has(f.target) || f.source === f.target) continue;
    const a = chain(f.source);
    const b = chain(f.target);
    let i = 0;
    while (i < a.length && i < b.length && a[i] === b[i]) i++;
    // One is inside the other: no edge to lay out between them.
    if (i === a.length || i === b.length) continue;
    const container = i === 0 ? '__root' : a[i - 1];
    const key = `${a[i]}\u0000${b[i]}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const e: ElkExtendedEdge = { id: `e${seen.size}`, sources: [a[i]], targets: [b[i]] };
    nodes.get(container)!.edges!.push(e);
  }
  return root;
}

/** applyElk copies ELK's positions (relative to the parent, as the document keeps them) and group sizes onto a copy of d. */
export function applyElk(d: Diagram, laid: ElkNode): Diagram {
  const at = new Map<string, ElkNode>();
  const walk = (n: ElkNode) => {
    at.set(n.id, n);
    n.children?.forEach(walk);
  };
  walk(laid);
  const pos = (id: string, old: { x: number; y: number }) => {
    const n = at.get(id);
    return n ? { x: Math.round(n.x ?? 0), y: Math.round(n.y ?? 0) } : old;
  };
  const groups: Group[] = d.groups.map((g) => {
    const n = at.get(g.id);
    return { ...g, position: pos(g.id, g.position), size: n ? { width: Math.round(n.width ?? g.size.width), height: Math.round(n.height ?? g.size.height) } : g.size };
  });
  const components: Component[] = d.components.map((c) => ({ ...c, position: pos(c.id, c.position) }));
  return { ...d, components, groups };
}

/** layoutWith lays out d with the given ELK instance and returns the laid-out copy. */
export async function layoutWith(elk: ELK, d: Diagram): Promise<Diagram> {
  const laid = await elk.layout(toElk(d));
  return applyElk(d, laid);
}
