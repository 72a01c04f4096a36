import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { ApiError } from '../api/client';
import { useRestApi } from '../api/context';
import { navigate } from '../router';
import {
  overviewApi,
  type AnalysisItem, type ItemList, type RequirementItem, type ThreatItem,
} from './api';
import { ColumnChooser } from './ColumnChooser';
import { ItemEditor } from './ItemEditor';
import { ItemTable, type Checks, type FilterRow } from './ItemTable';
import { clickRow, prune, toggleAll, type Selection } from './selection';
import {
  applyFilters, columnValues, groupByColumn, matches, REQUIREMENT_COLUMNS, STATUS_COLUMN, THREAT_COLUMNS, valueOrder, visibleColumns,
  type Column, type Filters, type Pane,
} from './table';
import './overview.css';
import { useOverviewExtensions } from '../integrations/overview';

function useStoredColumns(pane: Pane, all: Column<never>[]): [string[], (ids: string[]) => void] {
  const key = `bulwark.overview.columns.${pane}`;
  const [ids, setIds] = useState<string[]>(() => {
    try {
      const v = JSON.parse(localStorage.getItem(key) ?? 'null');
      if (Array.isArray(v)) return v as string[];
    } catch { /* defaults */ }
    return visibleColumns(all, null).map((c) => c.id);
  });
  const set = (v: string[]) => {
    setIds(v);
    localStorage.setItem(key, JSON.stringify(v));
  };
  return [ids, set];
}

interface Data {
  threats: ItemList<ThreatItem>;
  requirements: ItemList<RequirementItem>;
  name: string;
}

/** OverviewPage lists a model's threats and security requirements: group, search, choose columns, set status and notes. */
export default function OverviewPage({ id }: { id: string }) {
  const api = useRestApi(overviewApi);
  const [data, setData] = useState<Data | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [pane, setPane] = useState<Pane>('threats');
  // Group by any column's id, or 'none'.
  const [groupBy, setGroupBy] = useState('source');
  const [q, setQ] = useState('');
  // Filters by column value, of the current pane.
  const [filters, setFilters] = useState<Filters>({});
  const [selected, setSelected] = useState<string | null>(null);
  // The checked rows (for bulk actions), apart from the selected one whose description shows.
  const [checked, setChecked] = useState<Selection>(() => new Set());
  const anchor = useRef<string | null>(null);
  const [threatCols, setThreatCols] = useStoredColumns('threats', THREAT_COLUMNS as Column<never>[]);
  const [reqCols, setReqCols] = useStoredColumns('requirements', REQUIREMENT_COLUMNS as Column<never>[]);

  const load = useCallback(async () => {
    try {
      const [threats, requirements, m] = await Promise.all([api.listThreats(id), api.listRequirements(id), api.modelRevision(id)]);
      setData({ threats, requirements, name: m.name });
      setError(null);
    } catch (e) {
      setError((e as Error).message);
    }
  }, [api, id]);
  useEffect(() => {
    void load();
  }, [load]);

  const list: ItemList<AnalysisItem> | undefined = data ? (pane === 'threats' ? data.threats : data.requirements) : undefined;
  const searched = useMemo(() => (list ? list.items.filter((i) => matches(i, q)) : []), [list, q]);
  const cols = pane === 'threats'
    ? { all: THREAT_COLUMNS as Column<AnalysisItem>[], shown: threatCols, set: setThreatCols }
    : { all: REQUIREMENT_COLUMNS as Column<AnalysisItem>[], shown: reqCols, set: setReqCols };
  const item = list?.items.find((i) => i.id === selected) ?? null;
  const clearChecked = useCallback(() => {
    setChecked(new Set());
    anchor.current = null;
  }, []);
  const ext = useOverviewExtensions(id, pane, searched, item, load, { ids: checked, clear: clearChecked });
  const shownCols = [...visibleColumns(cols.all, cols.shown), ...ext.columns];
  // Every column can be filtered (the shown ones, in the row under their titles) and grouped by.
  const filterCols = [...shownCols, STATUS_COLUMN];
  const filtered = applyFilters(searched, filterCols, filters);
  // Filters changed: keep only the checked rows still shown.
  useEffect(() => {
    setChecked((s) => prune(s, filtered.map((i) => i.id)));
  }, [filtered]);
  const groupCols = [...cols.all, ...ext.columns, STATUS_COLUMN];
  const groupCol = groupBy === 'none' ? undefined : groupCols.find((c) => c.id === groupBy) ?? groupCols.find((c) => c.id === 'source');
  const statuses = list?.statuses ?? [];
  const extGroups = ext.group(filtered);
  const groups = extGroups ?? groupByColumn(filtered, groupCol, groupCol && valueOrder(groupCol.id, statuses));
  const filterRow: FilterRow = {
    active: filters,
    options: (colId) => {
      const c = filterCols.find((x) => x.id === colId);
      return c ? columnValues(searched, c, valueOrder(colId, statuses)) : [];
    },
    onChange: (colId, value) => setFilters((f) => {
      const next = { ...f };
      if (value === undefined) delete next[colId];
      else next[colId] = value;
      return next;
    }),
  };
  const activeFilters = Object.keys(filters).filter((k) => filterCols.some((c) => c.id === k)).length;
  const order = useMemo(() => groups.flatMap((g) => g.items.map((i) => i.id)), [groups]);
  const checks: Checks = {
    checked,
    onCheck: (itemId, shift) => {
      const r = clickRow(checked, order, anchor.current, itemId, shift);
      anchor.current = r.anchor;
      setChecked(r.selection);
    },
    onCheckAll: () => setChecked((s) => toggleAll(s, order)),
  };

  const saveState = async (status: string, notes: string) => {
    if (!item) return;
    const patch = { [item.id]: { status, notes } };
    try {
      await api.patchStates(id, (await api.modelRevision(id)).revision, patch);
    } catch (e) {
      // Someone saved meanwhile: this patch only touches one item, so retry on the new revision.
      if (!(e instanceof ApiError && e.status === 409)) throw e;
      await api.patchStates(id, (await api.modelRevision(id)).revision, patch);
    }
    await load();
  };

  const counts = (p: Pane) => (data ? (p === 'threats' ? data.threats.items.length : data.requirements.items.length) : 0);
  const editorHref = `/models/${encodeURIComponent(id)}`;

  return (
    <section className="overview" data-testid="overview">
      <div className="library-head">
        <h1>
          <a href={editorHref} onClick={(e) => { e.preventDefault(); navigate(editorHref); }} data-testid="overview-back">{data?.name ?? '…'}</a> › Overview
        </h1>
        <button type="button" onClick={() => void load()} data-testid="overview-refresh">Refresh</button>
      </div>
      {error && <div className="banner error" role="alert">{error}</div>}
      <div className="tabs" role="tablist">
        {(['threats', 'requirements'] as Pane[]).map((p) => (
          <button
            key={p} type="button" role="tab" aria-selected={pane === p} className={`tab${pane === p ? ' active' : ''}`}
            onClick={() => { if (p !== pane) { clearChecked(); setFilters({}); } setPane(p); setSelected(null); }} data-testid={`pane-${p}`}
          >
            {p === 'threats' ? 'Threats' : 'Security Requirements'} <span className="count">{counts(p)}</span>
          </button>
        ))}
      </div>
      <div className="filter-bar">
        <input type="search" placeholder="Search title, rule, source, status…" value={q} onChange={(e) => setQ(e.target.value)} aria-label="Search items" data-testid="overview-search" />
        <label className="sort">
          Group by
          <select aria-label="Group by" value={groupBy === 'none' ? 'none' : groupCol?.id ?? 'source'} onChange={(e) => setGroupBy(e.target.value)} data-testid="overview-group">
            <option value="none">Nothing</option>
            {groupCols.map((c) => <option key={c.id} value={c.id}>{c.label}</option>)}
          </select>
        </label>
        {activeFilters > 0 && (
          <button type="button" className="small filters-clear" onClick={() => setFilters({})} data-testid="filters-clear">
            Clear filters ({activeFilters})
          </button>
        )}
        <ColumnChooser all={cols.all} shown={cols.shown} onChange={cols.set} />
        {ext.bar}
        {checked.size > 0 && (
          <span className="selection-info">
            <span data-testid="selection-count">{checked.size} selected</span>
            <button type="button" className="small" onClick={clearChecked} data-testid="selection-clear">Clear</button>
          </span>
        )}
        <span className="hint" data-testid="overview-shown">{filtered.length} of {list?.items.length ?? 0} shown</span>
      </div>
      {list?.warnings?.length ? <div className="banner small hint" data-testid="overview-warnings">{list.warnings.join(' ')}</div> : null}
      <div className="overview-body">
        <div className="overview-table">
          {data ? (
            <ItemTable groups={groups} columns={shownCols} selected={selected} onSelect={setSelected} showStatus checks={checks} filters={filterRow} />
          ) : !error && <p className="loading">Loading analysis…</p>}
        </div>
        <aside className="overview-detail" aria-label="Description">
          {item ? <><ItemEditor item={item} statuses={list?.statuses ?? []} onSave={saveState} />{ext.detail}</> : <p className="hint">Select a row to read its description and set its status and notes.</p>}
        </aside>
      </div>
    </section>
  );
}
