// The threat model document format under the names the app uses. The types
// are generated from pkg/model/schema/threatmodel.schema.json, the schema
// the Go side validates documents against, into document.gen.ts (`npm run
// gen:types`; document.test.ts fails when it is stale). Here they get the
// app's names, and the lists the app offers as choices.
import type * as Doc from './document.gen';
import type { Diagram } from './document.gen';

export type { AWSResource, Component, CustomItem, Diagram, Flow, Group, IssueLink, ItemState, JsonValue, NestedRef, Point, Properties, Size, TemplateRef } from './document.gen';

export type Priority = Doc.BulwarkThreatModel['priority'];
export const PRIORITIES = ['Very High', 'High', 'Medium', 'Low', 'Very Low'] as const satisfies readonly Priority[];

export type Facing = Doc.BulwarkThreatModel['facing'];

/** PROJECT_TYPES are the project types the app offers (the schema takes any name). */
export const PROJECT_TYPES = [
  'AWS Cloud Application',
  'Web Application',
  'Mobile Application',
  'Infrastructure',
  'IoT',
  'Other',
] as const;

export type GroupKind = Doc.Group['kind'];
export const GROUP_KINDS = ['group', 'container', 'boundary'] as const satisfies readonly GroupKind[];

/** StoreOwned are the fields the store sets: optional in what a client sends, always there in what the server returns. */
type StoreOwned = 'createdAt' | 'updatedAt' | 'revision';

/** ThreatModel is a document as the server returns it. */
export type ThreatModel = Doc.BulwarkThreatModel & Required<Pick<Doc.BulwarkThreatModel, StoreOwned>>;

/** NewThreatModel is what POST /models accepts: the server assigns the rest. */
export type NewThreatModel = Pick<ThreatModel, 'schemaVersion' | 'name' | 'projectType' | 'priority' | 'facing' | 'diagram'> &
  Partial<Pick<ThreatModel, 'version' | 'labels' | 'description' | 'owner'>>;

/** Summary is a row of GET /models: the schema's Summary with its priority and exposure narrowed to the document's. */
export type Summary = Doc.Summary & Pick<ThreatModel, 'priority' | 'facing'>;

export const SCHEMA_VERSION = 1;

export function emptyDiagram(): Diagram {
  return { components: [], flows: [], groups: [] };
}
