import { useEffect, useState, type ChangeEvent } from 'react';
import { useRestApi } from '../api/context';
import { useApp } from '../store';
import { tidyDiagram } from '../editor/layout/tidy';
import { DiagramPreview } from '../templates/DiagramPreview';
import { problemText } from '../templates/SaveTemplateDialog';
import { interopApi, type ImportPreview, type InteropFormat } from './api';
import { guessFormat } from './guess';
import { groupWarnings } from './warnings';
import './importer.css';

const MAX_BYTES = 32 << 20;

/** UNDRAWN are the import formats whose documents have no diagram positions. */
const UNDRAWN = new Set(['cloudformation', 'terraform']);

/** ImportTab is the Import tab of "New threat model": upload or paste, choose the format, preview with warnings, create. */
export function ImportTab({ onCreated, onClose }: { onCreated: (id: string) => void; onClose: () => void }) {
  const createModel = useApp((s) => s.createModel);
  const api = useRestApi(interopApi);
  const [formats, setFormats] = useState<InteropFormat[]>([]);
  const [format, setFormat] = useState('');
  const [text, setText] = useState('');
  const [fileName, setFileName] = useState<string | undefined>();
  const [preview, setPreview] = useState<ImportPreview | null>(null);
  const [name, setName] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    api.listFormats().then((f) => {
      const imp = f.filter((x) => x.import);
      setFormats(imp);
      setFormat((cur) => cur || imp[0]?.name || '');
    }, (e) => setError(problemText(e)));
  }, [api]);

  const onFile = async (e: ChangeEvent<HTMLInputElement>) => {
    const f = e.target.files?.[0];
    if (!f) return;
    if (f.size > MAX_BYTES) return setError(`${f.name} is larger than 32 MiB.`);
    const t = await f.text();
    setText(t);
    setFileName(f.name);
    setPreview(null);
    const g = guessFormat(f.name, t);
    if (g && formats.some((x) => x.name === g)) setFormat(g);
  };

  const runPreview = async () => {
    setError(null);
    setPreview(null);
    if (!text.trim()) return setError('Upload a file or paste a document first.');
    setBusy(true);
    try {
      const p = await api.importPreview(format, text, fileName);
      // Infrastructure code carries no drawing: lay it out (layered, nested) before it is shown and saved.
      if (UNDRAWN.has(format) && p.model.diagram) p.model = { ...p.model, diagram: await tidyDiagram(p.model.diagram) };
      setPreview(p);
      setName(p.model.name);
    } catch (e) {
      setError(problemText(e));
    } finally {
      setBusy(false);
    }
  };

  const submit = async () => {
    if (!preview) return;
    setBusy(true);
    setError(null);
    try {
      const m = preview.model;
      // The imported threats and mitigations (custom), their statuses
      // (states) and the source's properties are saved with the model.
      const body = {
        schemaVersion: m.schemaVersion, name: name.trim() || m.name, description: m.description, version: m.version,
        projectType: m.projectType, priority: m.priority, facing: m.facing, labels: m.labels, diagram: m.diagram,
        owner: m.owner, properties: m.properties, custom: m.custom, states: m.states,
      };
      const created = await createModel(body);
      onCreated(created.id);
    } catch (e) {
      setError(problemText(e));
      setBusy(false);
    }
  };

  const d = preview?.model.diagram;
  const groups = groupWarnings(preview?.warnings ?? []);
  const threats = preview?.model.custom?.filter((c) => c.kind === 'threat').length ?? 0;
  const mitigations = preview?.model.custom?.filter((c) => c.kind === 'mitigation').length ?? 0;
  return (
    <div className="form" data-testid="import-tab">
      <label>
        Format
        <select value={format} onChange={(e) => { setFormat(e.target.value); setPreview(null); }} data-testid="import-format">
          {formats.map((f) => <option key={f.name} value={f.name} title={f.description}>{f.description}</option>)}
        </select>
      </label>
      <label>Upload a file<input type="file" accept=".json,.yaml,.yml,.template,.txt" onChange={(e) => void onFile(e)} data-testid="import-file" /></label>
      <label>
        …or paste the document
        <textarea rows={6} value={text} onChange={(e) => { setText(e.target.value); setFileName(undefined); setPreview(null); }} spellCheck={false} data-testid="import-text" />
      </label>
      <div className="row">
        <button type="button" onClick={() => void runPreview()} disabled={busy || !format} data-testid="import-preview">Preview</button>
        {fileName && <span className="hint">{fileName}</span>}
      </div>
      {preview && d && (
        <div className="import-preview" data-testid="import-result">
          <p data-testid="import-summary">
            <strong>{preview.model.name}</strong>: {d.components.length} components, {d.flows.length} flows, {d.groups.length} groups
            {threats > 0 && <>, {threats} threats</>}{mitigations > 0 && <>, {mitigations} mitigations</>}
          </p>
          <DiagramPreview diagram={d} label="Preview of the imported diagram" />
          {preview.warnings.length > 0 && (
            <div className="import-warnings">
              <p data-testid="import-warnings-total">
                {preview.warnings.length} {preview.warnings.length === 1 ? 'warning' : 'warnings'} in {groups.length} {groups.length === 1 ? 'group' : 'groups'}: what the import changed or could not carry over. Review them before you create the model.
              </p>
              <div data-testid="import-warnings">
                {groups.map((g) => (
                  <details key={g.kind} open data-testid={`import-warnings-${g.kind}`}>
                    <summary>{g.title} <span className="count" data-testid="import-warnings-count">{g.items.length}</span></summary>
                    <ul>{g.items.map((w, i) => <li key={i}>{w}</li>)}</ul>
                  </details>
                ))}
              </div>
            </div>
          )}
          <label>Name<input value={name} onChange={(e) => setName(e.target.value)} maxLength={200} data-testid="import-name" /></label>
        </div>
      )}
      {error && <div className="banner error" role="alert" data-testid="import-error">{error}</div>}
      <div className="dialog-actions">
        <button type="button" onClick={onClose}>Cancel</button>
        <button type="button" className="primary" disabled={busy || !preview} onClick={() => void submit()} data-testid="import-create">Create</button>
      </div>
    </div>
  );
}
