import type { Summary } from '../schema/types';
import { useApp } from '../store';

const SORTABLE: Record<string, string> = { name: 'name', updatedAt: 'updatedAt', priority: 'priority' };

function SortHeader({ field, children }: { field: string; children: string }) {
  const sort = useApp((s) => s.sort);
  const setSort = useApp((s) => s.setSort);
  const active = sort.replace(/^-/, '') === field;
  const desc = sort.startsWith('-');
  return (
    <th aria-sort={active ? (desc ? 'descending' : 'ascending') : 'none'}>
      <button type="button" className="th-sort" onClick={() => setSort(active && !desc && field !== 'priority' ? `-${field}` : field)}>
        {children} {active ? (desc ? '▼' : '▲') : ''}
      </button>
    </th>
  );
}

export function ModelTable({ onOpen, onDelete, onEdit }: { onOpen: (id: string) => void; onDelete: (m: Summary) => void; onEdit: (m: Summary) => void }) {
  const models = useApp((s) => s.models);
  const loading = useApp((s) => s.modelsLoading);
  const next = useApp((s) => s.modelsNext);
  const loadModels = useApp((s) => s.loadModels);
  const addFilter = useApp((s) => s.addFilter);

  if (!loading && models.length === 0) {
    return <div className="empty" data-testid="models-empty">No threat models match. Create one with “New threat model”.</div>;
  }
  return (
    <>
      <table className="models" data-testid="models-table">
        <thead>
          <tr>
            <SortHeader field={SORTABLE.name}>Name</SortHeader>
            <th>Version</th>
            <th>Type</th>
            <SortHeader field={SORTABLE.priority}>Priority</SortHeader>
            <th>Facing</th>
            <th>Labels</th>
            <th className="num">Components</th>
            <th className="num">Flows</th>
            <SortHeader field={SORTABLE.updatedAt}>Updated</SortHeader>
            <th aria-label="Actions" />
          </tr>
        </thead>
        <tbody>
          {models.map((m) => (
            <tr key={m.id} data-testid={`model-row-${m.id}`}>
              <td>
                <a href={`/models/${encodeURIComponent(m.id)}`} data-testid="model-open" onClick={(e) => { e.preventDefault(); onOpen(m.id); }}>
                  {m.name}
                </a>
              </td>
              <td>{m.version}</td>
              <td>{m.projectType}</td>
              <td><span className={`prio prio-${m.priority.replace(' ', '-').toLowerCase()}`}>{m.priority}</span></td>
              <td>{m.facing === 'public' ? 'Public' : 'Internal'}</td>
              <td>
                {(m.labels ?? []).map((l) => (
                  <button type="button" key={l} className="label-tag" title={`Filter by ${l}`} onClick={() => addFilter({ facet: 'label', value: l })}>
                    {l}
                  </button>
                ))}
              </td>
              <td className="num">{m.componentCount}</td>
              <td className="num">{m.flowCount}</td>
              <td>{new Date(m.updatedAt).toLocaleString()}</td>
              <td>
                <span className="row-actions">
                  <button type="button" className="small" aria-label={`Edit details of ${m.name}`} title="Edit details" onClick={() => onEdit(m)}>Edit details</button>
                  <button type="button" className="danger small" data-testid={`delete-${m.id}`} onClick={() => onDelete(m)}>Delete</button>
                </span>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {next && (
        <button type="button" className="load-more" onClick={() => loadModels(true)} disabled={loading}>Load more</button>
      )}
    </>
  );
}
