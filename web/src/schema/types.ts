// The threat model document format, as defined by pkg/model/model.go.
// fields.ts lists the JSON keys of each type; goTypes.test.ts checks them
// against the Go struct tags so the two sides cannot drift apart.

/** A JSON value, as carried by properties. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

export type Properties = Record<string, JsonValue>;

export const PRIORITIES = ['Very High', 'High', 'Medium', 'Low', 'Very Low'] as const;
export type Priority = (typeof PRIORITIES)[number];

export type Facing = 'internal' | 'public';

export const PROJECT_TYPES = [
  'AWS Cloud Application',
  'Web Application',
  'Mobile Application',
  'Infrastructure',
  'IoT',
  'Other',
] as const;

export interface Point {
  x: number;
  y: number;
}

export interface Size {
  width: number;
  height: number;
}

export interface AWSResource {
  arn?: string;
  resourceType?: string;
  resourceId?: string;
  accountId?: string;
  region?: string;
}

export interface NestedRef {
  modelId: string;
  importThreats: boolean;
}

export interface Component {
  id: string;
  type: string;
  name: string;
  parent?: string;
  position: Point;
  size?: Size;
  properties?: Properties;
  resource?: AWSResource;
  nestedModel?: NestedRef;
}

export interface Flow {
  id: string;
  source: string;
  target: string;
  protocol: string;
  port?: number;
  label?: string;
  /** Free-form; a flow the Accelerator inferred from a security-group rule has inferred: true and inferredBy (editor/InferredToggle.tsx). */
  properties?: Properties;
}

export const GROUP_KINDS = ['group', 'container', 'boundary'] as const;
export type GroupKind = (typeof GROUP_KINDS)[number];

export interface Group {
  id: string;
  kind: GroupKind;
  name: string;
  type?: string;
  parent?: string;
  position: Point;
  size: Size;
  properties?: Properties;
  resource?: AWSResource;
}

export interface Diagram {
  components: Component[];
  flows: Flow[];
  groups: Group[];
}

export interface IssueLink {
  instance: string;
  key: string;
  url?: string;
  status?: string;
  updatedAt?: string;
}

export interface ItemState {
  status?: string;
  notes?: string;
  updatedBy?: string;
  updatedAt?: string;
  issue?: IssueLink;
}

/** CustomItem is a threat or mitigation not from the knowledge base (e.g. imported). */
export interface CustomItem {
  kind: 'threat' | 'mitigation';
  id: string;
  title: string;
  description?: string;
  stride?: string[];
  severity?: string;
  status?: string;
  notes?: string;
  elements?: string[];
  links?: string[];
  source?: string;
}

export interface TemplateRef {
  id: string;
  version: number;
  name?: string;
}

export interface ThreatModel {
  schemaVersion: number;
  id: string;
  tenant?: string;
  name: string;
  description?: string;
  version?: string;
  projectType: string;
  priority: Priority;
  facing: Facing;
  labels?: string[];
  owner?: string;
  createdAt: string;
  updatedAt: string;
  revision: number;
  properties?: Record<string, string>;
  diagram: Diagram;
  template?: TemplateRef;
  custom?: CustomItem[];
  states?: Record<string, ItemState>;
}

/** NewThreatModel is what POST /models accepts: the server assigns the rest. */
export type NewThreatModel = Pick<ThreatModel, 'name' | 'projectType' | 'priority' | 'facing'> &
  Partial<Pick<ThreatModel, 'version' | 'labels' | 'description' | 'owner'>> & {
    schemaVersion: number;
    diagram: Diagram;
  };

export interface Summary {
  id: string;
  name: string;
  version?: string;
  projectType: string;
  priority: Priority;
  facing: Facing;
  labels?: string[];
  owner?: string;
  createdAt: string;
  updatedAt: string;
  revision: number;
  componentCount: number;
  flowCount: number;
}

export const SCHEMA_VERSION = 1;

export function emptyDiagram(): Diagram {
  return { components: [], flows: [], groups: [] };
}
