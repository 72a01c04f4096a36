import { lazy, Suspense } from 'react';
import { LibraryPage } from './library/LibraryPage';
import { navigate, useRoute } from './router';

// The editor (React Flow, icons, export) is its own chunk: the library loads without it.
const EditorPage = lazy(() => import('./editor/EditorPage'));

export function App() {
  const route = useRoute();
  return (
    <div className="app">
      <header className="app-header">
        <a href="/" className="brand" onClick={(e) => { e.preventDefault(); navigate('/'); }}>
          <span className="brand-mark" aria-hidden>◆</span> Bulwark
        </a>
      </header>
      <main className="app-main">
        {route.page === 'library' && <LibraryPage />}
        {route.page === 'editor' && (
          <Suspense fallback={<div className="loading">Loading editor…</div>}>
            <EditorPage key={route.id} modelId={route.id} />
          </Suspense>
        )}
        {route.page === 'notFound' && <div className="empty">Page not found. <a href="/">Back to the library</a></div>}
      </main>
    </div>
  );
}
