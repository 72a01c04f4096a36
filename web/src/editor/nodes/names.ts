// Short names for built diagrams: a VPC build names every resource after its
// stack ("shop-microservices-orders", "shop-microservices-payments", …), which
// leaves nodes showing the same clipped prefix. The shared prefix is dropped
// on the canvas; the full name stays in the document and on hover.
import type { DiagramNode } from '../types';

const SEPARATORS = '-_./: ';
const MAX_DEPTH = 4;

/**
 * sharedPrefix returns the longest prefix, ending in a separator (- _ . / :
 * or space) and at least 4 characters long, that at least 3 names and 60 %
 * of them start with and that leaves something of each; "" when there is
 * none.
 */
export function sharedPrefix(names: string[]): string {
  if (names.length < 3) return '';
  const counts = new Map<string, number>();
  for (const n of names) {
    let depth = 0;
    for (let i = 0; i < n.length - 1 && depth < MAX_DEPTH; i++) {
      if (!SEPARATORS.includes(n[i])) continue;
      depth++;
      if (i + 1 >= 4) {
        const p = n.slice(0, i + 1);
        counts.set(p, (counts.get(p) ?? 0) + 1);
      }
    }
  }
  const need = Math.max(3, Math.ceil(names.length * 0.6));
  let best = '';
  for (const [p, c] of counts) if (c >= need && p.length > best.length) best = p;
  return best;
}

/** shortName drops prefix from name when it starts with it and something is left. */
export function shortName(name: string, prefix: string): string {
  return prefix && name.length > prefix.length && name.startsWith(prefix) ? name.slice(prefix.length) : name;
}

const cache = new WeakMap<DiagramNode[], string>();

/**
 * builtPrefix is the shared prefix of the names of the built elements (those
 * that stand for an AWS resource) of a diagram, computed once per nodes array.
 */
export function builtPrefix(nodes: DiagramNode[]): string {
  let p = cache.get(nodes);
  if (p === undefined) {
    p = sharedPrefix(nodes.filter((n) => n.data.resource).map((n) => n.data.name));
    cache.set(nodes, p);
  }
  return p;
}
