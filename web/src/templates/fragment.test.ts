import { describe, expect, it } from 'vitest';
import type { Diagram } from '../schema/types';
import { bounds, nestedFragment, templateFragment } from './fragment';

const seqIds = () => {
  let n = 0;
  return (p: string) => `${p}${++n}`;
};

const tpl: Diagram = {
  groups: [{ id: 'vpc', kind: 'container', type: 'aws.vpc', name: 'VPC', position: { x: 100, y: 50 }, size: { width: 300, height: 200 } }],
  components: [
    { id: 'a', type: 'aws.ec2', name: 'A', parent: 'vpc', position: { x: 20, y: 40 } },
    { id: 'b', type: 'aws.s3', name: 'B', position: { x: 500, y: 50 }, properties: { encrypted: true } },
  ],
  flows: [{ id: 'f', source: 'a', target: 'b', protocol: 'HTTPS', port: 443 }],
};

describe('templateFragment', () => {
  it('wraps the top level in a new group, with fresh ids and references', () => {
    const d = templateFragment(tpl, 'Web tier', { x: 10.4, y: 20.6 }, seqIds());
    const wrap = d.groups[0];
    expect(wrap).toMatchObject({ kind: 'group', name: 'Web tier', position: { x: 10, y: 21 } });
    const ids = [...d.groups, ...d.components, ...d.flows].map((x) => x.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).not.toContain('a');
    const vpc = d.groups[1];
    const [a, b] = d.components;
    expect(vpc.parent).toBe(wrap.id);
    expect(b.parent).toBe(wrap.id);
    expect(a.parent).toBe(vpc.id);
    expect(a.position).toEqual({ x: 20, y: 40 });
    // Top-level positions become relative to the wrapper, inside its padding and title.
    expect(vpc.position).toEqual({ x: 32, y: 60 });
    expect(b.position).toEqual({ x: 432, y: 60 });
    expect(b.properties).toEqual({ encrypted: true });
    expect(d.flows[0]).toMatchObject({ source: a.id, target: b.id, protocol: 'HTTPS', port: 443 });
    expect(wrap.size.width).toBe(bounds(tpl).width + 64);
  });

  it('does not share objects with the template', () => {
    const d = templateFragment(tpl, 'x', { x: 0, y: 0 }, seqIds());
    (d.components[1].properties as Record<string, unknown>).encrypted = false;
    expect(tpl.components[1].properties).toEqual({ encrypted: true });
  });
});

describe('nestedFragment', () => {
  it('is one threat-model component with import off', () => {
    const d = nestedFragment('tm-1', 'Payments', { x: 1, y: 2 }, seqIds());
    expect(d.components).toEqual([{ id: 'c1', type: 'generic.threat-model', name: 'Payments', position: { x: 1, y: 2 }, nestedModel: { modelId: 'tm-1', importThreats: false } }]);
  });
});
