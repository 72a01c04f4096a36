// The JSON keys of each document type, in Go declaration order. The Go
// structs in pkg/model/model.go are the source of truth; goTypes.test.ts
// compares these lists with their json tags.
import type {
  AWSResource, Component, Diagram, Flow, Group, ItemState, NestedRef, Point, Size, Summary, ThreatModel,
} from './types';

type Keys<T> = readonly (keyof T)[];

export const FIELDS = {
  ThreatModel: ['schemaVersion', 'id', 'tenant', 'name', 'description', 'version', 'projectType', 'priority', 'facing', 'labels', 'owner', 'createdAt', 'updatedAt', 'revision', 'properties', 'diagram', 'states'] satisfies Keys<ThreatModel>,
  ItemState: ['status', 'notes', 'updatedBy', 'updatedAt'] satisfies Keys<ItemState>,
  Diagram: ['components', 'flows', 'groups'] satisfies Keys<Diagram>,
  Point: ['x', 'y'] satisfies Keys<Point>,
  Size: ['width', 'height'] satisfies Keys<Size>,
  Component: ['id', 'type', 'name', 'parent', 'position', 'size', 'properties', 'resource', 'nestedModel'] satisfies Keys<Component>,
  AWSResource: ['arn', 'resourceType', 'resourceId', 'accountId', 'region'] satisfies Keys<AWSResource>,
  NestedRef: ['modelId', 'importThreats'] satisfies Keys<NestedRef>,
  Flow: ['id', 'source', 'target', 'protocol', 'port', 'label', 'properties'] satisfies Keys<Flow>,
  Group: ['id', 'kind', 'name', 'type', 'parent', 'position', 'size', 'properties', 'resource'] satisfies Keys<Group>,
  Summary: ['id', 'name', 'version', 'projectType', 'priority', 'facing', 'labels', 'owner', 'createdAt', 'updatedAt', 'revision', 'componentCount', 'flowCount'] satisfies Keys<Summary>,
} as const;

/** Keys that must be present in the JSON form (no omitempty in Go). */
export type FieldTable = typeof FIELDS;
