import { useCallback, useEffect, useLayoutEffect, useRef, useState } from 'react';
import type { AnalysisItem } from './api';
import { allState, type Selection } from './selection';
import type { Column, Filters, ItemGroup } from './table';
import { ALL_GROUPS_UP_TO, flatten, ROW_HEIGHT, rowWindow, VIRTUAL_FROM, windowParts } from './virtual';

/** Checks are the row checkboxes: the checked ids, a click on one (shift for a range) and on the header (select or clear all shown). */
export interface Checks {
  checked: Selection;
  onCheck(id: string, shift: boolean): void;
  onCheckAll(): void;
}

/** FilterRow is a row of filters under the column titles: one choice of value per column (status included). */
export interface FilterRow {
  options(columnId: string): { value: string; count: number }[];
  active: Filters;
  onChange(columnId: string, value: string | undefined): void;
}

/**
 * ItemTable lists grouped items with the chosen columns and a count per group.
 * With checks, a checkbox column selects rows apart from the current item:
 * clicking a checkbox does not open the row; Space on a focused row toggles it;
 * Arrow Up and Down move between rows. From VIRTUAL_FROM rows on, only the
 * rows in (and near) the scrolled view are in the page, each one line high,
 * so that ten thousand rows open as fast as a hundred.
 */
export function ItemTable<T extends AnalysisItem>({ groups, columns, selected, onSelect, showStatus, checks, filters }: {
  groups: ItemGroup<T>[]; columns: Column<T>[]; selected: string | null; onSelect: (id: string) => void; showStatus: boolean; checks?: Checks; filters?: FilterRow;
}) {
  const span = columns.length + (showStatus ? 1 : 0) + (checks ? 1 : 0);
  const shown = groups.flatMap((g) => g.items.map((i) => i.id));
  const all = checks ? allState(checks.checked, shown) : 'none';
  const headed = groups.length > 1 || groups[0]?.key !== 'All';
  const entries = flatten(groups, headed);
  const virtual = shown.length >= VIRTUAL_FROM;

  const tableRef = useRef<HTMLTableElement>(null);
  const [view, setView] = useState({ top: 0, height: 800 });
  const scroller = () => tableRef.current?.parentElement ?? null;
  useLayoutEffect(() => {
    const el = scroller();
    if (!virtual || !el) return;
    const update = () => {
      const head = tableRef.current?.tHead?.offsetHeight ?? 0;
      setView({ top: Math.max(0, el.scrollTop - head), height: el.clientHeight || 800 });
    };
    update();
    el.addEventListener('scroll', update, { passive: true });
    window.addEventListener('resize', update);
    return () => {
      el.removeEventListener('scroll', update);
      window.removeEventListener('resize', update);
    };
  }, [virtual]);
  const win = virtual ? rowWindow(entries.length, view.top, view.height) : { start: 0, end: entries.length };

  // Arrow keys move the focus; in a windowed table the next row may have to be scrolled in first.
  const [focusId, setFocusId] = useState<string | null>(null);
  useEffect(() => {
    if (!focusId) return;
    const row = tableRef.current?.querySelector<HTMLElement>(`tr[data-id="${CSS.escape(focusId)}"]`);
    if (row) {
      row.focus();
      setFocusId(null);
    }
  });
  const move = useCallback((id: string, delta: number) => {
    const at = shown.indexOf(id) + delta;
    if (at < 0 || at >= shown.length) return;
    const next = shown[at];
    const el = scroller();
    if (virtual && el) {
      // The row's place in the table; the (sticky) header covers the top of the view.
      const head = tableRef.current?.tHead?.offsetHeight ?? 0;
      const y = entries.findIndex((e) => e.kind === 'row' && e.item.id === next) * ROW_HEIGHT + head;
      if (y < el.scrollTop + head) el.scrollTop = Math.max(0, y - head);
      else if (y + ROW_HEIGHT > el.scrollTop + el.clientHeight) el.scrollTop = y + ROW_HEIGHT - el.clientHeight;
    }
    setFocusId(next);
  }, [shown, entries, virtual]);

  const parts = windowParts(groups, headed, win, groups.length <= ALL_GROUPS_UP_TO);
  const filterSelect = (id: string, label: string) => {
    if (!filters) return null;
    const v = filters.active[id];
    return (
      <select
        className="column-filter" aria-label={`Filter by ${label}`} value={v ?? ''} data-testid={`filter-${id}`}
        onChange={(e) => filters.onChange(id, e.target.value === '' ? undefined : e.target.value)}
      >
        <option value="">All</option>
        {filters.options(id).map((o) => <option key={o.value} value={o.value}>{o.value} ({o.count})</option>)}
        {v !== undefined && !filters.options(id).some((o) => o.value === v) && <option value={v}>{v} (0)</option>}
      </select>
    );
  };

  return (
    <table className={`models items${virtual ? ' virtual' : ''}`} data-testid="items-table" data-rows={shown.length} ref={tableRef}>
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
          {columns.map((c) => <th key={c.id} data-col={c.id}>{c.label}</th>)}
          {showStatus && <th data-col="status">Status</th>}
        </tr>
        {filters && (
          <tr className="filter-row">
            {checks && <th className="check" />}
            {columns.map((c) => <th key={c.id}>{filterSelect(c.id, c.label)}</th>)}
            {showStatus && <th>{filterSelect('status', 'Status')}</th>}
          </tr>
        )}
      </thead>
      {parts.before > 0 && <tbody aria-hidden="true"><tr className="spacer" style={{ height: parts.before * ROW_HEIGHT }} /></tbody>}
      {parts.groups.map(({ group: g, head, rows, above, below }) => (
        <tbody key={g.key} data-testid="item-group" data-group={g.key}>
          {head && (
            <tr className="group-row">
              <th colSpan={span}>
                {g.key} <span className="count" data-testid="group-count">{g.items.length}</span>
              </th>
            </tr>
          )}
          {above > 0 && <tr className="spacer" aria-hidden="true" style={{ height: above * ROW_HEIGHT }} />}
          {rows.map((i) => {
            const on = !!checks?.checked.has(i.id);
            const cls = [i.id === selected ? 'selected' : '', on ? 'checked' : ''].filter(Boolean).join(' ');
            return (
              <tr
                key={i.id} className={cls} onClick={() => onSelect(i.id)} data-testid="item-row" data-id={i.id}
                tabIndex={0} aria-selected={i.id === selected}
                onKeyDown={(e) => {
                  if (e.target !== e.currentTarget) return;
                  if (e.key === 'Enter') onSelect(i.id);
                  else if (e.key === ' ' && checks) {
                    e.preventDefault();
                    checks.onCheck(i.id, e.shiftKey);
                  } else if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
                    e.preventDefault();
                    move(i.id, e.key === 'ArrowDown' ? 1 : -1);
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
                {columns.map((c) => {
                  const v = c.value(i);
                  return <td key={c.id} data-col={c.id} title={virtual ? v : undefined}>{v}</td>;
                })}
                {showStatus && <td data-col="status"><span className={`status-tag status-${i.status.replace(/\s+/g, '-').toLowerCase()}`}>{i.status}</span>{i.notes ? ' ✎' : ''}</td>}
              </tr>
            );
          })}
          {below > 0 && <tr className="spacer" aria-hidden="true" style={{ height: below * ROW_HEIGHT }} />}
        </tbody>
      ))}
      {parts.after > 0 && <tbody aria-hidden="true"><tr className="spacer" style={{ height: parts.after * ROW_HEIGHT }} /></tbody>}
    </table>
  );
}
