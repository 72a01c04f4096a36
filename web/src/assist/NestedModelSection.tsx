import { useEffect, useState } from 'react';
import { httpApi } from '../api/client';
import { useRestApi } from '../api/context';
import { navigate } from '../router';
import { useApp } from '../store';
import type { AppState } from '../store/types';
import type { Summary } from '../schema/types';

/** selectedNested is the one selected component that nests another model, as a primitive key. */
function selectedNested(s: AppState): string {
  const sel = s.nodes.filter((n) => n.selected);
  if (sel.length !== 1 || sel[0].type !== 'component' || !sel[0].data.nestedModel) return '';
  return sel[0].id;
}

/** NestedModelSection edits the selected nested threat model: which model, and Import Threats. */
export function NestedModelSection() {
  const id = useApp(selectedNested);
  const modelId = useApp((s) => s.modelId);
  const node = useApp((s) => {
    const n = id ? s.nodes.find((x) => x.id === id) : undefined;
    return n?.type === 'component' ? n : undefined;
  });
  const nested = node?.data.nestedModel;
  const updateNode = useApp((s) => s.updateNode);
  const api = useRestApi(httpApi);
  const [models, setModels] = useState<Summary[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  // The tenant's models to choose from, once a nested model is selected.
  useEffect(() => {
    if (!id) return;
    let live = true;
    api.listModels({ limit: 200, sort: 'name' }).then(
      (r) => live && setModels(r.items),
      (e: Error) => live && setError(e.message),
    );
    return () => {
      live = false;
    };
  }, [api, id]);

  if (!id || !node || !nested) return null;
  const choices = (models ?? []).filter((m) => m.id !== modelId);
  const current = choices.find((m) => m.id === nested.modelId);
  const choose = (next: string) => {
    const m = choices.find((x) => x.id === next);
    if (!m || next === nested.modelId) return;
    // The component keeps a name of its own; one that only repeated the
    // old model's name follows the new model.
    const renamed = !current || node.data.name === current.name ? { name: m.name } : {};
    updateNode(id, { ...renamed, nestedModel: { ...nested, modelId: next } });
  };
  return (
    <section className="nested-model" data-testid="nested-model">
      <h3>Nested threat model</h3>
      {/* The select takes the panel's width, never its longest model name's (#17.15). */}
      <label style={{ display: 'flex', flexDirection: 'column', gap: 4, minWidth: 0 }}>
        Threat model
        <select
          value={nested.modelId} onChange={(e) => choose(e.target.value)} data-testid="nested-model-select" disabled={models === null}
          style={{ width: '100%', maxWidth: '100%', minWidth: 0, textOverflow: 'ellipsis' }} title={current?.name}
        >
          {!current && <option value={nested.modelId}>{models === null ? 'Loading…' : `${nested.modelId} (not in the first ${choices.length})`}</option>}
          {choices.map((m) => (
            <option key={m.id} value={m.id}>{m.name}</option>
          ))}
        </select>
      </label>
      {error && <p className="hint" role="alert">{error}</p>}
      <label className="inline">
        <input
          type="checkbox" checked={nested.importThreats} data-testid="nested-import-threats"
          onChange={(e) => updateNode(id, { nestedModel: { ...nested, importThreats: e.target.checked } })}
        />
        Import Threats
      </label>
      <p className="hint">With Import Threats on, the nested model&rsquo;s threats appear in this model&rsquo;s Overview with the nested model as their source. A model that would nest itself, directly or through others, is refused when saved.</p>
      <a href={`/models/${encodeURIComponent(nested.modelId)}`} onClick={(e) => { e.preventDefault(); navigate(`/models/${encodeURIComponent(nested.modelId)}`); }} data-testid="nested-open">
        Open the nested model
      </a>
    </section>
  );
}
