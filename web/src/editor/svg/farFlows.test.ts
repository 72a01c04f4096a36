import { describe, expect, it } from 'vitest';
import type { DiagramNode, FlowEdge } from '../types';
import { farFlowsPath } from './farFlows';

describe('farFlowsPath', () => {
  it('draws each flow as a line between the box edges, children placed in their groups', () => {
    const nodes: DiagramNode[] = [
      { id: 'g', type: 'groupBox', position: { x: 100, y: 100 }, width: 400, height: 300, data: { kind: 'group', name: 'g' } },
      { id: 'a', type: 'component', position: { x: 0, y: 0 }, data: { type: 'aws.ec2', name: 'a' } },
      { id: 'b', type: 'component', position: { x: 20, y: 40 }, parentId: 'g', data: { type: 'aws.ec2', name: 'b' } },
    ];
    const edges: FlowEdge[] = [
      { id: 'f', source: 'a', target: 'b' },
      { id: 'gone', source: 'a', target: 'missing' },
      { id: 'hidden', source: 'b', target: 'a', hidden: true },
    ];
    // a is 96×84 at (0, 0); b at (120, 140).
    expect(farFlowsPath(nodes, edges)).toBe('M96 42L120 182');
  });
});
