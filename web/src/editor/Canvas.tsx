import {
  Background, ConnectionMode, ControlButton, Controls, MiniMap, ReactFlow, useReactFlow, useStore,
  type Connection, type IsValidConnection, type OnNodeDrag, type ReactFlowState, type Viewport,
} from '@xyflow/react';
import { useCallback, useLayoutEffect, useRef, useState, type DragEvent } from 'react';
import { useApp, useAppStore } from '../store';
import { BigMiniMap } from './BigMiniMap';
import { FarFlows } from './FarFlows';
import { ExportingContext } from './nodes/FlowEdge';
import { canConnect } from './commands';
import { fittedViewport } from './geometry';
import { FIT, useTidy } from './layout/useTidy';
import { edgeTypes, nodeTypes } from './nodes';
import type { DiagramNode, FlowEdge } from './types';
import './far.css';

export const DRAG_MIME = 'application/x-bulwark-type';
const SNAP: [number, number] = [16, 16];
const MULTI_SELECT = ['Shift', 'Meta', 'Control'];
/** Above this many nodes, only what is on screen is rendered. */
export const VIRTUALIZE_ABOVE = 150;
// Fit (on open and the Fit button) shows every node, however small that
// makes a big diagram: includeHiddenNodes counts nodes never rendered (off
// screen) by their declared size. "Tidy layout" makes a sprawling diagram
// compact. FIT is re-exported for existing importers.
export { FIT };

/**
 * Below this zoom a big diagram is drawn for overview: components as plain
 * boxes (far.css), flows as one path of lines (FarFlows), every element
 * rendered (none mount or unmount while panning). Names are unreadable there.
 */
export const FAR_ZOOM = 0.3;
const NO_EDGES: FlowEdge[] = [];

const miniMapColor = (n: DiagramNode) => (n.type === 'groupBox' ? 'rgba(120,130,150,0.25)' : '#ed7100');

/** Canvas is the React Flow surface. renderAll turns virtualization off (for image export). */
export function Canvas({ renderAll = false }: { renderAll?: boolean }) {
  const store = useAppStore();
  const nodes = useApp((s) => s.nodes);
  const edges = useApp((s) => s.edges);
  const onNodesChange = useApp((s) => s.onNodesChange);
  const onEdgesChange = useApp((s) => s.onEdgesChange);
  const checkpoint = useApp((s) => s.checkpoint);
  const dropNodes = useApp((s) => s.dropNodes);
  const connect = useApp((s) => s.connect);
  const addComponent = useApp((s) => s.addComponent);
  const snap = useApp((s) => s.snapToGrid);
  const { screenToFlowPosition } = useReactFlow();
  // Fit the diagram once when it opens; an empty canvas stays at 100 % so
  // the first component dropped is not blown up to the maximum zoom.
  const [fitOnOpen] = useState(() => nodes.length > 0);
  const big = nodes.length > VIRTUALIZE_ABOVE;
  // A big diagram opens at the viewport the fit will give (measured from the
  // canvas before React Flow mounts), not at 100 %: seen from far, its first
  // render is the far view, instead of the flows on screen at 100 % followed
  // by every flow mounted and dropped again as the fit zooms out. fitView
  // still runs and lands on the same viewport.
  const canvasRef = useRef<HTMLDivElement>(null);
  const [opening, setOpening] = useState<Viewport | null | undefined>(() => (fitOnOpen && big ? undefined : null));
  useLayoutEffect(() => {
    if (opening !== undefined) return;
    const el = canvasRef.current;
    setOpening(el ? fittedViewport(store.getState().nodes, el.offsetWidth, el.offsetHeight, FIT) : null);
  }, [opening, store]);
  const { tidy, busy: tidying, error: tidyError } = useTidy();
  // Until React Flow has its viewport (panZoom), its transform is the
  // default 100 %: the opening viewport decides.
  const seenFromFar = useCallback(
    (s: ReactFlowState) => (s.panZoom || !opening ? s.transform[2] : opening.zoom) < FAR_ZOOM,
    [opening],
  );
  const far = useStore(seenFromFar) && big && !renderAll;

  const onConnect = useCallback((c: Connection) => connect(c.source, c.target), [connect]);
  const isValidConnection: IsValidConnection = useCallback(
    (c) => canConnect(store.getState(), c.source, c.target),
    [store],
  );
  const onNodeDragStart: OnNodeDrag<DiagramNode> = useCallback(() => checkpoint(), [checkpoint]);
  const onNodeDragStop: OnNodeDrag<DiagramNode> = useCallback((_e, _n, dragged) => dropNodes(dragged.map((n) => n.id)), [dropNodes]);

  const onDragOver = useCallback((e: DragEvent) => {
    if (e.dataTransfer.types.includes(DRAG_MIME)) {
      e.preventDefault();
      e.dataTransfer.dropEffect = 'copy';
    }
  }, []);
  const onDrop = useCallback(
    (e: DragEvent) => {
      const typeId = e.dataTransfer.getData(DRAG_MIME);
      if (!typeId) return;
      e.preventDefault();
      const p = screenToFlowPosition({ x: e.clientX, y: e.clientY });
      // The pointer is the icon's centre.
      addComponent(typeId, { x: p.x - 48, y: p.y - 32 });
    },
    [screenToFlowPosition, addComponent],
  );

  return (
    <ExportingContext.Provider value={renderAll}>
      <div ref={canvasRef} className={far ? 'canvas far' : 'canvas'} data-testid="canvas" onDragOver={onDragOver} onDrop={onDrop}>
        {opening !== undefined && <ReactFlow<DiagramNode, FlowEdge>
          nodes={nodes}
          edges={far ? NO_EDGES : edges}
          nodeTypes={nodeTypes}
          edgeTypes={edgeTypes}
          onNodesChange={onNodesChange}
          onEdgesChange={onEdgesChange}
          onConnect={onConnect}
          isValidConnection={isValidConnection}
          onNodeDragStart={onNodeDragStart}
          onNodeDragStop={onNodeDragStop}
          connectionMode={ConnectionMode.Loose}
          snapToGrid={snap}
          snapGrid={SNAP}
          deleteKeyCode={null}
          selectionKeyCode="Shift"
          multiSelectionKeyCode={MULTI_SELECT}
          onlyRenderVisibleElements={big && !renderAll && !far}
          minZoom={FIT.minZoom}
          maxZoom={3}
          fitView={fitOnOpen}
          fitViewOptions={FIT}
          defaultViewport={opening ?? undefined}
        >
          {/* The dotted background repaints on every pan frame: only for smaller diagrams. */}
          {!big && <Background gap={16} />}
          {far && <FarFlows />}
          {big ? <BigMiniMap /> : <MiniMap pannable zoomable nodeColor={miniMapColor} data-testid="minimap" />}
          <Controls showInteractive={false} fitViewOptions={FIT}>
            <ControlButton onClick={() => void tidy()} disabled={tidying} title="Tidy layout: arrange the whole diagram" aria-label="Tidy layout">
              <span aria-hidden="true">⊞</span>
            </ControlButton>
          </Controls>
          {tidyError && <div className="banner error small canvas-error" role="alert">{tidyError}</div>}
        </ReactFlow>}
      </div>
    </ExportingContext.Provider>
  );
}
