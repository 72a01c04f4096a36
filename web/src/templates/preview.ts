// Layout of a diagram for the read-only preview: absolute boxes and lines.
import type { Diagram } from '../schema/types';
import { sizeOf } from './fragment';

export interface PreviewBox {
  id: string;
  kind: 'component' | 'group' | 'container' | 'boundary';
  name: string;
  type?: string;
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface PreviewLine {
  id: string;
  x1: number;
  y1: number;
  x2: number;
  y2: number;
}

export interface PreviewLayout {
  boxes: PreviewBox[];
  lines: PreviewLine[];
  viewBox: { x: number; y: number; width: number; height: number };
}

/** previewLayout resolves positions relative to parents into absolute ones; groups come first (drawn below). */
export function previewLayout(d: Diagram, margin = 16): PreviewLayout {
  const byId = new Map<string, { parent?: string; position: { x: number; y: number } }>();
  for (const x of [...d.groups, ...d.components]) byId.set(x.id, x);
  const abs = (id: string, depth = 0): { x: number; y: number } => {
    const e = byId.get(id);
    if (!e) return { x: 0, y: 0 };
    if (!e.parent || depth > 50) return { ...e.position };
    const p = abs(e.parent, depth + 1);
    return { x: p.x + e.position.x, y: p.y + e.position.y };
  };
  const boxes: PreviewBox[] = [
    ...d.groups.map((g) => ({ id: g.id, kind: g.kind, name: g.name, type: g.type, ...abs(g.id), ...sizeOf(g) })),
    ...d.components.map((c) => ({ id: c.id, kind: 'component' as const, name: c.name, type: c.type, ...abs(c.id), ...sizeOf(c) })),
  ];
  const box = new Map(boxes.map((b) => [b.id, b]));
  const centre = (b: PreviewBox) => ({ x: b.x + b.width / 2, y: b.y + b.height / 2 });
  const lines = d.flows.flatMap((f) => {
    const s = box.get(f.source), t = box.get(f.target);
    if (!s || !t) return [];
    const a = centre(s), b = centre(t);
    return [{ id: f.id, x1: a.x, y1: a.y, x2: b.x, y2: b.y }];
  });
  if (boxes.length === 0) return { boxes, lines, viewBox: { x: 0, y: 0, width: 100, height: 60 } };
  const x0 = Math.min(...boxes.map((b) => b.x)), y0 = Math.min(...boxes.map((b) => b.y));
  const x1 = Math.max(...boxes.map((b) => b.x + b.width)), y1 = Math.max(...boxes.map((b) => b.y + b.height));
  return { boxes, lines, viewBox: { x: x0 - margin, y: y0 - margin, width: x1 - x0 + 2 * margin, height: y1 - y0 + 2 * margin } };
}
