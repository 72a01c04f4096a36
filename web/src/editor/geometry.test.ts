import { getViewportForBounds } from '@xyflow/react';
import { describe, expect, it } from 'vitest';
import { fittedViewport } from './geometry';
import { FIT } from './layout/useTidy';
import { fromDiagram } from './mapping';

describe('fittedViewport', () => {
  it('fits the absolute bounds of every node at their declared or default size, as fitView does', () => {
    const { nodes } = fromDiagram({
      components: [
        { id: 'c1', type: 'aws.ec2', name: 'In group', parent: 'g1', position: { x: 40, y: 60 } },
        { id: 'c2', type: 'aws.s3', name: 'Far', position: { x: 3000, y: 2000 }, size: { width: 120, height: 90 } },
      ],
      flows: [],
      groups: [{ id: 'g1', kind: 'group', name: 'G', position: { x: -500, y: -400 }, size: { width: 300, height: 200 } }],
    });
    // From the group's corner to the sized component's far corner.
    const bounds = { x: -500, y: -400, width: 3120 + 500, height: 2090 + 400 };
    expect(fittedViewport(nodes, 1000, 700, FIT)).toEqual(getViewportForBounds(bounds, 1000, 700, FIT.minZoom, FIT.maxZoom, FIT.padding));
  });

  it('is null with nothing to fit or no pane', () => {
    expect(fittedViewport([], 1000, 700, FIT)).toBeNull();
    const { nodes } = fromDiagram({ components: [{ id: 'c1', type: 'aws.ec2', name: 'A', position: { x: 0, y: 0 } }], flows: [], groups: [] });
    expect(fittedViewport(nodes, 0, 700, FIT)).toBeNull();
  });
});
