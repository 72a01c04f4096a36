// Flows of a big diagram seen from far away (Canvas, below FAR_ZOOM): one
// SVG path of straight lines, drawn once per change of the diagram, instead
// of thousands of React Flow edges that each recompute their position on
// every pan frame. Labels are unreadable at that zoom and are not drawn.
import { ViewportPortal } from '@xyflow/react';
import { memo, useMemo } from 'react';
import { useApp } from '../store';
import { farFlowsPath } from './svg/farFlows';

/** FarFlows draws every flow as one path in flow coordinates (inside the viewport, so it pans and zooms with the nodes). */
export const FarFlows = memo(function FarFlows() {
  const nodes = useApp((s) => s.nodes);
  const edges = useApp((s) => s.edges);
  const d = useMemo(() => farFlowsPath(nodes, edges), [nodes, edges]);
  return (
    <ViewportPortal>
      <svg className="far-flows" data-testid="far-flows" width={1} height={1} style={{ position: 'absolute', left: 0, top: 0, overflow: 'visible', pointerEvents: 'none' }} aria-hidden="true">
        <path d={d} fill="none" stroke="#5f6b7a" strokeWidth={1} vectorEffect="non-scaling-stroke" />
      </svg>
    </ViewportPortal>
  );
});
