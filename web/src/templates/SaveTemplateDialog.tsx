import { useState, type FormEvent } from 'react';
import { ApiError } from '../api/client';
import { Dialog } from '../ui/Dialog';

/** problemText turns an API error into one line for the user, naming fields. */
export function problemText(e: unknown): string {
  if (e instanceof ApiError) {
    const p = e.problem;
    if (p.problems?.length) return p.problems.map((x) => `${x.field}: ${x.message}`).join('; ');
    return p.detail || p.title || e.message;
  }
  return (e as Error).message;
}

/** SaveTemplateDialog asks for a template name and runs onSave with it. */
export function SaveTemplateDialog({ title, initial = '', hint, onSave, onClose }: {
  title: string; initial?: string; hint?: string; onSave: (name: string) => Promise<void>; onClose: () => void;
}) {
  const [name, setName] = useState(initial);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!name.trim()) return setError('A name is required.');
    setBusy(true);
    setError(null);
    try {
      await onSave(name.trim());
    } catch (err) {
      setError(problemText(err));
      setBusy(false);
    }
  };
  return (
    <Dialog title={title} onClose={onClose} testId="save-template-dialog">
      <form className="form" onSubmit={submit}>
        {hint && <p className="hint">{hint}</p>}
        <label>Template name<input autoFocus value={name} onChange={(e) => setName(e.target.value)} maxLength={200} data-testid="template-name" /></label>
        {error && <div className="banner error" role="alert" data-testid="save-template-error">{error}</div>}
        <div className="dialog-actions">
          <button type="button" onClick={onClose}>Cancel</button>
          <button type="submit" className="primary" disabled={busy} data-testid="template-submit">Save</button>
        </div>
      </form>
    </Dialog>
  );
}
