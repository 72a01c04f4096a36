import { useState, type FormEvent } from 'react';
import { PRIORITIES, PROJECT_TYPES, SCHEMA_VERSION, emptyDiagram, type Facing, type Priority } from '../schema/types';
import { ApiError } from '../api/client';
import { useApp } from '../store';
import { Chip } from '../ui/Chip';
import { Dialog } from '../ui/Dialog';
import { ImportTab } from '../importer/ImportTab';
import { TemplateTab } from '../templates/TemplateTab';

const TABS = [{ id: 'empty', label: 'Empty' }, { id: 'template', label: 'Template' }, { id: 'import', label: 'Import' }] as const;

export function NewModelDialog({ onClose, onCreated }: { onClose: () => void; onCreated: (id: string) => void }) {
  const createModel = useApp((s) => s.createModel);
  const [name, setName] = useState('');
  const [version, setVersion] = useState('1.0');
  const [projectType, setProjectType] = useState<string>(PROJECT_TYPES[0]);
  const [priority, setPriority] = useState<Priority>('Medium');
  const [facing, setFacing] = useState<Facing>('internal');
  const [labels, setLabels] = useState<string[]>([]);
  const [labelText, setLabelText] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [tab, setTab] = useState<(typeof TABS)[number]['id']>('empty');

  const addLabel = (text = labelText) => {
    const l = text.trim().replace(/,$/, '').trim();
    if (l && !labels.includes(l)) setLabels([...labels, l]);
    setLabelText('');
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!name.trim()) return setError('A name is required.');
    const allLabels = labelText.trim() && !labels.includes(labelText.trim()) ? [...labels, labelText.trim()] : labels;
    setBusy(true);
    try {
      const m = await createModel({
        schemaVersion: SCHEMA_VERSION, name: name.trim(), version: version.trim() || undefined, projectType, priority, facing,
        labels: allLabels.length ? allLabels : undefined, diagram: emptyDiagram(),
      });
      onCreated(m.id);
    } catch (err) {
      const p = err instanceof ApiError ? err.problem : undefined;
      setError(p?.problems?.map((x) => `${x.field}: ${x.message}`).join('; ') || (err as Error).message);
      setBusy(false);
    }
  };

  return (
    <Dialog title="New threat model" onClose={onClose} testId="new-model-dialog" wide={tab !== 'empty'}>
      <div className="tabs" role="tablist">
        {TABS.map((t) => (
          <button key={t.id} type="button" role="tab" aria-selected={tab === t.id} className={`tab${tab === t.id ? ' active' : ''}`} onClick={() => setTab(t.id)} data-testid={`tab-${t.id}`}>{t.label}</button>
        ))}
      </div>
      {tab === 'template' && <TemplateTab onCreated={onCreated} onClose={onClose} />}
      {tab === 'import' && <ImportTab onCreated={onCreated} onClose={onClose} />}
      {tab === 'empty' && <form onSubmit={submit} className="form">
        <label>Name<input value={name} onChange={(e) => setName(e.target.value)} autoFocus required maxLength={200} data-testid="new-name" /></label>
        <label>Version<input value={version} onChange={(e) => setVersion(e.target.value)} maxLength={200} data-testid="new-version" /></label>
        <label>
          Project type
          <select value={projectType} onChange={(e) => setProjectType(e.target.value)} data-testid="new-type">
            {PROJECT_TYPES.map((t) => <option key={t}>{t}</option>)}
          </select>
        </label>
        <label>
          Priority
          <select value={priority} onChange={(e) => setPriority(e.target.value as Priority)} data-testid="new-priority">
            {PRIORITIES.map((p) => <option key={p}>{p}</option>)}
          </select>
        </label>
        <fieldset>
          <legend>Exposure</legend>
          <label className="inline"><input type="radio" name="facing" checked={facing === 'internal'} onChange={() => setFacing('internal')} data-testid="new-facing-internal" /> Internal</label>
          <label className="inline"><input type="radio" name="facing" checked={facing === 'public'} onChange={() => setFacing('public')} data-testid="new-facing-public" /> Public facing</label>
        </fieldset>
        <label>
          Labels
          <input
            value={labelText} placeholder="type a label, press Enter" data-testid="new-labels"
            onChange={(e) => (e.target.value.endsWith(',') ? addLabel(e.target.value) : setLabelText(e.target.value))}
            onKeyDown={(e) => {
              if (e.key === 'Enter') { e.preventDefault(); addLabel(); }
            }}
          />
        </label>
        {labels.length > 0 && (
          <div className="chips">
            {labels.map((l) => <Chip key={l} label={l} testId={`new-label-${l}`} onRemove={() => setLabels(labels.filter((x) => x !== l))} />)}
          </div>
        )}
        {error && <div className="banner error" role="alert">{error}</div>}
        <div className="dialog-actions">
          <button type="button" onClick={onClose}>Cancel</button>
          <button type="submit" className="primary" disabled={busy} data-testid="new-create">Create</button>
        </div>
      </form>}
    </Dialog>
  );
}
