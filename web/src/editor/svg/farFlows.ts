// The flows of a diagram as one SVG path of straight lines, for the far-away
// view of a big diagram (editor/FarFlows.tsx).
import { absoluteRect, indexNodes, type Rect } from '../geometry';
import type { DiagramNode, FlowEdge } from '../types';

/** farFlowsPath is the path of every flow from its source's right edge to its target's left edge, as on the canvas; flows hidden on the canvas (edge.hidden) or with a missing end are left out. */
export function farFlowsPath(nodes: DiagramNode[], edges: FlowEdge[]): string {
  const byId = indexNodes(nodes);
  const rects = new Map<string, Rect>();
  const rectOf = (id: string) => {
    let r = rects.get(id);
    if (!r) {
      const n = byId.get(id);
      if (!n) return undefined;
      r = absoluteRect(n, byId);
      rects.set(id, r);
    }
    return r;
  };
  const parts: string[] = [];
  for (const e of edges) {
    if (e.hidden) continue;
    const s = rectOf(e.source);
    const t = rectOf(e.target);
    if (!s || !t) continue;
    parts.push(`M${Math.round(s.x + s.width)} ${Math.round(s.y + s.height / 2)}L${Math.round(t.x)} ${Math.round(t.y + t.height / 2)}`);
  }
  return parts.join('');
}
