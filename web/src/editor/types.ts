// React Flow node and edge kinds of the diagram editor: a discriminated union
// keyed by the node's `type`.
import type { Edge, Node } from '@xyflow/react';
import type { AWSResource, GroupKind, NestedRef, Properties } from '../schema/types';

export type ComponentData = {
  type: string;
  name: string;
  properties?: Properties;
  resource?: AWSResource;
  nestedModel?: NestedRef;
  /** hasSize is true when the document gave the component an explicit size. */
  hasSize?: boolean;
};

export type GroupData = {
  kind: GroupKind;
  name: string;
  /** type is the catalog type a container stands for. */
  type?: string;
  properties?: Properties;
  resource?: AWSResource;
};

export type FlowData = {
  protocol: string;
  port?: number;
  label?: string;
  properties?: Properties;
};

export type ComponentNode = Node<ComponentData, 'component'>;
export type GroupNode = Node<GroupData, 'groupBox'>;
export type DiagramNode = ComponentNode | GroupNode;
export type FlowEdge = Edge<FlowData, 'flow'>;

/** Graph is the editable state of a diagram: what undo/redo snapshots. */
export interface Graph {
  nodes: DiagramNode[];
  edges: FlowEdge[];
}

/** Default on-canvas sizes, used before React Flow has measured a node. */
export const COMPONENT_SIZE = { width: 96, height: 84 } as const;
export const GROUP_MIN = { width: 200, height: 140 } as const;
export const GROUP_PADDING = 32;
export const GROUP_TITLE = 28;

/** FLOW_MARKER is the arrowhead of every flow (React Flow's 'arrowclosed'). */
export const FLOW_MARKER = { type: 'arrowclosed' } as FlowEdge['markerEnd'];
