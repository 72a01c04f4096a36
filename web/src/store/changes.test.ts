import { describe, expect, it } from 'vitest';
import type { DiagramNode, FlowEdge } from '../editor/types';
import { applyEdgeChanges, applyNodeChanges } from './changes';

const nodes: DiagramNode[] = [
  { id: 'a', type: 'component', position: { x: 0, y: 0 }, data: { type: 'aws.ec2', name: 'A' } },
  { id: 'g', type: 'groupBox', position: { x: 0, y: 0 }, width: 100, height: 100, data: { kind: 'group', name: 'G' } },
];

describe('applying React Flow changes', () => {
  it('moves, selects and measures without touching other nodes', () => {
    const out = applyNodeChanges(
      [
        { type: 'position', id: 'a', position: { x: 5, y: 6 }, dragging: true },
        { type: 'select', id: 'a', selected: true },
        { type: 'dimensions', id: 'g', dimensions: { width: 300, height: 200 }, setAttributes: true, resizing: true },
      ],
      nodes,
    );
    expect(out[0]).toMatchObject({ position: { x: 5, y: 6 }, dragging: true, selected: true });
    expect(out[1]).toMatchObject({ width: 300, height: 200, measured: { width: 300, height: 200 }, resizing: true });
    expect(nodes[0].position).toEqual({ x: 0, y: 0 }); // inputs are not mutated
  });
  it('measuring alone does not set width and height', () => {
    const out = applyNodeChanges([{ type: 'dimensions', id: 'a', dimensions: { width: 96, height: 84 } }], nodes);
    expect(out[0].width).toBeUndefined();
    expect(out[0].measured).toEqual({ width: 96, height: 84 });
  });
  it('removes, adds and replaces', () => {
    const add: DiagramNode = { id: 'b', type: 'component', position: { x: 1, y: 1 }, data: { type: 'aws.ec2', name: 'B' } };
    const out = applyNodeChanges([{ type: 'remove', id: 'a' }, { type: 'add', item: add }], nodes);
    expect(out.map((n) => n.id)).toEqual(['g', 'b']);
    const rep = applyNodeChanges([{ type: 'replace', id: 'b', item: { ...add, data: { type: 'aws.ec2', name: 'B2' } } }], out);
    expect(rep[1].data.name).toBe('B2');
  });
  it('selects edges and keeps the array when nothing changes', () => {
    const edges: FlowEdge[] = [{ id: 'f', source: 'a', target: 'b', type: 'flow', data: { protocol: 'https' } }];
    expect(applyEdgeChanges([], edges)).toBe(edges);
    expect(applyEdgeChanges([{ type: 'select', id: 'f', selected: true }], edges)[0].selected).toBe(true);
  });
});
