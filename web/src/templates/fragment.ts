// Diagram fragments dropped into an open model: a template's diagram wrapped
// in a new group (with fresh, unique ids), or a nested threat model.
import { COMPONENT_SIZE } from '../editor/types';
import type { Component, Diagram, Group, Point, Size } from '../schema/types';

export type MakeId = (prefix: 'c' | 'g' | 'f') => string;

const PAD = 32;
const TITLE = 28;

/** sizeOf is the drawn size of a component or group. */
export function sizeOf(x: Component | Group): Size {
  return 'kind' in x ? x.size : (x.size ?? COMPONENT_SIZE);
}

/** bounds is the box around the top-level elements of d (their positions are absolute). */
export function bounds(d: Diagram): { x: number; y: number; width: number; height: number } {
  const top = [...d.groups, ...d.components].filter((x) => !x.parent);
  if (top.length === 0) return { x: 0, y: 0, width: 0, height: 0 };
  let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
  for (const e of top) {
    const s = sizeOf(e);
    x0 = Math.min(x0, e.position.x);
    y0 = Math.min(y0, e.position.y);
    x1 = Math.max(x1, e.position.x + s.width);
    y1 = Math.max(y1, e.position.y + s.height);
  }
  return { x: x0, y: y0, width: x1 - x0, height: y1 - y0 };
}

/**
 * templateFragment copies d into a new group named name whose top-left corner
 * is at: every element gets a fresh id, references follow, and the top-level
 * elements become the group's children.
 */
export function templateFragment(d: Diagram, name: string, at: Point, makeId: MakeId): Diagram {
  const ids = new Map<string, string>();
  for (const g of d.groups) ids.set(g.id, makeId('g'));
  for (const c of d.components) ids.set(c.id, makeId('c'));
  const b = bounds(d);
  const wrap: Group = {
    id: makeId('g'), kind: 'group', name,
    position: { x: Math.round(at.x), y: Math.round(at.y) },
    size: { width: b.width + 2 * PAD, height: b.height + 2 * PAD + TITLE },
  };
  const place = <T extends Component | Group>(x: T): T => {
    const copy = structuredClone(x);
    copy.id = ids.get(x.id)!;
    if (x.parent && ids.has(x.parent)) {
      copy.parent = ids.get(x.parent);
    } else {
      copy.parent = wrap.id;
      copy.position = { x: x.position.x - b.x + PAD, y: x.position.y - b.y + PAD + TITLE };
    }
    return copy;
  };
  return {
    groups: [wrap, ...d.groups.map(place)],
    components: d.components.map(place),
    flows: d.flows
      .filter((f) => ids.has(f.source) && ids.has(f.target))
      .map((f) => ({ ...structuredClone(f), id: makeId('f'), source: ids.get(f.source)!, target: ids.get(f.target)! })),
  };
}

export const NESTED_TYPE = 'generic.threat-model';

/** nestedFragment is one component that nests the threat model modelId. */
export function nestedFragment(modelId: string, name: string, at: Point, makeId: MakeId): Diagram {
  return {
    groups: [],
    flows: [],
    components: [{
      id: makeId('c'), type: NESTED_TYPE, name,
      position: { x: Math.round(at.x), y: Math.round(at.y) },
      nestedModel: { modelId, importThreats: false },
    }],
  };
}
