import { useReactFlow } from '@xyflow/react';
import { memo, useMemo, useState, type DragEvent } from 'react';
import { TypeIcon } from '../icons/TypeIcon';
import { defaultProtocol, type ComponentType } from '../schema/catalog';
import { useApp } from '../store';
import { Chip } from '../ui/Chip';
import { DRAG_MIME } from './Canvas';
import { ToolboxLibrary } from '../templates/ToolboxLibrary';

const isGeneric = (t: ComponentType) => t.icon.startsWith('generic/') || t.category.toLowerCase() === 'generic';

const ToolboxItem = memo(function ToolboxItem({ type, onAdd }: { type: ComponentType; onAdd: (id: string) => void }) {
  const onDragStart = (e: DragEvent) => {
    e.dataTransfer.setData(DRAG_MIME, type.id);
    e.dataTransfer.effectAllowed = 'copy';
  };
  return (
    <li
      className="toolbox-item" draggable onDragStart={onDragStart} onDoubleClick={() => onAdd(type.id)}
      data-testid={`toolbox-item-${type.id}`} title={`${type.name} — drag onto the canvas, or double-click`}
    >
      <TypeIcon type={type} size={28} />
      <span>{type.name}</span>
    </li>
  );
});

export function Toolbox() {
  const catalog = useApp((s) => s.catalog);
  const activeProtocol = useApp((s) => s.activeProtocol);
  const setActiveProtocol = useApp((s) => s.setActiveProtocol);
  const addComponent = useApp((s) => s.addComponent);
  const { screenToFlowPosition } = useReactFlow();
  const [q, setQ] = useState('');
  const [cats, setCats] = useState<string[]>([]);

  const matches = useMemo(() => {
    const needle = q.trim().toLowerCase();
    return (catalog?.componentTypes ?? []).filter(
      (t) =>
        (cats.length === 0 || cats.includes(t.category)) &&
        (!needle || t.name.toLowerCase().includes(needle) || t.id.toLowerCase().includes(needle) || t.category.toLowerCase().includes(needle)),
    );
  }, [catalog, q, cats]);

  if (!catalog) return <aside className="toolbox" data-testid="toolbox">Loading catalog…</aside>;

  const addAtCentre = (id: string) => {
    const el = document.querySelector('.canvas');
    const r = el?.getBoundingClientRect();
    const p = screenToFlowPosition({ x: (r?.left ?? 0) + (r?.width ?? 0) / 2, y: (r?.top ?? 0) + (r?.height ?? 0) / 2 });
    addComponent(id, p);
  };
  const aws = matches.filter((t) => !isGeneric(t));
  const generic = matches.filter(isGeneric);
  const protocols = catalog.protocols.filter((p) => !q || p.name.toLowerCase().includes(q.toLowerCase()) || p.id.includes(q.toLowerCase()));

  return (
    <aside className="toolbox" data-testid="toolbox">
      <input type="search" placeholder="Search components" value={q} onChange={(e) => setQ(e.target.value)} data-testid="toolbox-search" aria-label="Search components" />
      <select
        value="" aria-label="Filter by category" data-testid="toolbox-category"
        onChange={(e) => e.target.value && !cats.includes(e.target.value) && setCats([...cats, e.target.value])}
      >
        <option value="">Filter by category…</option>
        {catalog.categories.filter((c) => !cats.includes(c)).map((c) => <option key={c} value={c}>{c}</option>)}
      </select>
      {cats.length > 0 && (
        <div className="chips">
          {cats.map((c) => <Chip key={c} label={c} testId={`category-chip-${c}`} onRemove={() => setCats(cats.filter((x) => x !== c))} />)}
        </div>
      )}
      <div className="toolbox-scroll">
        {aws.length > 0 && (
          <section>
            <h3>AWS services</h3>
            <ul>{aws.map((t) => <ToolboxItem key={t.id} type={t} onAdd={addAtCentre} />)}</ul>
          </section>
        )}
        {generic.length > 0 && (
          <section>
            <h3>Generic components</h3>
            <ul>{generic.map((t) => <ToolboxItem key={t.id} type={t} onAdd={addAtCentre} />)}</ul>
          </section>
        )}
        {cats.length === 0 && <ToolboxLibrary query={q} />}
        {cats.length === 0 && protocols.length > 0 && (
          <section>
            <h3>Protocols</h3>
            <p className="hint">Flows you draw next use the chosen protocol. To change a drawn flow, select it and use its properties.</p>
            <div className="protocols">
              {protocols.map((p) => (
                <button
                  type="button" key={p.id} data-testid={`protocol-${p.id}`}
                  className={`protocol${(activeProtocol ?? defaultProtocol(catalog).id) === p.id ? ' active' : ''}${p.encrypted ? ' encrypted' : ''}`}
                  onClick={() => setActiveProtocol(p.id)} title={`${p.name}${p.defaultPort ? ` (port ${p.defaultPort})` : ''}`}
                >
                  {p.name}
                </button>
              ))}
            </div>
          </section>
        )}
        {matches.length === 0 && <p className="hint">No component matches.</p>}
      </div>
    </aside>
  );
}
