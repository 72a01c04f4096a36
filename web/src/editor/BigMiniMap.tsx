// A minimap for big diagrams: all nodes drawn once on a <canvas> (redrawn
// only when nodes change) and the viewport as a moving box, so panning
// costs one small style change instead of repainting a thousand SVG rects.
// Click or drag on it to move the view.
import { Panel, useReactFlow, useStore, type ReactFlowState } from '@xyflow/react';
import { useEffect, useMemo, useRef, type PointerEvent } from 'react';
import { useApp } from '../store';
import { absolutePosition, indexNodes, nodeSize, union, type Rect } from './geometry';

const W = 200;
const H = 140;
const viewportOf = (s: ReactFlowState) => ({ x: s.transform[0], y: s.transform[1], zoom: s.transform[2], width: s.width, height: s.height });
const sameViewport = (a: ReturnType<typeof viewportOf>, b: ReturnType<typeof viewportOf>) =>
  a.x === b.x && a.y === b.y && a.zoom === b.zoom && a.width === b.width && a.height === b.height;

export function BigMiniMap() {
  const nodes = useApp((s) => s.nodes);
  const vp = useStore(viewportOf, sameViewport);
  const { setCenter } = useReactFlow();
  const canvas = useRef<HTMLCanvasElement>(null);

  const rects = useMemo(() => {
    const byId = indexNodes(nodes);
    return nodes.map((n) => ({ group: n.type === 'groupBox', ...absolutePosition(n, byId), ...nodeSize(n) }));
  }, [nodes]);
  const bounds: Rect = useMemo(() => (rects.length ? union(rects) : { x: 0, y: 0, width: 1, height: 1 }), [rects]);
  const scale = Math.min(W / bounds.width, H / bounds.height);
  const ox = (W - bounds.width * scale) / 2;
  const oy = (H - bounds.height * scale) / 2;

  useEffect(() => {
    const ctx = canvas.current?.getContext('2d');
    if (!ctx) return;
    const frame = requestAnimationFrame(() => {
      ctx.clearRect(0, 0, W, H);
      for (const r of rects) {
        ctx.fillStyle = r.group ? 'rgba(120,130,150,0.25)' : '#ed7100';
        ctx.fillRect(ox + (r.x - bounds.x) * scale, oy + (r.y - bounds.y) * scale, Math.max(1, r.width * scale), Math.max(1, r.height * scale));
      }
    });
    return () => cancelAnimationFrame(frame);
  }, [rects, bounds, scale, ox, oy]);

  const view = {
    left: ox + (-vp.x / vp.zoom - bounds.x) * scale,
    top: oy + (-vp.y / vp.zoom - bounds.y) * scale,
    width: (vp.width / vp.zoom) * scale,
    height: (vp.height / vp.zoom) * scale,
  };
  const moveTo = (e: PointerEvent<HTMLDivElement>) => {
    const r = e.currentTarget.getBoundingClientRect();
    const fx = bounds.x + (e.clientX - r.left - ox) / scale;
    const fy = bounds.y + (e.clientY - r.top - oy) / scale;
    void setCenter(fx, fy, { zoom: vp.zoom });
  };

  return (
    <Panel position="bottom-right">
      <div
        className="big-minimap" style={{ width: W, height: H }} data-testid="minimap"
        onPointerDown={(e) => { e.currentTarget.setPointerCapture(e.pointerId); moveTo(e); }}
        onPointerMove={(e) => e.buttons === 1 && moveTo(e)}
      >
        <canvas ref={canvas} width={W} height={H} />
        <div className="big-minimap-view" style={{ transform: `translate(${view.left}px, ${view.top}px)`, width: view.width, height: view.height }} />
      </div>
    </Panel>
  );
}
