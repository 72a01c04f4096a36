import { useEffect, useState } from 'react';
import type { AnalysisItem } from './api';
import { sourceOf } from './table';
import { RuleDescription } from './RuleDescription';

/** ItemEditor is the description pane of the selected item, with its status and notes. */
export function ItemEditor({ item, statuses, onSave }: {
  item: AnalysisItem; statuses: string[]; onSave: (status: string, notes: string) => Promise<void>;
}) {
  const [status, setStatus] = useState(item.status);
  const [notes, setNotes] = useState(item.notes ?? '');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  useEffect(() => {
    setStatus(item.status);
    setNotes(item.notes ?? '');
  }, [item.id, item.status, item.notes]);
  useEffect(() => {
    setError(null);
    setSaved(false);
  }, [item.id]);
  const readOnly = !!item.imported;
  const changed = status !== item.status || notes !== (item.notes ?? '');
  const save = async () => {
    setBusy(true);
    setError(null);
    try {
      await onSave(status, notes);
      setSaved(true);
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="item-editor form" data-testid="item-editor">
      <h2>{item.title}</h2>
      <p className="hint">{item.severity} · {sourceOf(item)}{item.imported ? ` › ${item.imported.elementName ?? item.imported.element}` : ''}</p>
      {readOnly ? (
        <p className="hint" data-testid="item-imported">Imported from the nested model <strong>{item.imported!.modelName ?? item.imported!.model}</strong>: change its status there.</p>
      ) : (
        <>
          <label>
            Status
            <select value={status} onChange={(e) => { setStatus(e.target.value); setSaved(false); }} data-testid="item-status">
              {statuses.map((s) => <option key={s}>{s}</option>)}
            </select>
          </label>
          <label>
            Notes
            <textarea rows={3} value={notes} onChange={(e) => { setNotes(e.target.value); setSaved(false); }} maxLength={4000} data-testid="item-notes" />
          </label>
          <div className="row">
            <button type="button" className="primary" disabled={busy || !changed} onClick={() => void save()} data-testid="item-save">Save</button>
            {saved && !changed && <span className="hint" role="status" data-testid="item-saved">Saved</span>}
          </div>
          {error && <div className="banner error small" role="alert">{error}</div>}
        </>
      )}
      <h3>Description</h3>
      <RuleDescription rule={item.rule} />
    </div>
  );
}
