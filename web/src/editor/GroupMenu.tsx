import { useEffect, useState } from 'react';
import { findType } from '../schema/catalog';
import { useApp } from '../store';

export interface MenuAt {
  id: string;
  x: number;
  y: number;
}

/** GroupMenu is the right-click menu of a group's title: make it a container, group, boundary, or ungroup. */
export function GroupMenu({ at, onClose }: { at: MenuAt; onClose: () => void }) {
  const catalog = useApp((s) => s.catalog);
  const kind = useApp((s) => {
    const n = s.nodes.find((x) => x.id === at.id);
    return n?.type === 'groupBox' ? n.data.kind : null;
  });
  const makeContainer = useApp((s) => s.makeContainer);
  const setGroupKind = useApp((s) => s.setGroupKind);
  const ungroup = useApp((s) => s.ungroup);
  const [asking, setAsking] = useState(false);
  const [text, setText] = useState('');
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && onClose();
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onClose]);

  if (!catalog || !kind) return null;
  const save = () => {
    const t = findType(catalog, text);
    if (!t) return setError(`No component type matches “${text}”.`);
    makeContainer(at.id, t.id);
    onClose();
  };
  const candidates = catalog.componentTypes;

  return (
    <>
      <div className="menu-backdrop" onMouseDown={onClose} onContextMenu={(e) => { e.preventDefault(); onClose(); }} />
      <div className="context-menu" style={{ left: at.x, top: at.y }} role="menu" data-testid="group-menu">
        {!asking ? (
          <>
            <button type="button" role="menuitem" onClick={() => setAsking(true)} data-testid="menu-container">Container…</button>
            {kind !== 'group' && <button type="button" role="menuitem" onClick={() => { setGroupKind(at.id, 'group'); onClose(); }} data-testid="menu-group">Plain group</button>}
            {kind !== 'boundary' && <button type="button" role="menuitem" onClick={() => { setGroupKind(at.id, 'boundary'); onClose(); }} data-testid="menu-boundary">Trust boundary</button>}
            <button type="button" role="menuitem" onClick={() => { ungroup(at.id); onClose(); }} data-testid="menu-ungroup">Ungroup</button>
          </>
        ) : (
          <form className="form" onSubmit={(e) => { e.preventDefault(); save(); }}>
            <label>
              Component type
              <input
                autoFocus list="container-types" value={text} placeholder="e.g. EC2"
                onChange={(e) => { setText(e.target.value); setError(null); }} data-testid="container-type-input"
              />
            </label>
            <datalist id="container-types">
              {candidates.map((t) => <option key={t.id} value={t.name}>{t.id}</option>)}
            </datalist>
            {error && <div className="banner error small">{error}</div>}
            <div className="dialog-actions">
              <button type="button" onClick={onClose}>Cancel</button>
              <button type="submit" className="primary" data-testid="container-save">Save</button>
            </div>
          </form>
        )}
      </div>
    </>
  );
}
