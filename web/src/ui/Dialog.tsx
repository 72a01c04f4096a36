import { useEffect, type ReactNode } from 'react';

export function Dialog({ title, children, onClose, testId, wide }: { title: string; children: ReactNode; onClose?: () => void; testId?: string; wide?: boolean }) {
  useEffect(() => {
    if (!onClose) return;
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && onClose();
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onClose]);
  return (
    <div className="dialog-backdrop" onMouseDown={(e) => e.target === e.currentTarget && onClose?.()}>
      <div className={`dialog${wide ? ' wide' : ''}`} role="dialog" aria-modal="true" aria-label={title} data-testid={testId}>
        <h2>{title}</h2>
        {children}
      </div>
    </div>
  );
}

export function ConfirmDialog({ title, message, confirm, onConfirm, onCancel }: { title: string; message: ReactNode; confirm: string; onConfirm: () => void; onCancel: () => void }) {
  return (
    <Dialog title={title} onClose={onCancel} testId="confirm-dialog">
      <p>{message}</p>
      <div className="dialog-actions">
        <button type="button" onClick={onCancel} data-testid="confirm-cancel">Cancel</button>
        <button type="button" className="danger" onClick={onConfirm} data-testid="confirm-ok" autoFocus>{confirm}</button>
      </div>
    </Dialog>
  );
}
