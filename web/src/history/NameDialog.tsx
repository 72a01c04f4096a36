import { useState, type FormEvent } from 'react';
import { errorText } from '../api/rest';
import { Dialog } from '../ui/Dialog';
import type { Version } from './api';

/** NameDialog names a version ("v1.2 approved"); an empty name removes it. */
export function NameDialog({ version, onSave, onClose }: { version: Version; onSave: (name: string) => Promise<void>; onClose: () => void }) {
  const [name, setName] = useState(version.name ?? '');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await onSave(name);
      onClose();
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Dialog title={`Name version ${version.revision}`} onClose={onClose} testId="history-name-dialog">
      <form onSubmit={(e) => void submit(e)}>
        <label>
          Version name
          <input value={name} onChange={(e) => setName(e.target.value)} maxLength={200} autoFocus placeholder="v1.2 approved" />
        </label>
        <p className="hint">Named versions are kept however many versions are saved later. Leave empty to remove the name.</p>
        {error && <div className="banner error small" role="alert">{error}</div>}
        <div className="dialog-actions">
          <button type="button" onClick={onClose}>Cancel</button>
          <button type="submit" className="primary" disabled={busy}>{busy ? 'Saving…' : 'Save name'}</button>
        </div>
      </form>
    </Dialog>
  );
}
