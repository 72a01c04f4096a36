// Document mapping: the stored Diagram <-> React Flow nodes and edges.
// fromDiagram(toDiagram(g)) keeps everything the document holds; positions
// of children are relative to their parent group on both sides.
import type { Component, Diagram, Flow, Group } from '../schema/types';
import { componentView, sideHandles } from './handles';
import { FLOW_MARKER, type ComponentNode, type DiagramNode, type FlowEdge, type Graph, type GroupNode } from './types';

/** sortGroupsParentsFirst orders groups so every parent precedes its children. */
export function sortGroupsParentsFirst(groups: Group[]): Group[] {
  const byId = new Map(groups.map((g) => [g.id, g]));
  const out: Group[] = [];
  const done = new Set<string>();
  const visiting = new Set<string>();
  const visit = (g: Group) => {
    if (done.has(g.id) || visiting.has(g.id)) return;
    visiting.add(g.id);
    const p = g.parent ? byId.get(g.parent) : undefined;
    if (p) visit(p);
    visiting.delete(g.id);
    done.add(g.id);
    out.push(g);
  };
  groups.forEach(visit);
  return out;
}

function groupNode(g: Group): GroupNode {
  const n: GroupNode = {
    id: g.id,
    type: 'groupBox',
    position: { x: g.position.x, y: g.position.y },
    width: g.size.width,
    height: g.size.height,
    data: { kind: g.kind, name: g.name },
    // Containers have handles; plain groups and boundaries have none.
    handles: g.kind === 'container' ? sideHandles(g.size.width, g.size.height) : [],
  };
  if (g.parent) n.parentId = g.parent;
  if (g.type) n.data.type = g.type;
  if (g.properties) n.data.properties = g.properties;
  if (g.resource) n.data.resource = g.resource;
  return n;
}

function componentNode(c: Component): ComponentNode {
  const n: ComponentNode = {
    id: c.id,
    type: 'component',
    position: { x: c.position.x, y: c.position.y },
    data: { type: c.type, name: c.name },
    ...componentView,
  };
  if (c.parent) n.parentId = c.parent;
  if (c.size) {
    n.width = c.size.width;
    n.height = c.size.height;
    n.data.hasSize = true;
    n.handles = sideHandles(c.size.width, c.size.height);
  }
  if (c.properties) n.data.properties = c.properties;
  if (c.resource) n.data.resource = c.resource;
  if (c.nestedModel) n.data.nestedModel = c.nestedModel;
  return n;
}

function flowEdge(f: Flow): FlowEdge {
  const e: FlowEdge = { id: f.id, type: 'flow', source: f.source, target: f.target, markerEnd: FLOW_MARKER, data: { protocol: f.protocol } };
  if (f.port) e.data!.port = f.port;
  if (f.label) e.data!.label = f.label;
  if (f.properties) e.data!.properties = f.properties;
  return e;
}

/** fromDiagram turns a document diagram into React Flow nodes (groups first, parents before children) and edges. */
export function fromDiagram(d: Diagram): Graph {
  const nodes: DiagramNode[] = [
    ...sortGroupsParentsFirst(d.groups ?? []).map(groupNode),
    ...(d.components ?? []).map(componentNode),
  ];
  return { nodes, edges: (d.flows ?? []).map(flowEdge) };
}

const nonEmpty = <T extends object>(o: T | undefined): o is T => !!o && Object.keys(o).length > 0;

/** toDiagram turns React Flow state back into the document form, dropping view-only state (selection, measurements). */
export function toDiagram(g: Graph): Diagram {
  const components: Component[] = [];
  const groups: Group[] = [];
  for (const n of g.nodes) {
    const position = { x: n.position.x, y: n.position.y };
    if (n.type === 'groupBox') {
      const grp: Group = {
        id: n.id,
        kind: n.data.kind,
        name: n.data.name,
        position,
        size: {
          width: n.width ?? n.measured?.width ?? 0,
          height: n.height ?? n.measured?.height ?? 0,
        },
      };
      if (n.data.kind === 'container' && n.data.type) grp.type = n.data.type;
      if (n.parentId) grp.parent = n.parentId;
      if (nonEmpty(n.data.properties)) grp.properties = n.data.properties;
      if (n.data.resource) grp.resource = n.data.resource;
      groups.push(reorder(grp, ['id', 'kind', 'name', 'type', 'parent', 'position', 'size', 'properties', 'resource']));
    } else {
      const c: Component = { id: n.id, type: n.data.type, name: n.data.name, position };
      if (n.parentId) c.parent = n.parentId;
      if (n.data.hasSize && n.width !== undefined && n.height !== undefined) c.size = { width: n.width, height: n.height };
      if (nonEmpty(n.data.properties)) c.properties = n.data.properties;
      if (n.data.resource) c.resource = n.data.resource;
      if (n.data.nestedModel) c.nestedModel = n.data.nestedModel;
      components.push(reorder(c, ['id', 'type', 'name', 'parent', 'position', 'size', 'properties', 'resource', 'nestedModel']));
    }
  }
  const flows: Flow[] = g.edges.map((e) => {
    const f: Flow = { id: e.id, source: e.source, target: e.target, protocol: e.data?.protocol ?? 'HTTPS' };
    if (e.data?.port) f.port = e.data.port;
    if (e.data?.label) f.label = e.data.label;
    if (nonEmpty(e.data?.properties)) f.properties = e.data!.properties;
    return f;
  });
  return { components, flows, groups };
}

/** reorder puts keys in the Go declaration order so the JSON reads like the server's. */
function reorder<T extends object>(o: T, keys: (keyof T)[]): T {
  const out = {} as T;
  for (const k of keys) if (o[k] !== undefined) out[k] = o[k];
  return out;
}
