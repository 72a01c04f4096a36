// "Show inferred flows": the Accelerator draws some flows only because a
// security-group rule allows them (flow property inferred: true, with the
// rule in inferredBy); this checkbox hides or shows them on the canvas. It
// is a view setting: hiding changes neither the document nor undo.
import { useEffect, useState } from 'react';
import { useApp, useAppStore } from '../store';
import type { FlowEdge } from './types';

/** FLOW_INFERRED is the flow property the builder sets on flows inferred from security groups. */
export const FLOW_INFERRED = 'inferred';
/** FLOW_INFERRED_BY is the flow property naming the rule that inferred the flow. */
export const FLOW_INFERRED_BY = 'inferredBy';

/** isInferred reports whether a flow was inferred (not known) by the builder. */
export function isInferred(e: FlowEdge): boolean {
  return e.data?.properties?.[FLOW_INFERRED] === true;
}

/**
 * withInferredShown returns edges with every inferred flow hidden (show
 * false) or shown, or null when nothing needs to change.
 */
export function withInferredShown(edges: FlowEdge[], show: boolean): FlowEdge[] | null {
  let changed = false;
  const next = edges.map((e) => {
    if (!isInferred(e) || !!e.hidden === !show) return e;
    changed = true;
    // An edge being hidden is also deselected, so Delete cannot remove what is not seen.
    return show ? { ...e, hidden: false } : { ...e, hidden: true, selected: false };
  });
  return changed ? next : null;
}

/** InferredToggle is the "Show inferred flows" checkbox; it renders nothing when the diagram has no inferred flow. */
export function InferredToggle() {
  const store = useAppStore();
  const count = useApp((s) => s.edges.reduce((n, e) => (isInferred(e) ? n + 1 : n), 0));
  const [show, setShow] = useState(true);

  // Keep the canvas as the checkbox says, also when the edges are replaced
  // (a reload, undo, a sync).
  useEffect(() => {
    const apply = () => {
      const next = withInferredShown(store.getState().edges, show);
      if (next) store.setState({ edges: next });
    };
    apply();
    return store.subscribe((s, prev) => {
      if (s.edges !== prev.edges) apply();
    });
  }, [store, show]);

  if (count === 0) return null;
  return (
    <label className="inferred-toggle" style={{ whiteSpace: 'nowrap', display: 'inline-flex', alignItems: 'center', gap: 4 }} title="Flows the Accelerator inferred from security-group rules (not observed traffic)">
      <input type="checkbox" checked={show} onChange={(e) => setShow(e.target.checked)} />
      {` Show inferred flows (${count})`}
    </label>
  );
}
