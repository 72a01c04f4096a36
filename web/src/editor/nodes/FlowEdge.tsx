import { BaseEdge, EdgeLabelRenderer, getBezierPath, useStore, type EdgeProps, type ReactFlowState } from '@xyflow/react';
import { createContext, memo, useContext } from 'react';
import { useApp } from '../../store';
import type { FlowEdge as FlowEdgeType } from '../types';

/** Below this zoom labels are too small to read and are not drawn (a boolean selector: edges re-render only when it flips). */
const LABEL_MIN_ZOOM = 0.6;
const labelsReadable = (s: ReactFlowState) => s.transform[2] >= LABEL_MIN_ZOOM;

/** ExportingContext is true while the whole diagram is drawn for an image export: every label is drawn then. */
export const ExportingContext = createContext(false);

const PLAIN = { stroke: '#5f6b7a', strokeWidth: 1.5 };
const SELECTED = { stroke: '#0972d3', strokeWidth: 2.5 };

/** FlowEdge draws a data flow with its protocol (and port) as the label. */
function FlowEdgeView({ id, sourceX, sourceY, targetX, targetY, sourcePosition, targetPosition, data, selected, markerEnd }: EdgeProps<FlowEdgeType>) {
  const proto = useApp((s) => (data ? s.catalog?.protocolById[data.protocol] : undefined));
  const showLabel = useStore(labelsReadable) || !!selected || useContext(ExportingContext);
  const [path, lx, ly] = getBezierPath({ sourceX, sourceY, targetX, targetY, sourcePosition, targetPosition });
  // The short id ("HTTPS") reads better on the canvas than the full name.
  const name = proto?.id ?? data?.protocol ?? '';
  const text = `${name}${data?.port ? `:${data.port}` : ''}${data?.label ? ` · ${data.label}` : ''}`;
  return (
    <>
      {/* Inline stroke (not only CSS) so that image export, which copies inline styles, draws the flow. */}
      <BaseEdge id={id} path={path} markerEnd={markerEnd} className={selected ? 'flow selected' : 'flow'} style={selected ? SELECTED : PLAIN} />
      {showLabel && (
        <EdgeLabelRenderer>
          <div
            className={`flow-label${proto && !proto.encrypted ? ' plain' : ''}${selected ? ' selected' : ''}`}
            style={{ transform: `translate(-50%, -50%) translate(${lx}px,${ly}px)` }}
            data-testid="flow-label"
          >
            {text}
          </div>
        </EdgeLabelRenderer>
      )}
    </>
  );
}

export const FlowEdge = memo(FlowEdgeView);
