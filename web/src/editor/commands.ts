// Editor commands: pure functions from one Graph to the next. The store
// records history around them; components never edit nodes directly.
import { defaultProperties, type ComponentType } from '../schema/catalog';
import type { GroupKind, Properties } from '../schema/types';
import {
  absolutePosition, absoluteRect, contains, indexNodes, isAncestor, nodeSize, union, type Rect,
} from './geometry';
import { newId } from './ids';
import { componentView } from './handles';
import {
  FLOW_MARKER, GROUP_MIN, GROUP_PADDING, GROUP_TITLE,
  type ComponentNode, type DiagramNode, type FlowData, type FlowEdge, type Graph, type GroupData, type GroupNode,
} from './types';

/** Clipboard holds copied nodes (with their descendants) and the flows between them. */
export interface Clipboard {
  nodes: DiagramNode[];
  edges: FlowEdge[];
}

const deselect = <T extends { selected?: boolean }>(x: T): T => (x.selected ? { ...x, selected: false } : x);

/** sortParentsFirst keeps React Flow's rule: a parent comes before its children. */
export function sortParentsFirst(nodes: DiagramNode[]): DiagramNode[] {
  const byId = indexNodes(nodes);
  const out: DiagramNode[] = [];
  const done = new Set<string>();
  const visit = (n: DiagramNode, depth: number) => {
    if (done.has(n.id) || depth > 100) return;
    const p = n.parentId ? byId.get(n.parentId) : undefined;
    if (p) visit(p, depth + 1);
    if (done.has(n.id)) return;
    done.add(n.id);
    out.push(n);
  };
  nodes.forEach((n) => visit(n, 0));
  return out;
}

/** groupAt returns the innermost group whose box contains the canvas point, if any. */
export function groupAt(nodes: DiagramNode[], p: { x: number; y: number }, exclude?: Set<string>): GroupNode | undefined {
  const byId = indexNodes(nodes);
  let best: GroupNode | undefined;
  let bestDepth = -1;
  for (const n of nodes) {
    if (n.type !== 'groupBox' || exclude?.has(n.id)) continue;
    if (!contains(absoluteRect(n, byId), p)) continue;
    let depth = 0;
    for (let c: DiagramNode | undefined = n; c?.parentId; c = byId.get(c.parentId)) depth++;
    if (depth > bestDepth) {
      best = n;
      bestDepth = depth;
    }
  }
  return best;
}

/** addComponent places a new component of type t with its top-left at canvas point p, inside the group under p. */
export function addComponent(g: Graph, t: ComponentType, p: { x: number; y: number }, id = newId('c')): Graph {
  const parent = groupAt(g.nodes, p);
  const byId = indexNodes(g.nodes);
  const origin = parent ? absolutePosition(parent, byId) : { x: 0, y: 0 };
  const props = defaultProperties(t) as Properties;
  const node: ComponentNode = {
    id,
    type: 'component',
    position: { x: p.x - origin.x, y: p.y - origin.y },
    data: { type: t.id, name: t.name },
    selected: true,
    ...componentView,
  };
  if (Object.keys(props).length) node.data.properties = props;
  if (parent) node.parentId = parent.id;
  return { nodes: [...g.nodes.map(deselect), node], edges: g.edges.map(deselect) };
}

/** topSelected returns the selected nodes whose ancestors are not selected. */
function topSelected(nodes: DiagramNode[]): DiagramNode[] {
  const byId = indexNodes(nodes);
  const sel = nodes.filter((n) => n.selected);
  return sel.filter((n) => {
    for (let p = n.parentId ? byId.get(n.parentId) : undefined; p; p = p.parentId ? byId.get(p.parentId) : undefined) {
      if (p.selected) return false;
    }
    return true;
  });
}

/**
 * groupSelection puts the selected nodes into a new group sized to enclose
 * them. With nothing selected it creates an empty collection box at `at`.
 * The new group is the only selected node afterwards.
 */
export function groupSelection(g: Graph, at: { x: number; y: number }, id = newId('g')): Graph {
  const members = topSelected(g.nodes);
  const byId = indexNodes(g.nodes);
  const data: GroupData = { kind: 'group', name: 'Group' };
  if (members.length === 0) {
    const box: GroupNode = {
      id, type: 'groupBox', position: { ...at }, width: 320, height: 220, data, selected: true,
    };
    return { nodes: [...g.nodes.map(deselect), box], edges: g.edges };
  }
  const parents = new Set(members.map((m) => m.parentId ?? ''));
  const parentId = parents.size === 1 ? [...parents][0] || undefined : undefined;
  const parentOrigin = parentId ? absolutePosition(byId.get(parentId)!, byId) : { x: 0, y: 0 };
  const bounds = union(members.map((m) => absoluteRect(m, byId)));
  const box: Rect = {
    x: bounds.x - GROUP_PADDING,
    y: bounds.y - GROUP_PADDING - GROUP_TITLE,
    width: Math.max(GROUP_MIN.width, bounds.width + 2 * GROUP_PADDING),
    height: Math.max(GROUP_MIN.height, bounds.height + 2 * GROUP_PADDING + GROUP_TITLE),
  };
  const group: GroupNode = {
    id, type: 'groupBox', data, selected: true,
    position: { x: box.x - parentOrigin.x, y: box.y - parentOrigin.y },
    width: box.width, height: box.height,
  };
  if (parentId) group.parentId = parentId;
  const memberIds = new Set(members.map((m) => m.id));
  const nodes = g.nodes.map((n): DiagramNode => {
    if (!memberIds.has(n.id)) return deselect(n);
    const abs = absolutePosition(n, byId);
    return { ...n, parentId: id, selected: false, position: { x: abs.x - box.x, y: abs.y - box.y } } as DiagramNode;
  });
  return { nodes: sortParentsFirst([...nodes, group]), edges: g.edges.map(deselect) };
}

/** ungroup removes a plain group, keeping its children in place. */
export function ungroup(g: Graph, groupId: string): Graph {
  const byId = indexNodes(g.nodes);
  const grp = byId.get(groupId);
  if (!grp || grp.type !== 'groupBox') return g;
  const nodes = g.nodes
    .filter((n) => n.id !== groupId)
    .map((n): DiagramNode => {
      if (n.parentId !== groupId) return n;
      const moved = { ...n, position: { x: n.position.x + grp.position.x, y: n.position.y + grp.position.y } } as DiagramNode;
      if (grp.parentId) moved.parentId = grp.parentId;
      else delete moved.parentId;
      return moved;
    });
  const edges = g.edges.filter((e) => e.source !== groupId && e.target !== groupId);
  return { nodes, edges };
}

/**
 * makeContainer turns a group into a container that stands for component
 * type t and carries t's properties (catalog defaults, then what the group
 * already had).
 */
export function makeContainer(g: Graph, groupId: string, t: ComponentType): Graph {
  return {
    nodes: g.nodes.map((n): DiagramNode => {
      if (n.id !== groupId || n.type !== 'groupBox') return n;
      const wasDefault = !n.data.name || n.data.name === 'Group' || n.data.name === 'Trust boundary';
      const properties = { ...(defaultProperties(t) as Properties), ...(n.data.properties ?? {}) };
      const data: GroupData = { ...n.data, kind: 'container', type: t.id, name: wasDefault ? t.name : n.data.name };
      if (Object.keys(properties).length) data.properties = properties;
      return { ...n, data };
    }),
    edges: g.edges,
  };
}

/** setGroupKind makes a container a plain group or a trust boundary again; flows to it are removed. */
export function setGroupKind(g: Graph, groupId: string, kind: Exclude<GroupKind, 'container'>): Graph {
  const nodes = g.nodes.map((n): DiagramNode => {
    if (n.id !== groupId || n.type !== 'groupBox') return n;
    const data: GroupData = { ...n.data, kind };
    delete data.type;
    return { ...n, data };
  });
  return { nodes, edges: g.edges.filter((e) => e.source !== groupId && e.target !== groupId) };
}

/** descendants returns the ids of the given nodes and everything inside them. */
export function withDescendants(nodes: DiagramNode[], ids: Set<string>): Set<string> {
  const byId = indexNodes(nodes);
  const out = new Set<string>();
  for (const n of nodes) {
    for (const id of ids) {
      if (isAncestor(id, n, byId)) {
        out.add(n.id);
        break;
      }
    }
  }
  return out;
}

/** deleteSelection removes the selected nodes with their contents, the selected flows, and flows left dangling. */
export function deleteSelection(g: Graph): Graph {
  const gone = withDescendants(g.nodes, new Set(g.nodes.filter((n) => n.selected).map((n) => n.id)));
  return {
    nodes: g.nodes.filter((n) => !gone.has(n.id)),
    edges: g.edges.filter((e) => !e.selected && !gone.has(e.source) && !gone.has(e.target)),
  };
}

/** copySelection copies the selected nodes, their contents, and the flows among them. */
export function copySelection(g: Graph): Clipboard {
  const ids = withDescendants(g.nodes, new Set(g.nodes.filter((n) => n.selected).map((n) => n.id)));
  return {
    nodes: g.nodes.filter((n) => ids.has(n.id)),
    edges: g.edges.filter((e) => ids.has(e.source) && ids.has(e.target)),
  };
}

/**
 * paste adds a copy of the clipboard with fresh ids, offset by `offset`, and
 * selects it. A copied node whose parent was not copied keeps that parent if
 * it still exists.
 */
export function paste(g: Graph, clip: Clipboard, offset = 32, makeId = newId): Graph {
  if (clip.nodes.length === 0) return g;
  const map = new Map<string, string>();
  for (const n of clip.nodes) map.set(n.id, makeId(n.type === 'groupBox' ? 'g' : 'c'));
  const existing = new Set(g.nodes.map((n) => n.id));
  const pasted = clip.nodes.map((n): DiagramNode => {
    const copy = { ...n, id: map.get(n.id)!, selected: true, data: structuredClone(n.data) } as DiagramNode;
    delete copy.measured;
    if (n.parentId && map.has(n.parentId)) {
      copy.parentId = map.get(n.parentId);
    } else {
      copy.position = { x: n.position.x + offset, y: n.position.y + offset };
      if (!(n.parentId && existing.has(n.parentId))) delete copy.parentId;
    }
    return copy;
  });
  const edges = clip.edges.map((e): FlowEdge => ({
    ...e, id: makeId('f'), source: map.get(e.source)!, target: map.get(e.target)!, selected: false,
    data: structuredClone(e.data),
  }));
  return {
    nodes: sortParentsFirst([...g.nodes.map(deselect), ...pasted]),
    edges: [...g.edges.map(deselect), ...edges],
  };
}

/** canConnect tells whether a flow may join source and target: components or containers, not a node to itself. */
export function canConnect(g: Graph, source: string, target: string): boolean {
  if (source === target) return false;
  const byId = indexNodes(g.nodes);
  const ok = (n?: DiagramNode) => !!n && (n.type === 'component' || n.data.kind === 'container');
  return ok(byId.get(source)) && ok(byId.get(target));
}

/** connect adds a flow from source to target and selects it. */
export function connect(g: Graph, source: string, target: string, data: FlowData, id = newId('f')): Graph {
  if (!canConnect(g, source, target)) return g;
  const edge: FlowEdge = { id, type: 'flow', source, target, markerEnd: FLOW_MARKER, data: { ...data }, selected: true };
  return { nodes: g.nodes.map(deselect), edges: [...g.edges.map(deselect), edge] };
}

/** updateNodeData merges a patch into one node's data. */
export function updateNodeData(g: Graph, id: string, patch: Partial<GroupData> | Partial<ComponentNode['data']>): Graph {
  return {
    nodes: g.nodes.map((n) => (n.id === id ? ({ ...n, data: { ...n.data, ...patch } } as DiagramNode) : n)),
    edges: g.edges,
  };
}

/** updateEdgeData merges a patch into one flow's data. */
export function updateEdgeData(g: Graph, id: string, patch: Partial<FlowData>): Graph {
  return {
    nodes: g.nodes,
    edges: g.edges.map((e) => (e.id === id ? { ...e, data: { ...(e.data as FlowData), ...patch } } : e)),
  };
}

/**
 * reparent moves a node into the innermost group under its centre (or out to
 * the canvas) after a drag, keeping it where it is on screen.
 */
export function reparent(g: Graph, nodeId: string): Graph {
  const byId = indexNodes(g.nodes);
  const n = byId.get(nodeId);
  if (!n) return g;
  const abs = absolutePosition(n, byId);
  const size = nodeSize(n);
  const inside = withDescendants(g.nodes, new Set([nodeId]));
  const target = groupAt(g.nodes, { x: abs.x + size.width / 2, y: abs.y + size.height / 2 }, inside);
  if ((target?.id ?? undefined) === n.parentId) return g;
  const origin = target ? absolutePosition(target, byId) : { x: 0, y: 0 };
  const moved = { ...n, position: { x: abs.x - origin.x, y: abs.y - origin.y } } as DiagramNode;
  if (target) moved.parentId = target.id;
  else delete moved.parentId;
  return { nodes: sortParentsFirst(g.nodes.map((x) => (x.id === nodeId ? moved : x))), edges: g.edges };
}
