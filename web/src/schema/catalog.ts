// The component catalog served by GET /api/v1/catalog.

export type PropertyKind = 'string' | 'number' | 'boolean' | 'enum' | 'list';

export interface PropertySpec {
  name: string;
  type: PropertyKind;
  enum?: string[];
  default?: unknown;
  description?: string;
  /** label is the property's name for people ("Public IP"), from the catalog. */
  label?: string;
}

export interface ComponentType {
  id: string;
  name: string;
  category: string;
  icon: string;
  canContain?: boolean;
  dataStore?: boolean;
  resourceTypes?: string[];
  properties?: PropertySpec[];
}

export interface Protocol {
  id: string;
  name: string;
  defaultPort?: number;
  encrypted?: boolean;
}

export interface Catalog {
  componentTypes: ComponentType[];
  protocols: Protocol[];
}

/** IndexedCatalog adds lookups by id to a Catalog. */
export interface IndexedCatalog extends Catalog {
  typeById: Record<string, ComponentType>;
  protocolById: Record<string, Protocol>;
  categories: string[];
}

export function indexCatalog(c: Catalog): IndexedCatalog {
  const typeById: Record<string, ComponentType> = {};
  for (const t of c.componentTypes) typeById[t.id] = t;
  const protocolById: Record<string, Protocol> = {};
  for (const p of c.protocols) protocolById[p.id] = p;
  const categories = [...new Set(c.componentTypes.map((t) => t.category))];
  return { ...c, typeById, protocolById, categories };
}

/** defaultProtocol is HTTPS when the catalog has it, else the first protocol. */
export function defaultProtocol(c: Catalog): Protocol {
  return (
    c.protocols.find((p) => p.id.toLowerCase() === 'https' || p.name.toLowerCase() === 'https') ??
    c.protocols[0] ?? { id: 'https', name: 'HTTPS', defaultPort: 443, encrypted: true }
  );
}

/** defaultProperties returns the catalog defaults of a component type. */
export function defaultProperties(t: ComponentType | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const p of t?.properties ?? []) {
    if (p.default !== undefined) out[p.name] = p.default;
  }
  return out;
}

/** findType finds a component type by id or (case-insensitive) name or alias. */
export function findType(c: Catalog, query: string): ComponentType | undefined {
  const q = query.trim().toLowerCase();
  if (!q) return undefined;
  return (
    c.componentTypes.find((t) => t.id.toLowerCase() === q) ??
    c.componentTypes.find((t) => t.name.toLowerCase() === q) ??
    c.componentTypes.find((t) => t.id.toLowerCase().endsWith('.' + q)) ??
    c.componentTypes.find((t) => t.name.toLowerCase().includes(q))
  );
}
