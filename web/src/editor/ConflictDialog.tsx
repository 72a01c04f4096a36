import type { Change } from './merge';
import { useApp } from '../store';
import { Dialog } from '../ui/Dialog';

function ChangeList({ title, changes, testId }: { title: string; changes: Change[]; testId: string }) {
  return (
    <div className="change-list" data-testid={testId}>
      <h3>{title}</h3>
      {changes.length === 0 ? <p className="hint">No changes.</p> : (
        <ul>
          {changes.map((c) => (
            <li key={`${c.kind}:${c.id}`} className={`change-${c.change}`}>
              <span className="change-kind">{c.change}</span> {c.kind.replace(/s$/, '')} <strong>{c.name}</strong>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** ConflictDialog appears when the server has a newer revision: it shows both sides' changes and never drops the user's work silently. */
export function ConflictDialog() {
  const conflict = useApp((s) => s.conflict);
  const resolve = useApp((s) => s.resolveConflict);
  if (!conflict) return null;
  return (
    <Dialog title="This model was changed elsewhere" testId="conflict-dialog" wide>
      <p>
        Someone saved a newer version (revision {conflict.revision}) while you were editing. Your changes are kept in this
        browser until you choose.
      </p>
      <div className="change-columns">
        <ChangeList title="Your changes" changes={conflict.mineChanges} testId="conflict-mine" />
        <ChangeList title="Their changes" changes={conflict.theirChanges} testId="conflict-theirs" />
      </div>
      <p className="hint">
        <strong>Keep mine and retry</strong> applies your changes on top of the newer version (where both changed the same
        element, yours wins) and saves. <strong>Reload</strong> discards your changes listed above.
      </p>
      <div className="dialog-actions">
        <button type="button" className="danger" onClick={() => void resolve('reload')} data-testid="conflict-reload">Reload theirs</button>
        <button type="button" className="primary" onClick={() => void resolve('keepMine')} data-testid="conflict-keep-mine" autoFocus>Keep mine and retry</button>
      </div>
    </Dialog>
  );
}
