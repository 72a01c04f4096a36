import { useContext, useEffect, useState, type DragEvent } from 'react';
import { httpApi } from '../api/client';
import { useRestApi } from '../api/context';
import { GenericIcon } from '../icons/GenericIcon';
import { useApp } from '../store';
import type { Summary } from '../schema/types';
import { templatesApi, type TemplateSummary } from './api';
import { BuilderContext } from './BuilderContext';
import { MODEL_MIME, TEMPLATE_MIME, useLibraryInsert } from './useLibraryInsert';

const drag = (mime: string, value: string) => (e: DragEvent) => {
  e.dataTransfer.setData(mime, value);
  e.dataTransfer.effectAllowed = 'copy';
};

function useDebounced<T>(v: T, ms: number): T {
  const [d, setD] = useState(v);
  useEffect(() => {
    const t = setTimeout(() => setD(v), ms);
    return () => clearTimeout(t);
  }, [v, ms]);
  return d;
}

/**
 * ToolboxLibrary adds two toolbox categories: Templates (dropped as a group)
 * and Threat Models (dropped as a nested model), both searched with the
 * toolbox's search text.
 */
export function ToolboxLibrary({ query }: { query: string }) {
  const builder = useContext(BuilderContext);
  const templateList = useRestApi(templatesApi);
  const modelList = useRestApi(httpApi);
  const modelId = useApp((s) => s.modelId);
  const q = useDebounced(query.trim(), 200);
  const [templates, setTemplates] = useState<TemplateSummary[]>([]);
  const [models, setModels] = useState<Summary[]>([]);
  const [moreModels, setMoreModels] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const { centre, insertTemplate, insertModel } = useLibraryInsert();

  useEffect(() => {
    let live = true;
    templateList.listTemplates(q).then((t) => live && setTemplates(t), (e: Error) => live && setError(e.message));
    if (!builder) {
      modelList.listModels({ q, sort: 'name', limit: 50 }).then((r) => {
        if (!live) return;
        setModels(r.items);
        setMoreModels(!!r.next);
      }, (e: Error) => live && setError(e.message));
    }
    return () => {
      live = false;
    };
  }, [templateList, modelList, q, builder]);

  // Filter at once by the text typed; the server's answer for it follows.
  const needle = query.trim().toLowerCase();
  const hit = (name: string, more = '') => !needle || `${name} ${more}`.toLowerCase().includes(needle);
  const others = models.filter((m) => m.id !== modelId && hit(m.name));
  const shownTemplates = templates.filter((t) => hit(t.name, t.description));
  return (
    <>
      {error && <p className="hint" role="alert">{error}</p>}
      {shownTemplates.length > 0 && (
        <section data-testid="toolbox-templates">
          <h3>Templates</h3>
          <ul>
            {shownTemplates.map((t) => (
              <li
                key={t.id} className="toolbox-item" draggable onDragStart={drag(TEMPLATE_MIME, t.id)}
                onDoubleClick={() => void insertTemplate(t.id, centre())} data-testid={`toolbox-template-${t.id}`}
                title={`${t.name} (${t.componentCount} components) — drag onto the canvas, or double-click: added as a group`}
              >
                <GenericIcon icon="generic/threat-model" size={28} />
                <span>{t.name}{t.state === 'draft' ? ' (draft)' : ''}</span>
              </li>
            ))}
          </ul>
        </section>
      )}
      {!builder && others.length > 0 && (
        <section data-testid="toolbox-models">
          <h3>Threat Models</h3>
          <ul>
            {others.map((m) => (
              <li
                key={m.id} className="toolbox-item" draggable onDragStart={drag(MODEL_MIME, JSON.stringify({ id: m.id, name: m.name }))}
                onDoubleClick={() => { const c = centre(); insertModel(m.id, m.name, { x: c.x - 48, y: c.y - 32 }); }}
                data-testid={`toolbox-model-${m.id}`} title={`${m.name} — drop to nest this threat model here`}
              >
                <GenericIcon icon="generic/threat-model" size={28} />
                <span>{m.name}</span>
              </li>
            ))}
          </ul>
          {moreModels && <p className="hint" data-testid="toolbox-models-more">The first 50 by name; type in the search box to find others.</p>}
        </section>
      )}
    </>
  );
}
