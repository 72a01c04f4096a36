import { lazy, Suspense, useEffect, useMemo, useState } from 'react';
import { useRest, useRestApi } from '../api/context';
import { toDiagram } from '../editor/mapping';
import { navigate } from '../router';
import { createAppStore, StoreContext } from '../store';
import { templatesApi, type Template } from './api';
import { BuilderContext, type Builder } from './BuilderContext';
import { Refusal } from './Refusal';
import { memoryDrafts, NEW_TEMPLATE, templateApi } from './templateApi';
import { useSession } from './useSession';
import './templates.css';

const EditorPage = lazy(() => import('../editor/EditorPage'));

/**
 * TemplateBuilderPage is the diagram editor working on a template: its own
 * store whose Api reads and writes the template (no autosave: Save makes a
 * new version, Save As a new template).
 */
export default function TemplateBuilderPage({ id }: { id: string }) {
  const { session, error } = useSession();
  const [tpl, setTpl] = useState<Template | null>(null);
  const rest = useRest();
  const store = useMemo(() => createAppStore({ api: templateApi(rest, setTpl), rest, drafts: memoryDrafts(), autosaveMs: 0, draftMs: 0 }), [rest]);
  const templates = useRestApi(templatesApi);
  const admin = session?.role === 'admin';

  useEffect(() => {
    if (!admin) return;
    const s = store.getState();
    void s.loadCatalog();
    void s.openModel(id);
    return () => store.getState().closeModel();
  }, [admin, id, store]);

  const builder = useMemo<Builder>(() => ({
    templateId: id === NEW_TEMPLATE ? null : id,
    name: tpl?.name ?? '',
    state: tpl?.state,
    builtIn: tpl?.builtIn,
    async saveAs(name) {
      const s = store.getState();
      const t = await templates.createTemplate({ name, description: tpl?.description, category: tpl?.category, labels: tpl?.labels, diagram: toDiagram({ nodes: s.nodes, edges: s.edges }) });
      navigate(`/settings/templates/${encodeURIComponent(t.id!)}`);
    },
    async approve() {
      const s = store.getState();
      if (s.dirty) await s.save();
      const t = await templates.approveTemplate(id, store.getState().revision);
      setTpl(t);
      store.setState({ revision: t.revision ?? store.getState().revision });
    },
  }), [id, tpl, store, templates]);

  if (error) return <div className="banner error" role="alert">{error}</div>;
  if (!session) return <div className="loading">Loading…</div>;
  if (!admin) {
    return (
      <section className="templates-page" data-testid="template-builder-refused">
        <h1>Template Builder</h1>
        <Refusal role={session.role} />
      </section>
    );
  }
  return (
    <StoreContext.Provider value={store}>
      <BuilderContext.Provider value={builder}>
        <div className="template-builder" data-testid="template-builder">
          <Suspense fallback={<div className="loading">Loading editor…</div>}>
            <EditorPage />
          </Suspense>
        </div>
      </BuilderContext.Provider>
    </StoreContext.Provider>
  );
}
