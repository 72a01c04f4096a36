// Diffs and three-way merges of diagrams, used when a save conflicts with a
// change made elsewhere: the user sees what differs, and "keep mine" replays
// their own changes on top of the latest server version so nothing is lost.
import type { Component, Diagram, Flow, Group } from '../schema/types';

type Element = Component | Flow | Group;
type Kind = 'components' | 'flows' | 'groups';
const KINDS: Kind[] = ['groups', 'components', 'flows'];

export interface Change {
  kind: Kind;
  id: string;
  name: string;
  change: 'added' | 'removed' | 'changed';
}

/** stableJSON serialises with sorted keys so equal values compare equal. */
export function stableJSON(v: unknown): string {
  return JSON.stringify(v, (_k, val) =>
    val && typeof val === 'object' && !Array.isArray(val)
      ? Object.fromEntries(Object.entries(val).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : val,
  );
}

const same = (a: unknown, b: unknown) => stableJSON(a) === stableJSON(b);

function label(e: Element): string {
  if ('source' in e) return e.label || `${e.source} → ${e.target} (${e.protocol})`;
  return e.name || e.id;
}

function list(d: Diagram, k: Kind): Element[] {
  return (d[k] ?? []) as Element[];
}

/** diffDiagrams lists what changed from a to b, element by element. */
export function diffDiagrams(a: Diagram, b: Diagram): Change[] {
  const out: Change[] = [];
  for (const kind of KINDS) {
    const before = new Map(list(a, kind).map((e) => [e.id, e]));
    const after = new Map(list(b, kind).map((e) => [e.id, e]));
    for (const [id, e] of after) {
      const old = before.get(id);
      if (!old) out.push({ kind, id, name: label(e), change: 'added' });
      else if (!same(old, e)) out.push({ kind, id, name: label(e), change: 'changed' });
    }
    for (const [id, e] of before) if (!after.has(id)) out.push({ kind, id, name: label(e), change: 'removed' });
  }
  return out;
}

/**
 * merge3 applies the changes from base to mine onto theirs. Where both sides
 * changed the same element, mine wins. Elements that mine still refers to
 * (a flow's ends, a parent group) are brought back if theirs removed them.
 */
export function merge3(base: Diagram, mine: Diagram, theirs: Diagram): Diagram {
  const out: Diagram = { components: [], flows: [], groups: [] };
  for (const kind of KINDS) {
    const b = new Map(list(base, kind).map((e) => [e.id, e]));
    const m = new Map(list(mine, kind).map((e) => [e.id, e]));
    const result = new Map(list(theirs, kind).map((e) => [e.id, e]));
    for (const [id, e] of m) {
      const old = b.get(id);
      if (!old || !same(old, e)) result.set(id, e);
    }
    for (const id of b.keys()) if (!m.has(id)) result.delete(id);
    (out[kind] as Element[]) = [...result.values()];
  }
  restoreReferences(out, mine);
  return out;
}

function restoreReferences(d: Diagram, mine: Diagram) {
  const groups = new Map(d.groups.map((g) => [g.id, g]));
  const comps = new Map(d.components.map((c) => [c.id, c]));
  const mineGroups = new Map(mine.groups.map((g) => [g.id, g]));
  const mineComps = new Map(mine.components.map((c) => [c.id, c]));
  const needGroup = (id?: string) => {
    for (let depth = 0; id && !groups.has(id) && depth < 100; depth++) {
      const g = mineGroups.get(id);
      if (!g) return;
      groups.set(id, g);
      d.groups.push(g);
      id = g.parent;
    }
  };
  for (const f of d.flows) {
    for (const end of [f.source, f.target]) {
      if (comps.has(end) || groups.has(end)) continue;
      const c = mineComps.get(end);
      if (c) {
        comps.set(end, c);
        d.components.push(c);
      } else needGroup(end);
    }
  }
  for (const c of [...d.components]) needGroup(c.parent);
  for (const g of [...d.groups]) needGroup(g.parent);
  // Whatever still dangles (mine did not have it either) is cut loose.
  for (const e of [...d.components, ...d.groups]) if (e.parent && !groups.has(e.parent)) delete e.parent;
  d.flows = d.flows.filter((f) => (comps.has(f.source) || groups.has(f.source)) && (comps.has(f.target) || groups.has(f.target)));
}
