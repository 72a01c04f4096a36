// Node and edge types are defined once, at module scope, so React Flow never
// sees a new object and never remounts every node.
import type { EdgeTypes, NodeTypes } from '@xyflow/react';
import { ComponentNode } from './ComponentNode';
import { FlowEdge } from './FlowEdge';
import { GroupNode } from './GroupNode';

export const nodeTypes = { component: ComponentNode, groupBox: GroupNode } satisfies NodeTypes;
export const edgeTypes = { flow: FlowEdge } satisfies EdgeTypes;
