import { useEffect, useRef, useState } from 'react';
import type { Column } from './table';

/** ColumnChooser toggles the table's columns. Its popover closes on Escape (focus back on the button) and on a click outside. */
export function ColumnChooser<T>({ all, shown, onChange }: { all: Column<T>[]; shown: string[]; onChange: (ids: string[]) => void }) {
  const [open, setOpen] = useState(false);
  const root = useRef<HTMLDivElement>(null);
  const button = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (!open) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== 'Escape') return;
      e.preventDefault();
      setOpen(false);
      button.current?.focus();
    };
    const onDown = (e: MouseEvent) => {
      if (!root.current?.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener('keydown', onKey);
    document.addEventListener('mousedown', onDown);
    return () => {
      document.removeEventListener('keydown', onKey);
      document.removeEventListener('mousedown', onDown);
    };
  }, [open]);
  return (
    <div className="column-chooser" ref={root}>
      <button type="button" aria-expanded={open} onClick={() => setOpen(!open)} data-testid="columns-toggle" ref={button}>Columns</button>
      {open && (
        <div className="column-menu" role="group" aria-label="Columns" data-testid="columns-menu">
          {all.map((c) => (
            <label key={c.id} className="inline">
              <input
                type="checkbox" checked={shown.includes(c.id)} data-testid={`column-${c.id}`}
                onChange={(e) => onChange(e.target.checked ? all.filter((x) => x.id === c.id || shown.includes(x.id)).map((x) => x.id) : shown.filter((x) => x !== c.id))}
              />
              {c.label}
            </label>
          ))}
        </div>
      )}
    </div>
  );
}
