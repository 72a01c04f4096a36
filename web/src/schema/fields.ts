// The JSON keys of each document type, in Go declaration order. The Go
// structs in pkg/model/model.go are the source of truth; goTypes.test.ts
// compares these lists with their json tags.
import type {
  AWSResource, Component, CustomItem, Diagram, Flow, Group, IssueLink, ItemState, NestedRef, Point, Size, Summary, TemplateRef, ThreatModel,
} from './types';

/** keys<T>()(list) accepts a list only if it names every key of T (checked by the compiler). */
type Complete<T, L extends readonly (keyof T)[]> = [Exclude<keyof T, L[number]>] extends [never] ? L : { missing: Exclude<keyof T, L[number]> };
const keys =
  <T>() =>
  <const L extends readonly (keyof T)[]>(list: L & Complete<T, L>): L =>
    list;

export const FIELDS = {
  ThreatModel: keys<ThreatModel>()(['schemaVersion', 'id', 'tenant', 'name', 'description', 'version', 'projectType', 'priority', 'facing', 'labels', 'owner', 'createdAt', 'updatedAt', 'revision', 'properties', 'diagram', 'template', 'custom', 'states']),
  TemplateRef: keys<TemplateRef>()(['id', 'version', 'name']),
  CustomItem: keys<CustomItem>()(['kind', 'id', 'title', 'description', 'stride', 'severity', 'status', 'notes', 'elements', 'links', 'source']),
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

/** RequiredKeys are the keys of T that are not optional. */
type RequiredKeys<T> = { [K in keyof T]-?: object extends Pick<T, K> ? never : K }[keyof T];
type Exactly<T, L extends readonly (keyof T)[]> = [Exclude<RequiredKeys<T>, L[number]>, Exclude<L[number], RequiredKeys<T>>] extends [never, never]
  ? L
  : { missing: Exclude<RequiredKeys<T>, L[number]>; notRequired: Exclude<L[number], RequiredKeys<T>> };
const required =
  <T>() =>
  <const L extends readonly (keyof T)[]>(list: L & Exactly<T, L>): L =>
    list;

/** REQUIRED lists the non-optional keys of each type (checked by the compiler against the interfaces). */
export const REQUIRED = {
  ThreatModel: required<ThreatModel>()(['schemaVersion', 'id', 'name', 'projectType', 'priority', 'facing', 'createdAt', 'updatedAt', 'revision', 'diagram']),
  TemplateRef: required<TemplateRef>()(['id', 'version']),
  CustomItem: required<CustomItem>()(['kind', 'id', 'title']),
  ItemState: required<ItemState>()([]),
  IssueLink: required<IssueLink>()(['instance', 'key']),
  Diagram: required<Diagram>()(['components', 'flows', 'groups']),
  Point: required<Point>()(['x', 'y']),
  Size: required<Size>()(['width', 'height']),
  Component: required<Component>()(['id', 'type', 'name', 'position']),
  AWSResource: required<AWSResource>()([]),
  NestedRef: required<NestedRef>()(['modelId', 'importThreats']),
  Flow: required<Flow>()(['id', 'source', 'target', 'protocol']),
  Group: required<Group>()(['id', 'kind', 'name', 'position', 'size']),
  Summary: required<Summary>()(['id', 'name', 'projectType', 'priority', 'facing', 'createdAt', 'updatedAt', 'revision', 'componentCount', 'flowCount']),
} as const;

/**
 * STORE_OWNED are required in the documents the server returns but not in
 * what a client sends: the store assigns them.
 */
export const STORE_OWNED: readonly string[] = ['createdAt', 'updatedAt', 'revision'];
