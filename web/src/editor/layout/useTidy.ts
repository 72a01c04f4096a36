// "Tidy layout": lay out the open diagram again with ELK, as one undo step
// that autosaves, then fit it in view.
import { useReactFlow } from '@xyflow/react';
import { useCallback, useEffect, useState } from 'react';
import { useApp, useAppStore } from '../../store';
import { fromDiagram, toDiagram } from '../mapping';
import type { DiagramNode, FlowEdge } from '../types';
import { tidyDiagram } from './tidy';

/** FIT is what Fit does: the whole diagram in view, at most 100 %, however small that makes it. */
export const FIT = { maxZoom: 1, minZoom: 0.001, padding: 0.15, includeHiddenNodes: true };

/** useTidy returns the Tidy layout command, whether it is running, and its last error. */
export function useTidy(): { tidy: () => Promise<void>; busy: boolean; error: string | null } {
  const store = useAppStore();
  const { fitView } = useReactFlow<DiagramNode, FlowEdge>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  // Fit after the laid-out nodes are rendered: this effect runs after React
  // Flow's own (a child's) have taken the new positions in.
  const nodes = useApp((s) => s.nodes);
  const [fitPending, setFitPending] = useState(false);
  useEffect(() => {
    if (!fitPending) return;
    setFitPending(false);
    void fitView(FIT);
  }, [nodes, fitPending, fitView]);
  const tidy = useCallback(async () => {
    const s = store.getState();
    if (!s.nodes.length) return;
    setBusy(true);
    setError(null);
    try {
      const laid = fromDiagram(await tidyDiagram(toDiagram({ nodes: s.nodes, edges: s.edges })));
      const now = store.getState();
      const byId = new Map(laid.nodes.map((n) => [n.id, n]));
      now.checkpoint();
      now.onNodesChange(
        now.nodes.filter((n) => byId.has(n.id)).map((n) => ({ type: 'replace' as const, id: n.id, item: { ...byId.get(n.id)!, selected: n.selected } as DiagramNode })),
      );
      setFitPending(true);
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  }, [store]);
  return { tidy, busy, error };
}
