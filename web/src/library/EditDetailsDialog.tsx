import { useState, type FormEvent } from 'react';
import { ApiError } from '../api/client';
import { PRIORITIES, PROJECT_TYPES, type Facing, type Priority } from '../schema/types';
import { useApp } from '../store';
import { Chip } from '../ui/Chip';
import { Dialog } from '../ui/Dialog';
import { detailsOf, detailsPatch, fieldErrors, type DetailField, type Details } from './details';

type Source = Parameters<typeof detailsOf>[0] & { id: string; diagram?: unknown };

/**
 * EditDetailsDialog changes a model's details (name, version, project type,
 * priority, exposure, labels, description) through the API's PATCH. It opens
 * from the editor's title and from a library row; the API's validation
 * problems are shown beside their fields, and the dialog stays open until
 * the change is saved.
 */
export function EditDetailsDialog({ model, onClose }: { model: Source; onClose: () => void }) {
  const updateDetails = useApp((s) => s.updateDetails);
  const [before] = useState(() => detailsOf(model));
  const [d, setD] = useState<Details>(before);
  const [labelText, setLabelText] = useState('');
  const [errors, setErrors] = useState<Partial<Record<DetailField, string>>>({});
  const [general, setGeneral] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  // A library row carries no description: the field shows only with the whole model (the editor's).
  const withDescription = model.diagram !== undefined;
  const put = <K extends DetailField>(k: K, v: Details[K]) => setD((x) => ({ ...x, [k]: v }));

  const addLabel = (text = labelText) => {
    const l = text.trim().replace(/,$/, '').trim();
    if (l && !d.labels.includes(l)) put('labels', [...d.labels, l]);
    setLabelText('');
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const pending = labelText.trim();
    const after = pending && !d.labels.includes(pending) ? { ...d, labels: [...d.labels, pending] } : d;
    const patch = detailsPatch(before, after);
    if (Object.keys(patch).length === 0) return onClose();
    setBusy(true);
    setErrors({});
    setGeneral(null);
    try {
      await updateDetails(model.id, patch);
      onClose();
    } catch (err) {
      setBusy(false);
      const p = err instanceof ApiError ? err.problem : undefined;
      if (err instanceof ApiError && err.status === 409) {
        setGeneral('The model was changed elsewhere since it was opened. Close this dialog, reload, and apply your change again.');
        return;
      }
      const list = p?.problems ?? (p?.field ? [{ field: p.field, message: p.detail ?? '' }] : []);
      const { byField, other } = fieldErrors(list, after.labels);
      setErrors(byField);
      setGeneral(other.length ? other.join('; ') : Object.keys(byField).length ? null : (err as Error).message);
    }
  };

  /** field gives an input its error text and accessibility attributes. */
  const field = (k: DetailField) => ({ 'aria-invalid': errors[k] ? true : undefined, 'aria-describedby': errors[k] ? `details-${k}-error` : undefined });
  const error = (k: DetailField) => errors[k] && <span className="field-error" id={`details-${k}-error`} role="alert">{errors[k]}</span>;
  const types: string[] = PROJECT_TYPES.includes(d.projectType as (typeof PROJECT_TYPES)[number]) ? [...PROJECT_TYPES] : [d.projectType, ...PROJECT_TYPES];

  return (
    <Dialog title="Edit details" onClose={onClose} testId="edit-details-dialog">
      <form onSubmit={submit} className="form" noValidate>
        <label>Name<input value={d.name} onChange={(e) => put('name', e.target.value)} maxLength={200} autoFocus {...field('name')} /></label>
        {error('name')}
        <label>Version<input value={d.version} onChange={(e) => put('version', e.target.value)} maxLength={200} {...field('version')} /></label>
        {error('version')}
        <label>
          Project type
          <select value={d.projectType} onChange={(e) => put('projectType', e.target.value)} {...field('projectType')}>
            {types.map((t) => <option key={t}>{t}</option>)}
          </select>
        </label>
        {error('projectType')}
        <label>
          Priority
          <select value={d.priority} onChange={(e) => put('priority', e.target.value as Priority)} {...field('priority')}>
            {PRIORITIES.map((p) => <option key={p}>{p}</option>)}
          </select>
        </label>
        {error('priority')}
        <fieldset {...field('facing')}>
          <legend>Exposure</legend>
          {(['internal', 'public'] as Facing[]).map((f) => (
            <label className="inline" key={f}>
              <input type="radio" name="details-facing" checked={d.facing === f} onChange={() => put('facing', f)} /> {f === 'public' ? 'Public facing' : 'Internal'}
            </label>
          ))}
        </fieldset>
        {error('facing')}
        <label>
          Labels
          <input
            value={labelText} placeholder="type a label, press Enter" {...field('labels')}
            onChange={(e) => (e.target.value.endsWith(',') ? addLabel(e.target.value) : setLabelText(e.target.value))}
            onKeyDown={(e) => {
              if (e.key === 'Enter') { e.preventDefault(); addLabel(); }
            }}
          />
        </label>
        {d.labels.length > 0 && (
          <div className="chips" aria-label="Chosen labels">
            {d.labels.map((l) => <Chip key={l} label={l} onRemove={() => put('labels', d.labels.filter((x) => x !== l))} />)}
          </div>
        )}
        {error('labels')}
        {withDescription && <label>Description<textarea value={d.description} onChange={(e) => put('description', e.target.value)} rows={3} {...field('description')} /></label>}
        {error('description')}
        {general && <div className="banner error" role="alert">{general}</div>}
        <div className="dialog-actions">
          <button type="button" onClick={onClose}>Cancel</button>
          <button type="submit" className="primary" disabled={busy}>Save details</button>
        </div>
      </form>
    </Dialog>
  );
}
