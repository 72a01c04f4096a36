import { BaseEdge, EdgeLabelRenderer, getSmoothStepPath, useStore, type EdgeProps, type ReactFlowState } from '@xyflow/react';
import { createContext, memo, useContext, useState } from 'react';
import { routesFor } from '../layout/routeCache';
import { pathOf, type Route } from '../layout/routes';
import { useApp } from '../../store';
import type { FlowEdge as FlowEdgeType } from '../types';

/** Below this zoom labels are too small to read and are not drawn (a boolean selector: edges re-render only when it flips). */
const LABEL_MIN_ZOOM = 0.6;
const labelsReadable = (s: ReactFlowState) => s.transform[2] >= LABEL_MIN_ZOOM;

/** ExportingContext is true while the whole diagram is drawn for an image export: every label is drawn then. */
export const ExportingContext = createContext(false);

const PLAIN = { stroke: '#5f6b7a', strokeWidth: 1.5 };
const SELECTED = { stroke: '#0972d3', strokeWidth: 2.5 };

/** routeOf is the flow's route with its ends on the handles React Flow measured. */
function routeOf(r: Route, sx: number, sy: number, tx: number, ty: number): string {
  const pts = r.points.map((p) => ({ ...p }));
  if (pts.length < 2) return '';
  const first = pts[0];
  const lastP = pts[pts.length - 1];
  // Corners on the handles' lines follow the measured handle positions.
  for (const p of pts) {
    if (p !== first && p.y === first.y && pts.indexOf(p) === 1) p.y = sy;
    if (p !== lastP && p.y === lastP.y && pts.indexOf(p) === pts.length - 2) p.y = ty;
  }
  pts[0] = { x: sx, y: sy };
  pts[pts.length - 1] = { x: tx, y: ty };
  return pathOf(pts);
}

/**
 * FlowEdge draws a data flow: an orthogonal route around components (see
 * layout/routes.ts), one line for all flows between the same two elements,
 * and the protocol (and port, and the bundle's count) as a label when zoomed
 * in, hovered or selected.
 */
function FlowEdgeView({ id, sourceX, sourceY, targetX, targetY, sourcePosition, targetPosition, data, selected, markerEnd }: EdgeProps<FlowEdgeType>) {
  const proto = useApp((s) => (data ? s.catalog?.protocolById[data.protocol] : undefined));
  const route = useApp((s) => routesFor(s.nodes, s.edges)?.get(id));
  const [hover, setHover] = useState(false);
  const exporting = useContext(ExportingContext);
  const readable = useStore(labelsReadable);
  // A label with no clear place on its route (it would cover a title) waits for hover.
  const showLabel = (readable && route?.labelClear !== false) || !!selected || hover || exporting;
  // Another flow of the bundle draws it.
  if (route && route.lead !== id) return null;
  const [step, sx, sy] = getSmoothStepPath({ sourceX, sourceY, targetX, targetY, sourcePosition, targetPosition, borderRadius: 6 });
  const path = route ? routeOf(route, sourceX, sourceY, targetX, targetY) || step : step;
  const lx = route ? route.label.x : sx;
  const ly = route ? route.label.y : sy;
  const count = route?.members.length ?? 1;
  // The short id ("HTTPS") reads better on the canvas than the full name.
  const name = proto?.id ?? data?.protocol ?? '';
  const text = `${name}${data?.port ? `:${data.port}` : ''}${data?.label ? ` · ${data.label}` : ''}${count > 1 ? ` ×${count}` : ''}`;
  return (
    <>
      {/* Inline stroke (not only CSS) so that image export, which copies inline styles, draws the flow. */}
      <BaseEdge id={id} path={path} markerEnd={markerEnd} className={selected ? 'flow selected' : 'flow'} style={selected ? SELECTED : PLAIN} interactionWidth={0} />
      <path d={path} className="flow-hit" fill="none" stroke="transparent" strokeWidth={14} onMouseEnter={() => setHover(true)} onMouseLeave={() => setHover(false)} data-testid="flow-hit" />
      {showLabel && (
        <EdgeLabelRenderer>
          <div
            className={`flow-label${proto && !proto.encrypted ? ' plain' : ''}${selected ? ' selected' : ''}`}
            style={{ transform: `translate(-50%, -50%) translate(${lx}px,${ly}px)` }}
            data-testid="flow-label"
            data-count={count}
            title={count > 1 ? `${count} flows between the same two elements` : undefined}
          >
            {text}
          </div>
        </EdgeLabelRenderer>
      )}
    </>
  );
}

export const FlowEdge = memo(FlowEdgeView);
