// The JSON keys of each document type, in Go declaration order. The Go
// structs in pkg/model/model.go are the source of truth; goTypes.test.ts
// compares these lists with their json tags.
import type {
  AWSResource, Component, Diagram, Flow, Group, IssueLink, ItemState, NestedRef, Point, Size, Summary, TemplateRef, ThreatModel,
} from './types';

/** keys<T>()(list) accepts a list only if it names every key of T (checked by the compiler). */
type Complete<T, L extends readonly (keyof T)[]> = [Exclude<keyof T, L[number]>] extends [never] ? L : { missing: Exclude<keyof T, L[number]> };
const keys =
  <T>() =>
  <const L extends readonly (keyof T)[]>(list: L & Complete<T, L>): L =>
    list;

export const FIELDS = {
  ThreatModel: keys<ThreatModel>()(['schemaVersion', 'id', 'tenant', 'name', 'description', 'version', 'projectType', 'priority', 'facing', 'labels', 'owner', 'createdAt', 'updatedAt', 'revision', 'properties', 'diagram', 'template', 'states']),
  TemplateRef: keys<TemplateRef>()(['id', 'version', 'name']),
  ItemState: keys<ItemState>()(['status', 'notes', 'updatedBy', 'updatedAt', 'issue']),
  IssueLink: keys<IssueLink>()(['instance', 'key', 'url', 'status', 'updatedAt']),
  Diagram: keys<Diagram>()(['components', 'flows', 'groups']),
  Point: keys<Point>()(['x', 'y']),
  Size: keys<Size>()(['width', 'height']),
  Component: keys<Component>()(['id', 'type', 'name', 'parent', 'position', 'size', 'properties', 'resource', 'nestedModel']),
  AWSResource: keys<AWSResource>()(['arn', 'resourceType', 'resourceId', 'accountId', 'region']),
  NestedRef: keys<NestedRef>()(['modelId', 'importThreats']),
  Flow: keys<Flow>()(['id', 'source', 'target', 'protocol', 'port', 'label', 'properties']),
  Group: keys<Group>()(['id', 'kind', 'name', 'type', 'parent', 'position', 'size', 'properties', 'resource']),
  Summary: keys<Summary>()(['id', 'name', 'version', 'projectType', 'priority', 'facing', 'labels', 'owner', 'createdAt', 'updatedAt', 'revision', 'componentCount', 'flowCount']),
} as const;

/** Keys that must be present in the JSON form (no omitempty in Go). */
export type FieldTable = typeof FIELDS;
