// Export the diagram as PNG or SVG. html-to-image is loaded only when used.
import { getNodesBounds, getViewportForBounds, type Node } from '@xyflow/react';

export async function renderDiagram(nodes: Node[], format: 'png' | 'svg'): Promise<string> {
  const { toPng, toSvg } = await import('html-to-image');
  const viewport = document.querySelector<HTMLElement>('.react-flow__viewport');
  if (!viewport) throw new Error('no diagram on screen');
  const pad = 40;
  const bounds = getNodesBounds(nodes);
  const width = Math.min(8000, Math.max(200, Math.ceil(bounds.width + 2 * pad)));
  const height = Math.min(8000, Math.max(150, Math.ceil(bounds.height + 2 * pad)));
  const vp = getViewportForBounds(bounds, width, height, 0.05, 2, pad);
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
