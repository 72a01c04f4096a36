// Applies React Flow's node and edge change events to our arrays. Same
// semantics as @xyflow/react's applyNodeChanges/applyEdgeChanges, kept here
// so the store (in the initial bundle) does not pull in React Flow, which
// only the lazily loaded editor needs.
import type { EdgeChange, NodeChange } from '@xyflow/react';
import type { DiagramNode, FlowEdge } from '../editor/types';

type WithId = { id: string };

function apply<T extends WithId>(changes: (NodeChange<DiagramNode> | EdgeChange<FlowEdge>)[], items: T[], update: (item: T, c: (typeof changes)[number]) => T): T[] {
  if (changes.length === 0) return items;
  const byId = new Map<string, (typeof changes)[number][]>();
  const adds: { item: T; index?: number }[] = [];
  for (const c of changes) {
    if (c.type === 'add') {
      adds.push({ item: c.item as unknown as T, index: c.index });
      continue;
    }
    const list = byId.get(c.id);
    if (list) list.push(c);
    else byId.set(c.id, [c]);
  }
  const out: T[] = [];
  for (const item of items) {
    const cs = byId.get(item.id);
    if (!cs) {
      out.push(item);
      continue;
    }
    if (cs.some((c) => c.type === 'remove')) continue;
    const replace = cs.find((c) => c.type === 'replace');
    let next: T = replace ? ({ ...(replace.item as unknown as T) }) : { ...item };
    for (const c of cs) if (c.type !== 'replace') next = update(next, c);
    out.push(next);
  }
  for (const a of adds) {
    if (a.index === undefined) out.push(a.item);
    else out.splice(a.index, 0, a.item);
  }
  return out;
}

export function applyNodeChanges(changes: NodeChange<DiagramNode>[], nodes: DiagramNode[]): DiagramNode[] {
  return apply(changes, nodes, (n, c) => {
    switch (c.type) {
      case 'select':
        n.selected = c.selected;
        break;
      case 'position':
        if (c.position !== undefined) n.position = c.position;
        if (c.dragging !== undefined) n.dragging = c.dragging;
        break;
      case 'dimensions':
        if (c.dimensions !== undefined) {
          n.measured = { ...c.dimensions };
          if (c.setAttributes === true || c.setAttributes === 'width') n.width = c.dimensions.width;
          if (c.setAttributes === true || c.setAttributes === 'height') n.height = c.dimensions.height;
        }
        if (typeof c.resizing === 'boolean') n.resizing = c.resizing;
        break;
    }
    return n;
  });
}

export function applyEdgeChanges(changes: EdgeChange<FlowEdge>[], edges: FlowEdge[]): FlowEdge[] {
  return apply(changes, edges, (e, c) => {
    if (c.type === 'select') e.selected = c.selected;
    return e;
  });
}
