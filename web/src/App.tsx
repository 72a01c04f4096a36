import { lazy, Suspense, useEffect } from 'react';
import { AppNav } from './auth/AppNav';
import { LibraryPage } from './library/LibraryPage';
import { navigate, useRoute } from './router';
import { useApp } from './store';

// The editor (React Flow, icons, export) is its own chunk: the library loads without it.
const EditorPage = lazy(() => import('./editor/EditorPage'));
const OverviewPage = lazy(() => import('./overview/OverviewPage'));
const TemplatesPage = lazy(() => import('./templates/TemplatesPage'));
const TemplateBuilderPage = lazy(() => import('./templates/TemplateBuilderPage'));
const AcceleratorPage = lazy(() => import('./accelerator/AcceleratorPage'));
const SettingsPage = lazy(() => import('./settings/SettingsPage'));

/**
 * EditorRoute opens the model and the catalog as soon as the route is known,
 * while the editor chunk is still loading, and closes the model on leaving.
 */
function EditorRoute({ id }: { id: string }) {
  const openModel = useApp((s) => s.openModel);
  const closeModel = useApp((s) => s.closeModel);
  const loadCatalog = useApp((s) => s.loadCatalog);
  useEffect(() => {
    void loadCatalog();
    void openModel(id);
    return () => closeModel();
  }, [id, loadCatalog, openModel, closeModel]);
  return (
    <Suspense fallback={<div className="loading">Loading editor…</div>}>
      <EditorPage />
    </Suspense>
  );
}

export function App() {
  const route = useRoute();
  return (
    <div className="app">
      <header className="app-header">
        <a href="/" className="brand" onClick={(e) => { e.preventDefault(); navigate('/'); }}>
          <span className="brand-mark" aria-hidden>◆</span> Bulwark
        </a>
        <AppNav />
      </header>
      <main className="app-main">
        {route.page === 'library' && <LibraryPage />}
        {route.page === 'editor' && <EditorRoute key={route.id} id={route.id} />}
        {route.page === 'accelerator' && <Suspense fallback={<div className="loading">Loading…</div>}><AcceleratorPage /></Suspense>}
        {route.page === 'settings' && <Suspense fallback={<div className="loading">Loading…</div>}><SettingsPage tab={route.tab} /></Suspense>}
        {route.page === 'overview' && <Suspense fallback={<div className="loading">Loading…</div>}><OverviewPage key={route.id} id={route.id} /></Suspense>}
        {route.page === 'templates' && <Suspense fallback={<div className="loading">Loading…</div>}><TemplatesPage /></Suspense>}
        {route.page === 'templateBuilder' && <Suspense fallback={<div className="loading">Loading…</div>}><TemplateBuilderPage key={route.id} id={route.id} /></Suspense>}
        {route.page === 'notFound' && <div className="empty">Page not found. <a href="/">Back to the library</a></div>}
      </main>
    </div>
  );
}
