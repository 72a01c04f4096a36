// Where a node's handles are before React Flow has measured it. Giving
// nodes a size and handle positions up front lets React Flow skip the
// "render everything once to measure it" pass, so a big diagram renders only
// what is on screen from the first frame (onlyRenderVisibleElements).
import type { NodeHandle } from '@xyflow/react';
import { COMPONENT_SIZE } from './types';

const HANDLE = 6;

/** sideHandles puts a target on the left and a source on the right, mid-height, as the node components draw them. */
export function sideHandles(width: number, height: number): NodeHandle[] {
  const y = height / 2 - HANDLE / 2;
  return [
    { type: 'target', position: 'left' as NodeHandle['position'], x: -HANDLE / 2, y, width: HANDLE, height: HANDLE },
    { type: 'source', position: 'right' as NodeHandle['position'], x: width - HANDLE / 2, y, width: HANDLE, height: HANDLE },
  ];
}

export const componentView = {
  initialWidth: COMPONENT_SIZE.width,
  initialHeight: COMPONENT_SIZE.height,
  handles: sideHandles(COMPONENT_SIZE.width, COMPONENT_SIZE.height),
};
