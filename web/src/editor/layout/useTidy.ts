// "Tidy layout": lay out the open diagram again with ELK, as one undo step
// that autosaves, then fit it in view.
import { useReactFlow } from '@xyflow/react';
import { useCallback, useState } from 'react';
import { useAppStore } from '../../store';
import { fromDiagram, toDiagram } from '../mapping';
import type { DiagramNode, FlowEdge } from '../types';
import { tidyDiagram } from './tidy';

/** FIT is what Fit does: the whole diagram in view, at most 100 %, however small that makes it. */
export const FIT = { maxZoom: 1, minZoom: 0.01, padding: 0.05, includeHiddenNodes: true };

/** useTidy returns the Tidy layout command, whether it is running, and its last error. */
export function useTidy(): { tidy: () => Promise<void>; busy: boolean; error: string | null } {
  const store = useAppStore();
  const { fitView } = useReactFlow<DiagramNode, FlowEdge>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
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
      // Fit once React Flow has the new positions.
      requestAnimationFrame(() => requestAnimationFrame(() => void fitView(FIT)));
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  }, [store, fitView]);
  return { tidy, busy, error };
}
