// Export the diagram as PNG or SVG. The PNG is a picture of the canvas
// (html-to-image, loaded only when used); the SVG is drawn from the diagram
// itself as real shapes and text (svg/diagramSvg.ts), so other tools can edit it.
import { createElement } from 'react';
import { awsIconUrl } from '../icons/awsIcons';
import { GenericIcon } from '../icons/GenericIcon';
import type { IndexedCatalog } from '../schema/catalog';
import { absoluteRect, indexNodes, union } from './geometry';
import { diagramSvg, type SvgIcon } from './svg/diagramSvg';
import type { DiagramNode, FlowEdge } from './types';

/** diagramBounds is the box around every node, in canvas coordinates. */
export function diagramBounds(nodes: DiagramNode[]) {
  const byId = indexNodes(nodes);
  return nodes.length ? union(nodes.map((n) => absoluteRect(n, byId))) : { x: 0, y: 0, width: 200, height: 150 };
}

/** renderDiagram draws the whole diagram (not only what is on screen) as a PNG or SVG data URL. */
export async function renderDiagram(nodes: DiagramNode[], format: 'png' | 'svg', edges: FlowEdge[] = [], catalog: IndexedCatalog | null = null): Promise<string> {
  if (format === 'svg') {
    const icons = await loadIcons(nodes, catalog);
    const { svg } = diagramSvg(nodes, edges, { typeName: (t) => catalog?.typeById[t]?.name, icons });
    return `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;
  }
  const { toPng } = await import('html-to-image');
  const viewport = document.querySelector<HTMLElement>('.react-flow__viewport');
  if (!viewport) throw new Error('no diagram on screen');
  const pad = 40;
  const bounds = diagramBounds(nodes);
  // Full size (zoom 1) unless that exceeds 8000 px on a side.
  const zoom = Math.min(1, 8000 / (bounds.width + 2 * pad), 8000 / (bounds.height + 2 * pad));
  const width = Math.ceil((bounds.width + 2 * pad) * zoom);
  const height = Math.ceil((bounds.height + 2 * pad) * zoom);
  const vp = { x: (pad - bounds.x) * zoom, y: (pad - bounds.y) * zoom, zoom };
  return toPng(viewport, {
    backgroundColor: '#ffffff',
    width,
    height,
    style: { width: `${width}px`, height: `${height}px`, transform: `translate(${vp.x}px, ${vp.y}px) scale(${vp.zoom})` },
    // Resize handles are editing chrome, not part of the picture.
    filter: (el: HTMLElement) => !el.classList?.contains('react-flow__resize-control'),
  });
}

/**
 * loadIcons gets the icon of every type the diagram uses: AWS icons as
 * data URLs of their unmodified SVG files, generic icons as their paths.
 * An icon that cannot be fetched is left out (the name still says what it is).
 */
async function loadIcons(nodes: DiagramNode[], catalog: IndexedCatalog | null): Promise<Map<string, SvgIcon>> {
  const icons = new Map<string, SvgIcon>();
  const types = new Set(nodes.map((n) => n.data.type).filter((t): t is string => !!t));
  let render: ((el: ReturnType<typeof createElement>) => string) | undefined;
  for (const id of types) {
    const icon = catalog?.typeById[id]?.icon ?? 'generic/component';
    const url = icon.startsWith('generic/') ? undefined : awsIconUrl(icon);
    if (url) {
      try {
        const res = await fetch(url);
        if (!res.ok) continue;
        const bytes = new Uint8Array(await res.arrayBuffer());
        let bin = '';
        for (const b of bytes) bin += String.fromCharCode(b);
        icons.set(id, { href: `data:image/svg+xml;base64,${btoa(bin)}` });
      } catch {
        /* offline: no icon */
      }
      continue;
    }
    render ??= (await import('react-dom/server')).renderToStaticMarkup;
    const markup = render(createElement(GenericIcon, { icon, size: 48 }));
    const inner = markup.replace(/^<svg[^>]*>/, '').replace(/<\/svg>$/, '');
    icons.set(id, { markup: `<g color="#232f3e">${inner}</g>`, viewBox: '0 0 48 48' });
  }
  return icons;
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
