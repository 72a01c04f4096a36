import { useEffect, useState, type FormEvent } from 'react';
import { useRestApi } from '../api/context';
import { SCHEMA_VERSION } from '../schema/types';
import { templatesApi, type Template, type TemplateSummary } from './api';
import { DiagramPreview } from './DiagramPreview';
import { problemText } from './SaveTemplateDialog';
import './templates.css';

/** TemplateTab is the Template tab of "New threat model": search, pick with a live preview, name, create. */
export function TemplateTab({ onCreated, onClose }: { onCreated: (id: string) => void; onClose: () => void }) {
  const api = useRestApi(templatesApi);
  const [q, setQ] = useState('');
  const [items, setItems] = useState<TemplateSummary[] | null>(null);
  const [chosen, setChosen] = useState<string | null>(null);
  const [preview, setPreview] = useState<Template | null>(null);
  const [name, setName] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    let live = true;
    const t = setTimeout(() => api.listTemplates(q.trim()).then((x) => live && setItems(x.filter((i) => i.state === 'approved')), (e) => live && setError(problemText(e))), 150);
    return () => {
      live = false;
      clearTimeout(t);
    };
  }, [api, q]);

  useEffect(() => {
    if (!chosen) return setPreview(null);
    let live = true;
    api.getTemplate(chosen).then((t) => live && setPreview(t), (e) => live && setError(problemText(e)));
    return () => {
      live = false;
    };
  }, [api, chosen]);

  const choose = (t: TemplateSummary) => {
    setChosen(t.id);
    if (!name.trim() || items?.some((x) => x.name === name)) setName(t.name);
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!chosen) return setError('Choose a template.');
    if (!name.trim()) return setError('A name is required.');
    setBusy(true);
    try {
      const m = await api.modelFromTemplate(chosen, { schemaVersion: SCHEMA_VERSION, name: name.trim(), projectType: 'AWS Cloud Application', priority: 'Medium', facing: 'internal' });
      onCreated(m.id);
    } catch (err) {
      setError(problemText(err));
      setBusy(false);
    }
  };

  return (
    <form className="form" onSubmit={submit} data-testid="template-tab">
      <input type="search" placeholder="Search templates" value={q} onChange={(e) => setQ(e.target.value)} aria-label="Search templates" data-testid="template-search" autoFocus />
      <div className="template-picker">
        <ul className="template-list" role="listbox" aria-label="Templates" data-testid="template-list">
          {items?.map((t) => (
            <li key={t.id}>
              <button type="button" role="option" aria-selected={t.id === chosen} onClick={() => choose(t)} data-testid={`template-option-${t.id}`}>
                <span>{t.name}</span>
                <small>{t.componentCount} components · {t.flowCount} flows</small>
              </button>
            </li>
          ))}
          {items?.length === 0 && <li className="hint" style={{ padding: 8 }}>No template matches.</li>}
        </ul>
        <div>
          {preview ? (
            <>
              <DiagramPreview diagram={preview.diagram} label={`Preview of ${preview.name}`} />
              {preview.description && <p className="hint" data-testid="template-description">{preview.description}</p>}
            </>
          ) : <p className="hint">Choose a template to see its diagram.</p>}
        </div>
      </div>
      <label>Name<input value={name} onChange={(e) => setName(e.target.value)} maxLength={200} data-testid="template-model-name" /></label>
      {error && <div className="banner error" role="alert">{error}</div>}
      <div className="dialog-actions">
        <button type="button" onClick={onClose}>Cancel</button>
        <button type="submit" className="primary" disabled={busy || !chosen} data-testid="template-create">Create</button>
      </div>
    </form>
  );
}
