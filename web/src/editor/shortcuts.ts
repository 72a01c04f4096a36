// Keyboard shortcuts of the editor, listed once: the help overlay shows this table.
import { useEffect } from 'react';
import type { AppStore } from '../store';

export const SHORTCUTS: { keys: string; what: string }[] = [
  { keys: 'Ctrl/⌘ Z', what: 'Undo' },
  { keys: 'Shift Ctrl/⌘ Z, Ctrl Y', what: 'Redo' },
  { keys: 'Ctrl/⌘ C / X / V', what: 'Copy, cut, paste' },
  { keys: 'Ctrl/⌘ A', what: 'Select everything' },
  { keys: 'Delete, Backspace', what: 'Delete the selection' },
  { keys: 'Ctrl/⌘ G', what: 'Group the selection (or add an empty group)' },
  { keys: 'Ctrl/⌘ S', what: 'Save now' },
  { keys: 'Shift click, Shift drag', what: 'Add to the selection, box select' },
  { keys: 'Drag on the canvas, wheel', what: 'Pan, zoom' },
  { keys: 'F', what: 'Fit the diagram in view' },
  { keys: '?', what: 'Show or hide this help' },
  { keys: 'Esc', what: 'Close dialogs and menus' },
];

const editable = (t: EventTarget | null) =>
  t instanceof HTMLElement && (t.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(t.tagName));

export function useShortcuts(store: AppStore, actions: { fitView: () => void; groupAt: () => { x: number; y: number } }) {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (editable(e.target)) return;
      const s = store.getState();
      if (s.conflict) return;
      const mod = e.ctrlKey || e.metaKey;
      const k = e.key.toLowerCase();
      let handled = true;
      if (mod && k === 'z' && !e.shiftKey) s.undo();
      else if (mod && ((k === 'z' && e.shiftKey) || k === 'y')) s.redo();
      else if (mod && k === 'c') s.copy();
      else if (mod && k === 'x') s.cut();
      else if (mod && k === 'v') s.paste();
      else if (mod && k === 'a') s.selectAll();
      else if (mod && k === 'g') s.groupSelection(actions.groupAt());
      else if (mod && k === 's') void s.save();
      else if (!mod && (e.key === 'Delete' || e.key === 'Backspace')) s.deleteSelection();
      else if (!mod && e.key === '?') s.setHelp(!s.helpOpen);
      else if (!mod && k === 'f') actions.fitView();
      else if (e.key === 'Escape' && s.helpOpen) s.setHelp(false);
      else handled = false;
      if (handled) e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [store, actions]);
}
