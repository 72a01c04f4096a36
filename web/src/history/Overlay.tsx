// The full-window layer a version or a comparison is shown in, over the
// editor. While it is open the editor's keyboard shortcuts (Delete, Ctrl+Z,
// paste…) do not reach the editor underneath: only Escape and Tab pass, and
// Tab cycles through the overlay's own controls.
import { useEffect, useRef, type KeyboardEvent, type ReactNode } from 'react';
import { focusables, nextFocus } from '../ui/Dialog';

const PASS = new Set(['Escape', 'Tab']);

/** Overlay shows children over the editor; label names it, onClose runs on Escape. */
export function Overlay({ label, onClose, children, testId }: { label: string; onClose: () => void; children: ReactNode; testId?: string }) {
  const ref = useRef<HTMLDivElement>(null);
  const close = useRef(onClose);
  close.current = onClose;
  useEffect(() => {
    const el = ref.current;
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    el?.focus();
    // Keys aimed at the page outside the overlay (e.g. <body>) never reach the editor's window listener.
    const guard = (e: globalThis.KeyboardEvent) => {
      if (!el || PASS.has(e.key) || el.contains(e.target as Node)) return;
      e.stopPropagation();
    };
    window.addEventListener('keydown', guard, true);
    return () => {
      window.removeEventListener('keydown', guard, true);
      // Back to the button that opened the overlay, if it is still there.
      if (opener?.isConnected) opener.focus();
    };
  }, []);
  const onKeyDown = (e: KeyboardEvent) => {
    const dialogOpen = !!document.querySelector('.dialog-backdrop');
    if (e.key === 'Escape' && !dialogOpen) {
      close.current();
      return;
    }
    // Tab stays inside the overlay: the editor underneath is out of sight (a dialog keeps its own focus).
    if (e.key === 'Tab' && !dialogOpen && ref.current) {
      const next = nextFocus(focusables(ref.current), document.activeElement instanceof HTMLElement ? document.activeElement : null, e.shiftKey);
      e.preventDefault();
      (next ?? ref.current).focus();
      return;
    }
    if (!PASS.has(e.key)) e.nativeEvent.stopPropagation();
  };
  return (
    <div ref={ref} className="history-overlay" role="region" aria-label={label} tabIndex={-1} onKeyDown={onKeyDown} data-testid={testId}>
      {children}
    </div>
  );
}
