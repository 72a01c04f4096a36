// Positions and bounds of nodes in canvas (absolute) coordinates.
import { getViewportForBounds, type Viewport } from '@xyflow/react';
import { COMPONENT_SIZE, GROUP_MIN, type DiagramNode } from './types';

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export function nodeSize(n: DiagramNode): { width: number; height: number } {
  const fallback = n.type === 'groupBox' ? GROUP_MIN : COMPONENT_SIZE;
  return {
    width: n.width ?? n.measured?.width ?? fallback.width,
    height: n.height ?? n.measured?.height ?? fallback.height,
  };
}

/** absolutePosition adds up the positions of n and its ancestors. */
export function absolutePosition(n: DiagramNode, byId: Map<string, DiagramNode>): { x: number; y: number } {
  let x = n.position.x;
  let y = n.position.y;
  let p = n.parentId ? byId.get(n.parentId) : undefined;
  for (let depth = 0; p && depth < 100; depth++) {
    x += p.position.x;
    y += p.position.y;
    p = p.parentId ? byId.get(p.parentId) : undefined;
  }
  return { x, y };
}

export function absoluteRect(n: DiagramNode, byId: Map<string, DiagramNode>): Rect {
  return { ...absolutePosition(n, byId), ...nodeSize(n) };
}

export function contains(r: Rect, p: { x: number; y: number }): boolean {
  return p.x >= r.x && p.x <= r.x + r.width && p.y >= r.y && p.y <= r.y + r.height;
}

export function union(rs: Rect[]): Rect {
  const x = Math.min(...rs.map((r) => r.x));
  const y = Math.min(...rs.map((r) => r.y));
  const x2 = Math.max(...rs.map((r) => r.x + r.width));
  const y2 = Math.max(...rs.map((r) => r.y + r.height));
  return { x, y, width: x2 - x, height: y2 - y };
}

/** isAncestor reports whether a is b or an ancestor of b. */
export function isAncestor(a: string, b: DiagramNode, byId: Map<string, DiagramNode>): boolean {
  let cur: DiagramNode | undefined = b;
  for (let depth = 0; cur && depth < 100; depth++) {
    if (cur.id === a) return true;
    cur = cur.parentId ? byId.get(cur.parentId) : undefined;
  }
  return false;
}

export function indexNodes(nodes: DiagramNode[]): Map<string, DiagramNode> {
  return new Map(nodes.map((n) => [n.id, n]));
}

/**
 * fittedViewport is the viewport React Flow's fitView(fit) gives nodes (not
 * yet measured: their declared or default sizes) on a pane of width x
 * height, or null when there is nothing to fit.
 */
export function fittedViewport(
  nodes: DiagramNode[], width: number, height: number, fit: { minZoom: number; maxZoom: number; padding: number },
): Viewport | null {
  if (!nodes.length || !width || !height) return null;
  const byId = indexNodes(nodes);
  return getViewportForBounds(union(nodes.map((n) => absoluteRect(n, byId))), width, height, fit.minZoom, fit.maxZoom, fit.padding);
}
