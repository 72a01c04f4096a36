import { describe, expect, it } from 'vitest';
import type { DiagramNode, FlowEdge } from '../types';
import { diagramSvg, escapeXml, wrapLines } from './diagramSvg';

const comp = (id: string, name: string, x: number, y: number, parentId?: string): DiagramNode => ({
  id, type: 'component', position: { x, y }, parentId, data: { type: 'aws.ec2', name },
});
const group = (id: string, name: string, kind: 'group' | 'container' | 'boundary', x: number, y: number, w: number, h: number, parentId?: string): DiagramNode => ({
  id, type: 'groupBox', position: { x, y }, parentId, width: w, height: h, data: { kind, name, type: kind === 'container' ? 'aws.vpc' : undefined },
});
const flow = (id: string, source: string, target: string): FlowEdge => ({ id, source, target, type: 'flow', data: { protocol: 'HTTPS', port: 443 } });

/** texts returns the content of every <text>, its tspans joined by spaces, entities decoded. */
function texts(svg: string): string[] {
  return [...svg.matchAll(/<text[^>]*>(.*?)<\/text>/g)].map((m) =>
    m[1].replace(/<\/tspan><tspan[^>]*>/g, ' ').replace(/<[^>]+>/g, '').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&'),
  );
}

const opts = { typeName: (t: string) => ({ 'aws.ec2': 'Amazon EC2', 'aws.vpc': 'Amazon VPC' })[t], icons: new Map([['aws.ec2', { href: 'data:image/svg+xml;base64,PHN2Zy8+' }]]) };

describe('diagramSvg', () => {
  it('draws shapes and text, never HTML in foreignObject', () => {
    const nodes = [group('vpc', 'shop-vpc', 'container', 100, 100, 500, 300), comp('a', 'Application Load Balancer', 40, 60, 'vpc'), comp('b', 'web-1', 300, 60, 'vpc'), comp('u', 'Users', 0, 150)];
    const { svg, width, height } = diagramSvg(nodes, [flow('f', 'a', 'b')], opts);
    expect(svg).not.toMatch(/foreignObject/);
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect([width, height]).toEqual([600 + 80, 300 + 80]);
    const t = texts(svg);
    for (const name of ['Application Load Balancer', 'web-1', 'Users', 'HTTPS:443']) expect(t).toContain(name);
    expect(t.some((s) => s.startsWith('shop-vpc') && s.includes('Amazon VPC'))).toBe(true);
    // The group is a titled rectangle; the icon is defined once and used twice.
    expect(svg).toMatch(/<g id="vpc"><title>shop-vpc \(Amazon VPC\)<\/title><rect /);
    expect(svg.match(/<symbol /g)).toHaveLength(1);
    expect(svg.match(/<use href="#icon-0"/g)).toHaveLength(3);
    // A child is placed inside its parent: a at (140, 160) on the canvas, the drawing starts at (0, 100), plus 40 of margin.
    expect(svg).toMatch(/<g id="a"><title>[^<]*<\/title><rect x="180" y="100"/);
  });

  it('leaves out flows hidden on the canvas', () => {
    const nodes = [comp('a', 'a', 0, 0), comp('b', 'b', 300, 0)];
    const { svg } = diagramSvg(nodes, [{ ...flow('f', 'a', 'b'), hidden: true }], opts);
    expect(texts(svg)).not.toContain('HTTPS:443');
    expect(svg).not.toContain('<g id="f">');
  });

  it('escapes names', () => {
    const { svg } = diagramSvg([comp('x"', '<script> & "q"', 0, 0)], [], opts);
    expect(svg).not.toContain('<script>');
    expect(texts(svg).join(' ')).toContain('<script> & "q"');
    expect(escapeXml(`<a href='x'>&</a>`)).toBe('&lt;a href=&#39;x&#39;&gt;&amp;&lt;/a&gt;');
  });

  it('stays small for a large model', () => {
    const nodes: DiagramNode[] = [];
    const edges: FlowEdge[] = [];
    for (let i = 0; i < 768; i++) {
      nodes.push(comp(`c${i}`, `shop-service-${i}`, (i % 40) * 140, Math.floor(i / 40) * 120));
      if (i) edges.push(flow(`f${i}`, `c${i - 1}`, `c${i}`));
    }
    const { svg } = diagramSvg(nodes, edges, opts);
    // 3.2 MB with html-to-image; a few hundred bytes per element here.
    expect(svg.length).toBeLessThan(768 * 900);
    expect(texts(svg).filter((s) => s.startsWith('shop-service-'))).toHaveLength(768);
  });
});

describe('wrapLines', () => {
  it('breaks at words and splits only words longer than a line', () => {
    expect(wrapLines('Application Load Balancer', 92, 11)).toEqual(['Application', 'Load Balancer']);
    expect(wrapLines('x', 92, 11)).toEqual(['x']);
    expect(wrapLines('', 92, 11)).toEqual(['']);
    const long = wrapLines('shop-microservices-orders-service', 92, 11);
    expect(long.join('')).toBe('shop-microservices-orders-service');
    expect(long.length).toBeGreaterThan(1);
  });
});
