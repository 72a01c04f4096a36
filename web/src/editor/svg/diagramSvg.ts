// The diagram as plain SVG: groups as titled rectangles, components as an
// icon and a name, flows as paths with their protocol, all as <rect>,
// <path>, <text> and <use> of icon symbols — no HTML inside <foreignObject>,
// so draw.io, Lucid and Inkscape can edit every shape and word.
import { absoluteRect, indexNodes, union, type Rect } from '../geometry';
import type { DiagramNode, FlowEdge } from '../types';

/** SvgIcon is one icon: an image data URL (AWS icons) or SVG markup drawn in a 48×48 box (generic icons). */
export type SvgIcon = { href: string } | { markup: string; viewBox: string };

export interface SvgOptions {
  /** typeName names a catalog type ("Amazon EC2"); unknown ids are shown as they are. */
  typeName: (type: string) => string | undefined;
  /** icons maps a catalog type id to its icon; types without one get no icon. */
  icons: Map<string, SvgIcon>;
  /** pad is the margin around the drawing. */
  pad?: number;
}

/** escapeXml escapes text for SVG content and attribute values. */
export function escapeXml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

const n = (v: number) => String(Math.round(v * 10) / 10);

/** textWidth estimates the width of s in a sans-serif font of size px. */
export const textWidth = (s: string, size: number) => [...s].length * size * 0.56;

/** wrapLines breaks s into lines no wider than width at words; a single word longer than a line is split. */
export function wrapLines(s: string, width: number, size: number): string[] {
  const lines: string[] = [];
  let cur = '';
  for (let w of s.split(/\s+/).filter(Boolean)) {
    const tryLine = cur ? `${cur} ${w}` : w;
    if (textWidth(tryLine, size) <= width) {
      cur = tryLine;
      continue;
    }
    if (cur) lines.push(cur);
    while (textWidth(w, size) > width && [...w].length > 1) {
      const chars = [...w];
      let k = chars.length - 1;
      while (k > 1 && textWidth(chars.slice(0, k).join(''), size) > width) k--;
      lines.push(chars.slice(0, k).join(''));
      w = chars.slice(k).join('');
    }
    cur = w;
  }
  if (cur || lines.length === 0) lines.push(cur);
  return lines;
}

/** flowText is a flow's label as the canvas shows it: protocol, port and label. */
export function flowText(e: FlowEdge): string {
  const d = e.data;
  if (!d) return '';
  return `${d.protocol}${d.port ? `:${d.port}` : ''}${d.label ? ` · ${d.label}` : ''}`;
}

const GROUP_STYLE: Record<string, { stroke: string; fill: string; dash?: string }> = {
  group: { stroke: '#8c99aa', fill: '#f0f3f7', dash: '6 4' },
  container: { stroke: '#ed7100', fill: '#fff7ee' },
  boundary: { stroke: '#d91515', fill: '#fff0f0', dash: '6 4' },
};

/** diagramSvg draws nodes and edges as an SVG document of the whole diagram at zoom 1; edges hidden on the canvas are left out. */
export function diagramSvg(nodes: DiagramNode[], edges: FlowEdge[], opts: SvgOptions): { svg: string; width: number; height: number } {
  const pad = opts.pad ?? 40;
  const byId = indexNodes(nodes);
  const rects = new Map<string, Rect>(nodes.map((nd) => [nd.id, absoluteRect(nd, byId)]));
  const bounds = nodes.length ? union([...rects.values()]) : { x: 0, y: 0, width: 200, height: 150 };
  const width = Math.ceil(bounds.width + 2 * pad);
  const height = Math.ceil(bounds.height + 2 * pad);
  const X = (x: number) => x - bounds.x + pad;
  const Y = (y: number) => y - bounds.y + pad;
  const depth = (nd: DiagramNode) => {
    let d = 0;
    for (let p = nd.parentId ? byId.get(nd.parentId) : undefined; p && d < 100; p = p.parentId ? byId.get(p.parentId) : undefined) d++;
    return d;
  };
  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="Helvetica, Arial, sans-serif">`);

  // Icons once, as symbols; every component uses its type's.
  const used = new Map<string, string>();
  const defs: string[] = [];
  for (const nd of nodes) {
    const t = nd.data.type;
    if (!t || used.has(t)) continue;
    const icon = opts.icons.get(t);
    if (!icon) continue;
    const id = `icon-${used.size}`;
    used.set(t, id);
    defs.push('href' in icon
      ? `<symbol id="${id}" viewBox="0 0 48 48"><image width="48" height="48" href="${escapeXml(icon.href)}" xlink:href="${escapeXml(icon.href)}"/></symbol>`
      : `<symbol id="${id}" viewBox="${escapeXml(icon.viewBox)}">${icon.markup}</symbol>`);
  }
  if (defs.length) out.push(`<defs>${defs.join('')}</defs>`);
  out.push(`<rect width="${width}" height="${height}" fill="#ffffff"/>`);

  const groups = nodes.filter((nd) => nd.type === 'groupBox').sort((a, b) => depth(a) - depth(b));
  for (const g of groups) {
    if (g.type !== 'groupBox') continue;
    const r = rects.get(g.id)!;
    const st = GROUP_STYLE[g.data.kind] ?? GROUP_STYLE.group;
    const type = g.data.type ? (opts.typeName(g.data.type) ?? g.data.type) : g.data.kind === 'boundary' ? 'trust boundary' : '';
    const name = g.data.name || type || 'Group';
    const iconId = g.data.kind === 'container' && g.data.type ? used.get(g.data.type) : undefined;
    const tx = X(r.x) + (iconId ? 32 : 8);
    out.push(`<g id="${escapeXml(g.id)}"><title>${escapeXml(name)}${type && type !== name ? ` (${escapeXml(type)})` : ''}</title>`);
    out.push(`<rect x="${n(X(r.x))}" y="${n(Y(r.y))}" width="${n(r.width)}" height="${n(r.height)}" rx="8" fill="${st.fill}" fill-opacity="0.5" stroke="${st.stroke}" stroke-width="2"${st.dash ? ` stroke-dasharray="${st.dash}"` : ''}/>`);
    if (iconId) out.push(`<use href="#${iconId}" xlink:href="#${iconId}" x="${n(X(r.x) + 8)}" y="${n(Y(r.y) + 4)}" width="20" height="20"/>`);
    out.push(`<text x="${n(tx)}" y="${n(Y(r.y) + 18)}" font-size="12" font-weight="600" fill="#16191f">${escapeXml(name)}${type && type !== name ? `<tspan font-weight="400" fill="#5f6b7a"> ${escapeXml(type)}</tspan>` : ''}</text></g>`);
  }

  for (const e of edges) {
    if (e.hidden) continue; // hidden on the canvas (e.g. inferred flows switched off): not in the picture either
    const s = rects.get(e.source);
    const t = rects.get(e.target);
    if (!s || !t) continue;
    const sx = X(s.x + s.width), sy = Y(s.y + s.height / 2), tx = X(t.x), ty = Y(t.y + t.height / 2);
    const dx = Math.max(Math.abs(tx - sx) / 2, 25);
    const text = flowText(e);
    out.push(`<g id="${escapeXml(e.id)}"><path d="M${n(sx)} ${n(sy)}C${n(sx + dx)} ${n(sy)} ${n(tx - dx)} ${n(ty)} ${n(tx)} ${n(ty)}" fill="none" stroke="#5f6b7a" stroke-width="1.5"/>`);
    out.push(`<path d="M${n(tx)} ${n(ty)}l-9 -4.5v9z" fill="#5f6b7a"/>`);
    if (text) {
      const lx = (sx + tx) / 2, ly = (sy + ty) / 2, w = textWidth(text, 11) + 12;
      out.push(`<rect x="${n(lx - w / 2)}" y="${n(ly - 9)}" width="${n(w)}" height="18" rx="4" fill="#ffffff" stroke="#b5d3f5"/>`);
      out.push(`<text x="${n(lx)}" y="${n(ly + 4)}" font-size="11" text-anchor="middle" fill="#16191f">${escapeXml(text)}</text>`);
    }
    out.push('</g>');
  }

  for (const c of nodes) {
    if (c.type !== 'component') continue;
    const r = rects.get(c.id)!;
    const type = opts.typeName(c.data.type) ?? c.data.type;
    const iconId = used.get(c.data.type);
    const cx = X(r.x + r.width / 2);
    out.push(`<g id="${escapeXml(c.id)}"><title>${escapeXml(c.data.name)} (${escapeXml(type)})</title>`);
    out.push(`<rect x="${n(X(r.x))}" y="${n(Y(r.y))}" width="${n(r.width)}" height="${n(r.height)}" rx="8" fill="#ffffff" fill-opacity="0.92"/>`);
    if (iconId) out.push(`<use href="#${iconId}" xlink:href="#${iconId}" x="${n(cx - 22)}" y="${n(Y(r.y) + 6)}" width="44" height="44"/>`);
    const lines = wrapLines(c.data.name, r.width - 4, 11);
    out.push(`<text font-size="11" text-anchor="middle" fill="#16191f">`);
    lines.forEach((l, i) => out.push(`<tspan x="${n(cx)}" y="${n(Y(r.y) + 63 + i * 13)}">${escapeXml(l)}</tspan>`));
    out.push('</text></g>');
  }
  out.push('</svg>');
  return { svg: out.join(''), width, height };
}
