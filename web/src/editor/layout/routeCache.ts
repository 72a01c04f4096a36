// One set of routes per diagram geometry, shared by every flow: computed on
// the first flow's render after the nodes moved, reused while only
// selection or data changed. While something is dragged there are none (the
// flows draw as plain steps until the drop).
import type { DiagramNode, FlowEdge } from '../types';
import { ROUTE_MAX_NODES, routeAll, type Route } from './routes';

/** flowText is a flow's label: protocol short id, port, own label; a bundle adds its count. */
export function flowLabel(e: FlowEdge, count = 1): string {
  const d = e.data;
  const text = `${d?.protocol ?? ''}${d?.port ? `:${d.port}` : ''}${d?.label ? ` · ${d.label}` : ''}`;
  return count > 1 ? `${text} ×${count}` : text;
}

let last: { nodes: DiagramNode[]; edges: FlowEdge[]; key: string; routes: Map<string, Route> } | null = null;

function geometryKey(nodes: DiagramNode[], edges: FlowEdge[]): string {
  let k = '';
  for (const n of nodes) k += `${n.id}|${n.parentId ?? ''}|${n.position.x}|${n.position.y}|${n.width ?? n.measured?.width ?? ''}|${n.height ?? n.measured?.height ?? ''};`;
  for (const e of edges) k += `${e.id}|${e.source}|${e.target}|${e.hidden ? 'h' : ''}|${flowLabel(e)};`;
  return k;
}

/** routesFor returns the routes of the diagram's flows, or null when it is too big or something is being dragged. */
export function routesFor(nodes: DiagramNode[], edges: FlowEdge[]): Map<string, Route> | null {
  if (nodes.length > ROUTE_MAX_NODES || nodes.some((n) => n.dragging)) return null;
  if (last && last.nodes === nodes && last.edges === edges) return last.routes;
  const key = geometryKey(nodes, edges);
  if (last && last.key === key) {
    last = { ...last, nodes, edges };
    return last.routes;
  }
  last = { nodes, edges, key, routes: routeAll(nodes, edges, flowLabel) };
  return last.routes;
}
