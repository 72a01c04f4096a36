import { describe, expect, it } from 'vitest';
import { isInferred, withInferredShown } from './InferredToggle';
import type { FlowEdge } from './types';

const edge = (id: string, inferred?: boolean, extra: Partial<FlowEdge> = {}): FlowEdge => ({
  id, type: 'flow', source: 'a', target: 'b',
  data: { protocol: 'HTTPS', ...(inferred === undefined ? {} : { properties: { inferred, inferredBy: 'sg-rule: the target listens on the port' } }) },
  ...extra,
});

describe('inferred flows', () => {
  it('knows an inferred flow by its property', () => {
    expect(isInferred(edge('x', true))).toBe(true);
    expect(isInferred(edge('x', false))).toBe(false);
    expect(isInferred(edge('x'))).toBe(false);
  });

  it('hides and deselects only inferred flows, and shows them again', () => {
    const edges = [edge('sg', true, { selected: true }), edge('listener'), edge('drawn', false)];
    const hidden = withInferredShown(edges, false)!;
    expect(hidden.map((e) => [e.id, !!e.hidden, !!e.selected])).toEqual([['sg', true, false], ['listener', false, false], ['drawn', false, false]]);
    expect(hidden[1]).toBe(edges[1]);
    expect(withInferredShown(hidden, false)).toBeNull();
    const shown = withInferredShown(hidden, true)!;
    expect(shown.map((e) => !!e.hidden)).toEqual([false, false, false]);
    expect(withInferredShown(shown, true)).toBeNull();
  });
});
