// The one modal dialog of the app. While open it keeps the keyboard inside
// (Tab and Shift+Tab cycle through its controls), Escape closes the top-most
// dialog only, and on close focus returns to what had it before (the button
// that opened the dialog), so a keyboard user never lands on <body>.
import { useEffect, useId, useRef, type ReactNode } from 'react';
import './ui.css';

const FOCUSABLE = 'a[href], button:not([disabled]), input:not([disabled]):not([type="hidden"]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

/** openDialogs is the stack of open dialogs (innermost last): only the top one answers keys. */
const openDialogs: string[] = [];

/** focusables lists the controls of el a person can reach with Tab, in order. */
export function focusables(el: HTMLElement): HTMLElement[] {
  return [...el.querySelectorAll<HTMLElement>(FOCUSABLE)].filter((x) => !x.closest('[hidden]') && x.getClientRects().length > 0);
}

/**
 * nextFocus is the element Tab (back = Shift+Tab) moves to from current
 * within items, wrapping at both ends; current outside items goes to the
 * first (or, going back, the last).
 */
export function nextFocus<T>(items: T[], current: T | null, back: boolean): T | undefined {
  if (items.length === 0) return undefined;
  const i = current === null ? -1 : items.indexOf(current);
  if (i < 0) return back ? items[items.length - 1] : items[0];
  return items[(i + (back ? items.length - 1 : 1)) % items.length];
}

/**
 * Dialog is a modal dialog titled title. onClose (Escape, a click on the
 * backdrop) is optional: without it the dialog closes only through its own
 * buttons. Focus goes to the element marked autoFocus, else the first
 * control; it is kept inside while open and restored on close.
 */
export function Dialog({ title, children, onClose, testId, wide }: { title: string; children: ReactNode; onClose?: () => void; testId?: string; wide?: boolean }) {
  const ref = useRef<HTMLDivElement>(null);
  const id = useId();
  const close = useRef(onClose);
  close.current = onClose;
  // The opener, read while rendering: by the time effects run, autoFocus has moved focus inside.
  const opener = useRef<Element | null | undefined>(undefined);
  if (opener.current === undefined) opener.current = document.activeElement;

  useEffect(() => {
    const before = opener.current instanceof HTMLElement ? opener.current : null;
    openDialogs.push(id);
    const el = ref.current;
    // React has applied autoFocus by now; otherwise take the first control.
    if (el && !el.contains(document.activeElement)) (el.querySelector<HTMLElement>('[autofocus]') ?? focusables(el)[0] ?? el).focus();
    const onKey = (e: KeyboardEvent) => {
      if (openDialogs[openDialogs.length - 1] !== id || !el) return;
      if (e.key === 'Escape' && close.current) {
        e.preventDefault();
        close.current();
      } else if (e.key === 'Tab') {
        const active = document.activeElement instanceof HTMLElement ? document.activeElement : null;
        const next = nextFocus(focusables(el), active, e.shiftKey);
        e.preventDefault();
        (next ?? el).focus();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => {
      window.removeEventListener('keydown', onKey);
      const at = openDialogs.lastIndexOf(id);
      if (at >= 0) openDialogs.splice(at, 1);
      // Back to the opener, if it is still on the page (a deleted row's button is not).
      if (before?.isConnected) before.focus();
    };
  }, [id]);

  return (
    <div className="dialog-backdrop" onMouseDown={(e) => e.target === e.currentTarget && onClose?.()}>
      <div ref={ref} tabIndex={-1} className={`dialog${wide ? ' wide' : ''}`} role="dialog" aria-modal="true" aria-labelledby={`${id}-title`} data-testid={testId}>
        <h2 id={`${id}-title`}>{title}</h2>
        {children}
      </div>
    </div>
  );
}

/** ConfirmDialog asks to confirm an action; the confirm button has the focus. */
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
