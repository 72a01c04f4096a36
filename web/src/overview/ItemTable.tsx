import type { AnalysisItem } from './api';
import type { Column, ItemGroup } from './table';

/** ItemTable lists grouped items with the chosen columns and a count per group. */
export function ItemTable<T extends AnalysisItem>({ groups, columns, selected, onSelect, showStatus }: {
  groups: ItemGroup<T>[]; columns: Column<T>[]; selected: string | null; onSelect: (id: string) => void; showStatus: boolean;
}) {
  const span = columns.length + (showStatus ? 1 : 0);
  return (
    <table className="models items" data-testid="items-table">
      <thead>
        <tr>
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
          {g.items.map((i) => (
            <tr
              key={i.id} className={i.id === selected ? 'selected' : ''} onClick={() => onSelect(i.id)} data-testid="item-row" data-id={i.id}
              tabIndex={0} onKeyDown={(e) => e.key === 'Enter' && onSelect(i.id)} aria-selected={i.id === selected}
            >
              {columns.map((c) => <td key={c.id} data-col={c.id}>{c.value(i)}</td>)}
              {showStatus && <td data-col="status"><span className={`status-tag status-${i.status.replace(/\s+/g, '-').toLowerCase()}`}>{i.status}</span>{i.notes ? ' ✎' : ''}</td>}
            </tr>
          ))}
        </tbody>
      ))}
    </table>
  );
}
