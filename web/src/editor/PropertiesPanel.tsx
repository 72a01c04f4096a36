import { useState } from 'react';
import type { ComponentType, PropertySpec } from '../schema/catalog';
import type { JsonValue, Properties } from '../schema/types';
import { useApp } from '../store';
import { Chip } from '../ui/Chip';
import '../ui/ui.css';
import type { AppState } from '../store/types';

/** selectionKey is a primitive summary of the selection, so the panel re-renders only when it changes. */
function selectionKey(s: AppState): string {
  let key = '';
  let count = 0;
  for (const n of s.nodes) if (n.selected) { key = `n:${n.id}`; count++; }
  for (const e of s.edges) if (e.selected) { key = `e:${e.id}`; count++; }
  return count > 1 ? `*${count}` : key;
}

/** PropertiesPanel edits the selected component, group or flow; it is not shown when nothing is selected. */
export function PropertiesPanel() {
  const key = useApp(selectionKey);
  // Only with something selected: the canvas has the width otherwise (#17.13).
  if (key === '') return null;
  return (
    <aside className="properties" data-testid="properties" aria-label="Properties">
      {key.startsWith('*') && <p className="hint">{key.slice(1)} elements selected.</p>}
      {key.startsWith('n:') && <NodeProperties id={key.slice(2)} />}
      {key.startsWith('e:') && <EdgeProperties id={key.slice(2)} />}
    </aside>
  );
}

function NodeProperties({ id }: { id: string }) {
  const node = useApp((s) => s.nodes.find((n) => n.id === id));
  const catalog = useApp((s) => s.catalog);
  const updateNode = useApp((s) => s.updateNode);
  const setGroupKind = useApp((s) => s.setGroupKind);
  const makeContainer = useApp((s) => s.makeContainer);
  if (!node || !catalog) return null;
  const isGroup = node.type === 'groupBox';
  const typeId = node.data.type; // a container's type, or a component's
  const type = typeId ? catalog.typeById[typeId] : undefined;
  const props = node.data.properties ?? {};
  const setProps = (p: Properties, coalesce?: string) => updateNode(id, { properties: p }, coalesce);

  return (
    <div className="form" key={id}>
      <h3>{isGroup ? (node.data.kind === 'container' ? 'Container' : node.data.kind === 'boundary' ? 'Trust boundary' : 'Group') : 'Component'}</h3>
      <NameField id={id} name={node.data.name} required={!isGroup} />
      {isGroup && (
        <label>
          Kind
          <select
            value={node.data.kind} data-testid="prop-kind"
            onChange={(e) => {
              const k = e.target.value;
              if (k === 'container') makeContainer(id, catalog.componentTypes.find((t) => t.canContain)?.id ?? catalog.componentTypes[0].id);
              else setGroupKind(id, k as 'group' | 'boundary');
            }}
          >
            <option value="group">Group</option>
            <option value="boundary">Trust boundary</option>
            <option value="container">Container</option>
          </select>
        </label>
      )}
      {(!isGroup || node.data.kind === 'container') && (
        <label>
          Type
          <select
            value={typeId} data-testid="prop-type"
            onChange={(e) => (isGroup ? makeContainer(id, e.target.value) : updateNode(id, { type: e.target.value }))}
          >
            {!type && typeId && <option value={typeId}>{typeId}</option>}
            {catalog.componentTypes.map((t) => <option key={t.id} value={t.id}>{t.name}</option>)}
          </select>
        </label>
      )}
      {type && <CatalogProperties type={type} props={props} onChange={setProps} />}
      <FreeProperties type={type} props={props} onChange={setProps} />
      {type?.dataStore && <DataElements props={props} onChange={setProps} />}
    </div>
  );
}

/**
 * NameField edits a name. A component's name is required: emptying the
 * field changes nothing in the diagram and says so until a name is typed
 * (#17.15).
 */
function NameField({ id, name, required }: { id: string; name: string; required: boolean }) {
  const updateNode = useApp((s) => s.updateNode);
  const [draft, setDraft] = useState(name);
  const [shown, setShown] = useState(name);
  if (shown !== name) {
    // Changed elsewhere (undo, a sync): follow it.
    setShown(name);
    setDraft(name);
  }
  const refused = required && draft.trim() === '';
  return (
    <>
      <label>
        Name
        <input
          value={draft} data-testid="prop-name" maxLength={200} aria-invalid={refused || undefined} aria-describedby={refused ? `name-error-${id}` : undefined}
          onChange={(e) => {
            setDraft(e.target.value);
            if (!required || e.target.value.trim() !== '') updateNode(id, { name: e.target.value }, 'name');
          }}
        />
      </label>
      {refused && (
        <span className="field-error" role="alert" id={`name-error-${id}`}>
          A component needs a name; it keeps “{name}” until you type a new one.
        </span>
      )}
    </>
  );
}

function toValue(spec: PropertySpec, raw: string | boolean): JsonValue {
  if (spec.type === 'boolean') return !!raw;
  if (spec.type === 'number') return raw === '' ? null : Number(raw);
  if (spec.type === 'list') return String(raw).split(',').map((x) => x.trim()).filter(Boolean);
  return String(raw);
}

function CatalogProperties({ type, props, onChange }: { type: ComponentType; props: Properties; onChange: (p: Properties, coalesce?: string) => void }) {
  if (!type.properties?.some((p) => !(type.dataStore && p.name === 'dataElements'))) return null;
  return (
    <fieldset>
      <legend>{type.name} properties</legend>
      {type.properties.filter((spec) => !(type.dataStore && spec.name === 'dataElements')).map((spec) => {
        const v = props[spec.name] ?? (spec.default as JsonValue | undefined);
        const set = (raw: string | boolean) => onChange({ ...props, [spec.name]: toValue(spec, raw) }, `prop:${spec.name}`);
        const tid = `prop-${spec.name}`;
        return (
          <label key={spec.name} title={spec.description} className={spec.type === 'boolean' ? 'inline' : undefined}>
            {spec.type === 'boolean' ? (
              <><input type="checkbox" checked={!!v} onChange={(e) => set(e.target.checked)} data-testid={tid} /> {spec.label || spec.name}</>
            ) : (
              <>
                {spec.label || spec.name}
                {spec.type === 'enum' ? (
                  <select value={String(v ?? '')} onChange={(e) => set(e.target.value)} data-testid={tid}>
                    <option value="" />
                    {(spec.enum ?? []).map((o) => <option key={o}>{o}</option>)}
                  </select>
                ) : (
                  <input
                    type={spec.type === 'number' ? 'number' : 'text'} data-testid={tid}
                    value={Array.isArray(v) ? v.join(', ') : v === null || v === undefined ? '' : String(v)}
                    placeholder={spec.type === 'list' ? 'comma, separated' : undefined}
                    onChange={(e) => set(e.target.value)}
                  />
                )}
              </>
            )}
          </label>
        );
      })}
    </fieldset>
  );
}

const RESERVED = new Set(['dataElements']);

function FreeProperties({ type, props, onChange }: { type?: ComponentType; props: Properties; onChange: (p: Properties, coalesce?: string) => void }) {
  const known = new Set([...(type?.properties ?? []).map((p) => p.name), ...RESERVED]);
  const free = Object.entries(props).filter(([k]) => !known.has(k));
  const [k, setK] = useState('');
  const [v, setV] = useState('');
  const add = () => {
    if (!k.trim() || known.has(k.trim())) return;
    onChange({ ...props, [k.trim()]: v });
    setK('');
    setV('');
  };
  return (
    <fieldset>
      <legend>Custom properties</legend>
      {free.map(([name, val]) => (
        <div className="kv" key={name}>
          <span className="kv-key">{name}</span>
          <input value={typeof val === 'string' ? val : JSON.stringify(val)} onChange={(e) => onChange({ ...props, [name]: e.target.value }, `free:${name}`)} aria-label={name} />
          <button type="button" className="small" aria-label={`Remove ${name}`} onClick={() => { const p = { ...props }; delete p[name]; onChange(p); }}>×</button>
        </div>
      ))}
      <div className="kv">
        <input placeholder="key" value={k} onChange={(e) => setK(e.target.value)} data-testid="kv-key" />
        <input placeholder="value" value={v} onChange={(e) => setV(e.target.value)} data-testid="kv-value" onKeyDown={(e) => e.key === 'Enter' && add()} />
        <button type="button" className="small" onClick={add} data-testid="kv-add">Add</button>
      </div>
    </fieldset>
  );
}

const DATA_KINDS = ['PII', 'PCI', 'PHI', 'Credentials', 'Secrets', 'Confidential', 'Internal', 'Public'];

/** DataElements edits properties.dataElements of a data store: the kinds of data it holds. */
function DataElements({ props, onChange }: { props: Properties; onChange: (p: Properties, coalesce?: string) => void }) {
  const list = (Array.isArray(props.dataElements) ? props.dataElements : []).map(String);
  const [name, setName] = useState('');
  const add = () => {
    const v = name.trim();
    if (v && !list.includes(v)) onChange({ ...props, dataElements: [...list, v] });
    setName('');
  };
  return (
    <fieldset data-testid="data-elements">
      <legend>Data elements</legend>
      <div className="chips">
        {list.map((d) => (
          <Chip key={d} label={d} testId={`de-${d}`} onRemove={() => onChange({ ...props, dataElements: list.filter((x) => x !== d) })} />
        ))}
      </div>
      <div className="kv">
        <input
          placeholder="e.g. PII, customer email" list="data-kinds" value={name} data-testid="de-name"
          onChange={(e) => setName(e.target.value)} onKeyDown={(e) => e.key === 'Enter' && add()}
        />
        <datalist id="data-kinds">{DATA_KINDS.map((k) => <option key={k} value={k} />)}</datalist>
        <button type="button" className="small" data-testid="de-add" onClick={add}>Add</button>
      </div>
    </fieldset>
  );
}

function EdgeProperties({ id }: { id: string }) {
  const edge = useApp((s) => s.edges.find((e) => e.id === id));
  const catalog = useApp((s) => s.catalog);
  const updateEdge = useApp((s) => s.updateEdge);
  const source = useApp((s) => s.nodes.find((n) => n.id === edge?.source)?.data.name);
  const target = useApp((s) => s.nodes.find((n) => n.id === edge?.target)?.data.name);
  if (!edge?.data || !catalog) return null;
  const d = edge.data;
  return (
    <div className="form" key={id}>
      <h3>Flow</h3>
      <p className="hint">{source} → {target}</p>
      <label>
        Protocol
        <select
          value={d.protocol} data-testid="flow-protocol"
          onChange={(e) => updateEdge(id, { protocol: e.target.value, port: catalog.protocolById[e.target.value]?.defaultPort })}
        >
          {!catalog.protocolById[d.protocol] && <option value={d.protocol}>{d.protocol}</option>}
          {catalog.protocols.map((p) => <option key={p.id} value={p.id}>{p.name}</option>)}
        </select>
      </label>
      <label>
        Port
        <input
          type="number" min={0} max={65535} value={d.port ?? ''} data-testid="flow-port"
          onChange={(e) => updateEdge(id, { port: e.target.value === '' ? undefined : Math.max(0, Math.min(65535, Number(e.target.value))) }, 'port')}
        />
      </label>
      <label>
        Label
        <input value={d.label ?? ''} onChange={(e) => updateEdge(id, { label: e.target.value }, 'label')} data-testid="flow-label-input" maxLength={200} />
      </label>
    </div>
  );
}
