import { useApp } from '../store';
import type { SaveStatus } from '../store/types';

const STATUS: Record<SaveStatus, string> = {
  idle: '',
  loading: 'Loading…',
  dirty: 'Unsaved changes',
  saving: 'Saving…',
  saved: 'All changes saved',
  error: 'Not saved',
  invalid: 'Not saved: the diagram has problems',
  conflict: 'Changed elsewhere',
};

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
      <button type="button" onClick={undo} disabled={!canUndo} data-testid="btn-undo" title="Undo (Ctrl+Z)">Undo</button>
      <button type="button" onClick={redo} disabled={!canRedo} data-testid="btn-redo" title="Redo (Shift+Ctrl+Z)">Redo</button>
      <span className="sep" />
      <label className="inline" title="Snap to a 16 px grid">
        <input type="checkbox" checked={snap} onChange={toggleSnap} data-testid="snap-toggle" /> Snap
      </label>
      <button type="button" onClick={onFit} data-testid="btn-fit" title="Fit view (F)">Fit</button>
      <span className="sep" />
      <button type="button" onClick={() => onExport('png')} data-testid="btn-export-png">Export PNG</button>
      <button type="button" onClick={() => onExport('svg')} data-testid="btn-export-svg">Export SVG</button>
      <span className="grow" />
      <span className={`save-status status-${status}`} data-testid="save-status" data-status={status} title={`Revision ${revision}`}>
        {STATUS[status]}
      </span>
      <button type="button" onClick={() => void save()} disabled={status === 'saving' || status === 'conflict'} data-testid="btn-save">Save</button>
      <button type="button" onClick={() => setHelp(true)} data-testid="btn-help" title="Keyboard shortcuts (?)">?</button>
    </div>
  );
}
