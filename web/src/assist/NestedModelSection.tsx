import { navigate } from '../router';
import { useApp } from '../store';
import type { AppState } from '../store/types';

/** selectedNested is the one selected component that nests another model, as a primitive key. */
function selectedNested(s: AppState): string {
  const sel = s.nodes.filter((n) => n.selected);
  if (sel.length !== 1 || sel[0].type !== 'component' || !sel[0].data.nestedModel) return '';
  return sel[0].id;
}

/** NestedModelSection edits the selected nested threat model: which model, and Import Threats. */
export function NestedModelSection() {
  const id = useApp(selectedNested);
  const nested = useApp((s) => {
    const n = id ? s.nodes.find((x) => x.id === id) : undefined;
    return n?.type === 'component' ? n.data.nestedModel : undefined;
  });
  const updateNode = useApp((s) => s.updateNode);
  if (!id || !nested) return null;
  return (
    <section className="nested-model" data-testid="nested-model">
      <h3>Nested threat model</h3>
      <label className="inline">
        <input
          type="checkbox" checked={nested.importThreats} data-testid="nested-import-threats"
          onChange={(e) => updateNode(id, { nestedModel: { ...nested, importThreats: e.target.checked } })}
        />
        Import Threats
      </label>
      <p className="hint">With Import Threats on, the nested model&rsquo;s threats appear in this model&rsquo;s Overview with the nested model as their source.</p>
      <a href={`/models/${encodeURIComponent(nested.modelId)}`} onClick={(e) => { e.preventDefault(); navigate(`/models/${encodeURIComponent(nested.modelId)}`); }} data-testid="nested-open">
        Open the nested model
      </a>
    </section>
  );
}
