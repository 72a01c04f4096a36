import { useState } from 'react';
import type { Column } from './table';

/** ColumnChooser toggles the table's columns. */
export function ColumnChooser<T>({ all, shown, onChange }: { all: Column<T>[]; shown: string[]; onChange: (ids: string[]) => void }) {
  const [open, setOpen] = useState(false);
  return (
    <div className="column-chooser">
      <button type="button" aria-expanded={open} onClick={() => setOpen(!open)} data-testid="columns-toggle">Columns</button>
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
