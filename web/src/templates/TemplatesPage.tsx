import { useCallback, useEffect, useState } from 'react';
import { useRestApi } from '../api/context';
import { navigate } from '../router';
import { ConfirmDialog } from '../ui/Dialog';
import { templatesApi, type TemplateSummary } from './api';
import { Refusal } from './Refusal';
import { problemText } from './SaveTemplateDialog';
import { useSession } from './useSession';
import './templates.css';

const builderPath = (id: string) => `/settings/templates/${encodeURIComponent(id)}`;

/** TemplatesPage is Settings → Templates: the template list with edit, duplicate, approve and delete (admins). */
export default function TemplatesPage() {
  const { session, error: sessionError } = useSession();
  const api = useRestApi(templatesApi);
  const [items, setItems] = useState<TemplateSummary[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [deleting, setDeleting] = useState<TemplateSummary | null>(null);
  const admin = session?.role === 'admin';

  const load = useCallback(() => {
    api.listTemplates().then(setItems, (e) => setError(problemText(e)));
  }, [api]);
  useEffect(load, [load]);

  const act = (fn: () => Promise<unknown>) => {
    setError(null);
    fn().then(load, (e) => setError(problemText(e)));
  };

  return (
    <section className="templates-page" data-testid="templates-page">
      <div className="library-head">
        <h1>Settings › Templates</h1>
        {admin && <button type="button" className="primary" onClick={() => navigate(builderPath('new'))} data-testid="btn-new-template">New template</button>}
      </div>
      {sessionError && <div className="banner error" role="alert">{sessionError}</div>}
      {session && !admin && <Refusal role={session.role} />}
      {error && <div className="banner error" role="alert" data-testid="templates-error">{error}</div>}
      {items && (
        <table className="models" data-testid="templates-table">
          <thead>
            <tr><th>Name</th><th>Category</th><th>State</th><th className="num">Version</th><th className="num">Components</th><th className="num">Flows</th>{admin && <th>Actions</th>}</tr>
          </thead>
          <tbody>
            {items.map((t) => (
              <tr key={t.id} data-testid={`template-row-${t.id}`}>
                <td>{admin ? <a href={builderPath(t.id)} onClick={(e) => { e.preventDefault(); navigate(builderPath(t.id)); }} data-testid="template-open">{t.name}</a> : t.name}{t.builtIn && <span className="label-tag"> built-in</span>}</td>
                <td>{t.category}</td>
                <td><span className={`tpl-state tpl-${t.state}`}>{t.state}</span></td>
                <td className="num">{t.version}</td>
                <td className="num">{t.componentCount}</td>
                <td className="num">{t.flowCount}</td>
                {admin && (
                  <td className="actions">
                    <button type="button" className="small" onClick={() => navigate(builderPath(t.id))} data-testid={`template-edit-${t.id}`}>Edit</button>
                    <button type="button" className="small" onClick={() => act(() => api.duplicateTemplate(t.id))} data-testid={`template-duplicate-${t.id}`}>Duplicate</button>
                    {t.state === 'draft' && <button type="button" className="small" onClick={() => act(() => api.approveTemplate(t.id, t.revision))} data-testid={`template-approve-${t.id}`}>Approve</button>}
                    {!t.builtIn && <button type="button" className="small danger" onClick={() => setDeleting(t)} data-testid={`template-delete-${t.id}`}>Delete</button>}
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {deleting && (
        <ConfirmDialog
          title="Delete template" message={<>Delete the template <strong>{deleting.name}</strong>? Models made from it keep their diagrams.</>} confirm="Delete"
          onCancel={() => setDeleting(null)}
          onConfirm={() => { const t = deleting; setDeleting(null); act(() => api.deleteTemplate(t.id, t.revision)); }}
        />
      )}
    </section>
  );
}
