import { useState, type FormEvent } from 'react';
import { errorText } from '../api/rest';
import { Dialog } from '../ui/Dialog';
import type { ReviewAction, Version } from './api';

const VERB = { approve: 'Approve', reject: 'Reject', submit: 'Submit' } as const;

/**
 * ReviewDialog asks a reviewer to confirm an approval or rejection of a
 * version, with an optional comment (why it was rejected, what the approval
 * covers) that is kept with the review.
 */
export function ReviewDialog({ version, action, onSave, onClose }: { version: Version; action: Exclude<ReviewAction, 'submit'>; onSave: (comment: string) => Promise<void>; onClose: () => void }) {
  const [comment, setComment] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await onSave(comment.trim());
      onClose();
    } catch (err) {
      setError(errorText(err));
      setBusy(false);
    }
  };
  return (
    <Dialog title={`${VERB[action]} version ${version.revision}`} onClose={onClose} testId="history-review-dialog">
      <form onSubmit={(e) => void submit(e)}>
        <p>
          {action === 'approve'
            ? `Version ${version.revision} becomes the baseline: the version the CI gate compares changes with.`
            : `Version ${version.revision} goes back to its authors; they may submit it again.`}
        </p>
        <label>
          Comment (optional)
          <textarea value={comment} onChange={(e) => setComment(e.target.value)} maxLength={2000} rows={3} autoFocus />
        </label>
        {error && <div className="banner error small" role="alert">{error}</div>}
        <div className="dialog-actions">
          <button type="button" onClick={onClose}>Cancel</button>
          <button type="submit" className={action === 'approve' ? 'primary' : 'danger'} disabled={busy}>{VERB[action]}</button>
        </div>
      </form>
    </Dialog>
  );
}
