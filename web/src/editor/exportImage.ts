// Export the diagram as PNG or SVG. html-to-image is loaded only when used.
import { absoluteRect, indexNodes, union } from './geometry';
import type { DiagramNode } from './types';

/** diagramBounds is the box around every node, in canvas coordinates. */
export function diagramBounds(nodes: DiagramNode[]) {
  const byId = indexNodes(nodes);
  return nodes.length ? union(nodes.map((n) => absoluteRect(n, byId))) : { x: 0, y: 0, width: 200, height: 150 };
}

/** renderDiagram draws the whole diagram (not only what is on screen) as a PNG or SVG data URL. */
export async function renderDiagram(nodes: DiagramNode[], format: 'png' | 'svg'): Promise<string> {
  const { toPng, toSvg } = await import('html-to-image');
  const viewport = document.querySelector<HTMLElement>('.react-flow__viewport');
  if (!viewport) throw new Error('no diagram on screen');
  const pad = 40;
  const bounds = diagramBounds(nodes);
  // Full size (zoom 1) unless that exceeds 8000 px on a side.
  const zoom = Math.min(1, 8000 / (bounds.width + 2 * pad), 8000 / (bounds.height + 2 * pad));
  const width = Math.ceil((bounds.width + 2 * pad) * zoom);
  const height = Math.ceil((bounds.height + 2 * pad) * zoom);
  const vp = { x: (pad - bounds.x) * zoom, y: (pad - bounds.y) * zoom, zoom };
  const opts = {
    backgroundColor: '#ffffff',
    width,
    height,
    style: { width: `${width}px`, height: `${height}px`, transform: `translate(${vp.x}px, ${vp.y}px) scale(${vp.zoom})` },
    // Resize handles are editing chrome, not part of the picture.
    filter: (el: HTMLElement) => !el.classList?.contains('react-flow__resize-control'),
  };
  return format === 'png' ? toPng(viewport, opts) : toSvg(viewport, opts);
}

export function download(dataUrl: string, filename: string): void {
  const a = document.createElement('a');
  a.href = dataUrl;
  a.download = filename;
  document.body.appendChild(a);
  a.click();
  a.remove();
}

export function safeFilename(name: string): string {
  return (name.trim() || 'diagram').replace(/[^\w.-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 80) || 'diagram';
}
