import type { AnalysisItem } from './api';
import { allState, type Selection } from './selection';
import type { Column, ItemGroup } from './table';

/** Checks are the row checkboxes: the checked ids, a click on one (shift for a range) and on the header (select or clear all shown). */
export interface Checks {
  checked: Selection;
  onCheck(id: string, shift: boolean): void;
  onCheckAll(): void;
}

/**
 * ItemTable lists grouped items with the chosen columns and a count per group.
 * With checks, a checkbox column selects rows apart from the current item:
 * clicking a checkbox does not open the row; Space on a focused row toggles it.
 */
export function ItemTable<T extends AnalysisItem>({ groups, columns, selected, onSelect, showStatus, checks }: {
  groups: ItemGroup<T>[]; columns: Column<T>[]; selected: string | null; onSelect: (id: string) => void; showStatus: boolean; checks?: Checks;
}) {
  const span = columns.length + (showStatus ? 1 : 0) + (checks ? 1 : 0);
  const shown = checks ? groups.flatMap((g) => g.items.map((i) => i.id)) : [];
  const all = checks ? allState(checks.checked, shown) : 'none';
  return (
    <table className="models items" data-testid="items-table">
      <thead>
        <tr>
          {checks && (
            <th className="check">
              <input
                type="checkbox" checked={all === 'all'} disabled={shown.length === 0} onChange={() => checks.onCheckAll()}
                ref={(el) => { if (el) el.indeterminate = all === 'some'; }}
                aria-label={all === 'all' ? 'Clear the selection of the shown rows' : 'Select all shown rows'} title={all === 'all' ? 'Clear the selection' : 'Select all shown rows'}
                data-testid="item-check-all" data-state={all}
              />
            </th>
          )}
          {columns.map((c) => <th key={c.id}>{c.label}</th>)}
          {showStatus && <th>Status</th>}
        </tr>
      </thead>
      {groups.map((g) => (
        <tbody key={g.key} data-testid="item-group" data-group={g.key}>
          {(groups.length > 1 || g.key !== 'All') && (
            <tr className="group-row">
              <th colSpan={span}>
                {g.key} <span className="count" data-testid="group-count">{g.items.length}</span>
              </th>
            </tr>
          )}
          {g.items.map((i) => {
            const on = !!checks?.checked.has(i.id);
            const cls = [i.id === selected ? 'selected' : '', on ? 'checked' : ''].filter(Boolean).join(' ');
            return (
              <tr
                key={i.id} className={cls} onClick={() => onSelect(i.id)} data-testid="item-row" data-id={i.id}
                tabIndex={0} aria-selected={i.id === selected}
                onKeyDown={(e) => {
                  if (e.key === 'Enter') onSelect(i.id);
                  else if (e.key === ' ' && checks && e.target === e.currentTarget) {
                    e.preventDefault();
                    checks.onCheck(i.id, e.shiftKey);
                  }
                }}
              >
                {checks && (
                  <td className="check" data-col="check" onClick={(e) => e.stopPropagation()}>
                    <input
                      type="checkbox" checked={on} aria-label={`Select ${i.title}`} data-testid="item-check"
                      onMouseDown={(e) => { if (e.shiftKey) e.preventDefault(); /* no text selection on a range click */ }}
                      onClick={(e) => checks.onCheck(i.id, e.shiftKey)} onChange={() => { /* handled on click, which knows Shift */ }}
                    />
                  </td>
                )}
                {columns.map((c) => <td key={c.id} data-col={c.id}>{c.value(i)}</td>)}
                {showStatus && <td data-col="status"><span className={`status-tag status-${i.status.replace(/\s+/g, '-').toLowerCase()}`}>{i.status}</span>{i.notes ? ' ✎' : ''}</td>}
              </tr>
            );
          })}
        </tbody>
      ))}
    </table>
  );
}
