import { describe, expect, it } from 'vitest';
import type { Diagram } from '../schema/types';
import { fromDiagram, toDiagram } from './mapping';

const doc: Diagram = {
  components: [
    { id: 'c1', type: 'aws.ec2', name: 'Web', parent: 'g2', position: { x: 40, y: 60 }, properties: { instanceType: 't3.large', tags: ['a', 'b'] } },
    { id: 'c2', type: 'aws.alb', name: 'ALB', position: { x: -100, y: 20 }, size: { width: 120, height: 90 }, resource: { arn: 'arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/x/1', accountId: '123456789012' } },
    { id: 'c3', type: 'generic.browser', name: 'User', position: { x: 0, y: 0 }, nestedModel: { modelId: 'm2', importThreats: true } },
  ],
  flows: [
    { id: 'f1', source: 'c2', target: 'c1', protocol: 'https', port: 443 },
    { id: 'f2', source: 'c3', target: 'g1', protocol: 'http', label: 'browse', properties: { auth: 'none' } },
  ],
  groups: [
    // The child is listed before its parent: React Flow needs the opposite.
    { id: 'g2', kind: 'group', name: 'Inner', parent: 'g1', position: { x: 10, y: 30 }, size: { width: 200, height: 150 } },
    { id: 'g1', kind: 'container', name: 'Host', type: 'aws.ec2', position: { x: 300, y: 100 }, size: { width: 400, height: 300 }, properties: { imdsv2: true } },
  ],
};

describe('document mapping', () => {
  it('puts parents before children and keeps relative positions', () => {
    const g = fromDiagram(doc);
    expect(g.nodes.map((n) => n.id)).toEqual(['g1', 'g2', 'c1', 'c2', 'c3']);
    const c1 = g.nodes.find((n) => n.id === 'c1')!;
    expect(c1.parentId).toBe('g2');
    expect(c1.position).toEqual({ x: 40, y: 60 });
    const g1 = g.nodes.find((n) => n.id === 'g1')!;
    expect(g1).toMatchObject({ type: 'groupBox', width: 400, height: 300, data: { kind: 'container', type: 'aws.ec2' } });
  });

  it('maps flows to edges that carry protocol and port', () => {
    const g = fromDiagram(doc);
    expect(g.edges[0]).toMatchObject({ id: 'f1', type: 'flow', source: 'c2', target: 'c1', data: { protocol: 'https', port: 443 } });
  });

  it('round-trips every field the document holds', () => {
    const back = toDiagram(fromDiagram(doc));
    expect(back.components).toEqual(doc.components);
    expect(back.flows).toEqual(doc.flows);
    expect(back.groups).toEqual([doc.groups[1], doc.groups[0]]);
    // and a second trip is byte-identical
    expect(JSON.stringify(toDiagram(fromDiagram(back)))).toBe(JSON.stringify(back));
  });

  it('drops view-only state: selection, measurements, empty properties', () => {
    const g = fromDiagram(doc);
    g.nodes = g.nodes.map((n) => ({ ...n, selected: true, measured: { width: 1, height: 2 }, dragging: true }));
    g.nodes[4] = { ...g.nodes[4], data: { ...g.nodes[4].data, properties: {} } } as typeof g.nodes[4];
    const back = toDiagram(g);
    expect(back.components[2]).toEqual({ id: 'c3', type: 'generic.browser', name: 'User', position: { x: 0, y: 0 }, nestedModel: { modelId: 'm2', importThreats: true } });
    expect(JSON.stringify(back)).not.toContain('selected');
  });

  it('drops the type of a group that is no longer a container', () => {
    const g = fromDiagram(doc);
    const n = g.nodes[0];
    g.nodes[0] = { ...n, data: { ...n.data, kind: 'group' } } as typeof n;
    expect(toDiagram(g).groups[0].type).toBeUndefined();
  });

  it('accepts a diagram with missing arrays', () => {
    expect(fromDiagram({} as Diagram)).toEqual({ nodes: [], edges: [] });
    expect(toDiagram({ nodes: [], edges: [] })).toEqual({ components: [], flows: [], groups: [] });
  });
});
