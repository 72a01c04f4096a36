import { useEffect, useState } from 'react';
import { navigate } from '../router';
import { useApp } from '../store';
import { ConfirmDialog } from '../ui/Dialog';
import { FilterBar } from './FilterBar';
import { ModelTable } from './ModelTable';
import { NewModelDialog } from './NewModelDialog';
import { EditDetailsDialog } from './EditDetailsDialog';
import type { Summary } from '../schema/types';

export function LibraryPage() {
  const loadModels = useApp((s) => s.loadModels);
  const deleteModel = useApp((s) => s.deleteModel);
  const error = useApp((s) => s.modelsError);
  const [creating, setCreating] = useState(false);
  const [deleting, setDeleting] = useState<Summary | null>(null);
  const [editing, setEditing] = useState<Summary | null>(null);
  const [deleteError, setDeleteError] = useState<string | null>(null);

  useEffect(() => {
    void loadModels();
  }, [loadModels]);

  return (
    <section className="library">
      <div className="library-head">
        <h1>Threat models</h1>
        <button type="button" className="primary" data-testid="btn-new-model" onClick={() => setCreating(true)}>
          New threat model
        </button>
      </div>
      <FilterBar />
      {error && <div className="banner error" role="alert">Could not load threat models: {error}</div>}
      {deleteError && <div className="banner error" role="alert">{deleteError}</div>}
      <ModelTable onOpen={(id) => navigate(`/models/${encodeURIComponent(id)}`)} onDelete={setDeleting} onEdit={setEditing} />
      {editing && <EditDetailsDialog model={editing} onClose={() => setEditing(null)} />}
      {creating && (
        <NewModelDialog
          onClose={() => setCreating(false)}
          onCreated={(id) => {
            setCreating(false);
            navigate(`/models/${encodeURIComponent(id)}`);
          }}
        />
      )}
      {deleting && (
        <ConfirmDialog
          title="Delete threat model"
          message={<>Delete <strong>{deleting.name}</strong> and its diagram? This cannot be undone.</>}
          confirm="Delete"
          onCancel={() => setDeleting(null)}
          onConfirm={() => {
            const m = deleting;
            setDeleting(null);
            deleteModel(m.id).catch((e: Error) => setDeleteError(`Could not delete ${m.name}: ${e.message}`));
          }}
        />
      )}
    </section>
  );
}
