import { useEffect, useState } from 'react';
import { PRIORITIES, PROJECT_TYPES } from '../schema/types';
import { useApp } from '../store';
import type { Facet } from '../store/types';
import { Chip } from '../ui/Chip';

const FACETS: { id: Facet; label: string }[] = [
  { id: 'type', label: 'Type' },
  { id: 'label', label: 'Label' },
  { id: 'priority', label: 'Priority' },
];

const SORTS = [
  { id: '-updatedAt', label: 'Recently updated' },
  { id: 'updatedAt', label: 'Least recently updated' },
  { id: 'name', label: 'Name A–Z' },
  { id: '-name', label: 'Name Z–A' },
  { id: 'priority', label: 'Priority' },
];

export function FilterBar() {
  const search = useApp((s) => s.search);
  const setSearch = useApp((s) => s.setSearch);
  const filters = useApp((s) => s.filters);
  const addFilter = useApp((s) => s.addFilter);
  const removeFilter = useApp((s) => s.removeFilter);
  const sort = useApp((s) => s.sort);
  const setSort = useApp((s) => s.setSort);
  const [text, setText] = useState(search);
  const [facet, setFacet] = useState<Facet>('type');
  const [value, setValue] = useState('');

  // Search as the user types, once they pause.
  useEffect(() => {
    if (text === search) return;
    const t = setTimeout(() => setSearch(text), 250);
    return () => clearTimeout(t);
  }, [text, search, setSearch]);

  const options = facet === 'type' ? PROJECT_TYPES : facet === 'priority' ? PRIORITIES : null;
  const add = () => {
    if (!value.trim()) return;
    addFilter({ facet, value: value.trim() });
    setValue('');
  };

  return (
    <div className="filter-bar">
      <input
        type="search" placeholder="Search threat models" value={text} onChange={(e) => setText(e.target.value)}
        data-testid="library-search" aria-label="Search threat models"
      />
      <div className="filter-add">
        <select value={facet} onChange={(e) => { setFacet(e.target.value as Facet); setValue(''); }} aria-label="Filter by" data-testid="filter-facet">
          {FACETS.map((f) => <option key={f.id} value={f.id}>{f.label}</option>)}
        </select>
        {options ? (
          <select value={value} onChange={(e) => setValue(e.target.value)} aria-label="Filter value" data-testid="filter-value">
            <option value="">Choose…</option>
            {options.map((o) => <option key={o} value={o}>{o}</option>)}
          </select>
        ) : (
          <input
            value={value} onChange={(e) => setValue(e.target.value)} placeholder="label" aria-label="Filter value"
            data-testid="filter-value" onKeyDown={(e) => e.key === 'Enter' && add()}
          />
        )}
        <button type="button" onClick={add} data-testid="filter-add">Add filter</button>
      </div>
      <label className="sort">
        Sort
        <select value={sort} onChange={(e) => setSort(e.target.value)} data-testid="library-sort">
          {SORTS.map((s) => <option key={s.id} value={s.id}>{s.label}</option>)}
        </select>
      </label>
      {filters.length > 0 && (
        <div className="chips" data-testid="filter-chips">
          {filters.map((f) => (
            <Chip
              key={`${f.facet}:${f.value}`}
              label={`${FACETS.find((x) => x.id === f.facet)!.label}: ${f.value}`}
              testId={`filter-chip-${f.facet}-${f.value}`}
              onRemove={() => removeFilter(f)}
            />
          ))}
        </div>
      )}
    </div>
  );
}
