import './evidence.css';
import { useEffect, useState } from 'react';
import { useRestApi } from '../api/context';
import { errorText } from '../api/rest';
import { evidenceApi } from './api';
import type { Contradiction } from './types';

/**
 * Contradictions shows what current evidence says against a component's
 * properties ("Security Hub says public, the model says private") and
 * offers to update the model to what the evidence shows. onApplied is
 * called with the model's new revision.
 */
export function Contradictions({ modelId, component, onApplied }: { modelId: string; component: string; onApplied?: (revision?: number) => void }) {
  const api = useRestApi(evidenceApi);
  const [list, setList] = useState<{ revision: number; items: Contradiction[] } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const load = () =>
    api.forComponent(modelId, component).then((l) => setList({ revision: l.revision, items: l.contradictions ?? [] }), (e) => setError(errorText(e)));
  useEffect(() => {
    setList(null);
    setError(null);
    void load();
  }, [api, modelId, component]);
  const apply = async (c: Contradiction) => {
    if (!list) return;
    setBusy(true);
    setError(null);
    try {
      const revision = await api.applyContradiction(modelId, list.revision, c.element, c.property);
      await load();
      onApplied?.(revision);
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };
  if (!list?.items.length && !error) return null;
  return (
    <div className="banner contradiction small" role="status" aria-label="Evidence contradicts the model" data-testid="contradictions">
      {error && <div className="banner error small" role="alert">{error}</div>}
      {list?.items.map((c) => (
        <p key={c.property} data-testid="contradiction" data-property={c.property}>
          <b>{c.elementName ?? c.element}</b>: {c.message} ({c.property}).{' '}
          <button type="button" disabled={busy} onClick={() => void apply(c)}>
            Set {c.property} to {String(c.evidence)}
          </button>
        </p>
      ))}
    </div>
  );
}
