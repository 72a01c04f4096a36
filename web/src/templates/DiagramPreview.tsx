import { useMemo } from 'react';
import type { Diagram } from '../schema/types';
import { previewLayout } from './preview';

/** DiagramPreview draws a read-only sketch of a diagram: groups, components and flows (no React Flow). */
export function DiagramPreview({ diagram, label }: { diagram: Diagram; label: string }) {
  const l = useMemo(() => previewLayout(diagram), [diagram]);
  const v = l.viewBox;
  return (
    <svg className="diagram-preview" viewBox={`${v.x} ${v.y} ${v.width} ${v.height}`} role="img" aria-label={label} data-testid="template-preview">
      {l.boxes.filter((b) => b.kind !== 'component').map((b) => (
        <g key={b.id} data-testid="preview-group">
          <rect x={b.x} y={b.y} width={b.width} height={b.height} rx={8} className={`pv-group pv-${b.kind}`} />
          <text x={b.x + 8} y={b.y + 18} className="pv-group-name">{b.name}</text>
        </g>
      ))}
      {l.lines.map((ln) => <line key={ln.id} x1={ln.x1} y1={ln.y1} x2={ln.x2} y2={ln.y2} className="pv-flow" />)}
      {l.boxes.filter((b) => b.kind === 'component').map((b) => (
        <g key={b.id} data-testid="preview-component" data-type={b.type}>
          <rect x={b.x} y={b.y} width={b.width} height={b.height} rx={8} className="pv-component" />
          <text x={b.x + b.width / 2} y={b.y + b.height / 2 + 4} textAnchor="middle" className="pv-name">
            {b.name.length > 16 ? `${b.name.slice(0, 15)}…` : b.name}
          </text>
        </g>
      ))}
    </svg>
  );
}
