import { useApp } from '../store';
import type { SaveStatus } from '../store/types';

const STATUS: Record<SaveStatus, string> = {
  idle: '',
  loading: 'Loading…',
  dirty: 'Unsaved',
  saving: 'Saving…',
  saved: 'Saved',
  error: 'Not saved',
  invalid: 'Not saved: problems',
  conflict: 'Changed elsewhere',
};

/** Toolbar is the editor's one row of diagram tools: group, undo, snap, fit, image export, save state, help. */
export function Toolbar({ onGroup, onFit, onExport }: { onGroup: () => void; onFit: () => void; onExport: (f: 'png' | 'svg') => void }) {
  const undo = useApp((s) => s.undo);
  const redo = useApp((s) => s.redo);
  const canUndo = useApp((s) => s.past.length > 0);
  const canRedo = useApp((s) => s.future.length > 0);
  const snap = useApp((s) => s.snapToGrid);
  const toggleSnap = useApp((s) => s.toggleSnap);
  const save = useApp((s) => s.save);
  const status = useApp((s) => s.saveStatus);
  const revision = useApp((s) => s.revision);
  const setHelp = useApp((s) => s.setHelp);
  return (
    <div className="toolbar" role="toolbar" aria-label="Diagram tools">
      <button type="button" onClick={onGroup} data-testid="btn-group" title="Group the selection, or add an empty group (Ctrl+G)">Group</button>
      <span className="sep" />
      <button type="button" className="icon" onClick={undo} disabled={!canUndo} data-testid="btn-undo" aria-label="Undo" title="Undo (Ctrl+Z)"><span aria-hidden>↶</span></button>
      <button type="button" className="icon" onClick={redo} disabled={!canRedo} data-testid="btn-redo" aria-label="Redo" title="Redo (Shift+Ctrl+Z)"><span aria-hidden>↷</span></button>
      <span className="sep" />
      <label className="inline" title="Snap to a 16 px grid">
        <input type="checkbox" checked={snap} onChange={toggleSnap} data-testid="snap-toggle" /> Snap
      </label>
      <button type="button" onClick={onFit} data-testid="btn-fit" title="Fit view (F)">Fit</button>
      <span className="sep" />
      <span className="toolbar-group" role="group" aria-label="Export image">
        <button type="button" onClick={() => onExport('png')} data-testid="btn-export-png" aria-label="Export PNG" title="Download the diagram as PNG">PNG</button>
        <button type="button" onClick={() => onExport('svg')} data-testid="btn-export-svg" aria-label="Export SVG" title="Download the diagram as SVG (editable in draw.io and Inkscape)">SVG</button>
      </span>
      <span className="grow" />
      <span className={`save-status status-${status}`} data-testid="save-status" data-status={status} title={`${STATUS[status] === 'Saved' ? 'All changes saved' : STATUS[status]} (revision ${revision})`} role="status">
        {STATUS[status]}
      </span>
      <button type="button" onClick={() => void save()} disabled={status === 'saving' || status === 'conflict'} data-testid="btn-save">Save</button>
      <button type="button" onClick={() => setHelp(true)} data-testid="btn-help" title="Keyboard shortcuts (?)">?</button>
    </div>
  );
}
